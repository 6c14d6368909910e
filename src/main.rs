//! The `styra` command: serve (default), migrate, token, openapi, seed-demo, import, export.

use clap::Parser;
use styra::auth::{Auth, Role};
use styra::config::{Cli, Command};
use styra::startup::{open_database, Application};

// mimalloc instead of glibc malloc: an import allocates and frees millions of small strings
// (cells, bind values, change records), and glibc's free-list consolidation took a fifth of its
// time; the server's per-request JSON benefits the same way.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            styra::telemetry::init_logging();
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(cli.settings.clone())?;
                tracing::info!(
                    bind = %cli.settings.bind,
                    port = app.port(),
                    docs = "/docs/",
                    "Styra is serving"
                );
                app.run_until_stopped().await?;
                Ok(())
            })
        }
        Command::Migrate => {
            styra::telemetry::init_logging();
            open_database(&cli.settings)?;
            tracing::info!("migrations are up to date");
            Ok(())
        }
        Command::Token(args) => {
            let auth = Auth::from_settings(&cli.settings)?;
            let role = Role::parse(&args.role)
                .ok_or_else(|| anyhow::anyhow!("role must be admin, editor or viewer"))?;
            println!(
                "{}",
                auth.mint(&args.sub, role, &args.orgs, args.ttl.into())?
            );
            Ok(())
        }
        Command::Openapi => {
            println!("{}", styra::api::openapi().to_pretty_json()?);
            Ok(())
        }
        Command::SeedDemo => {
            let db = open_database(&cli.settings)?;
            let summary = styra::demo::seed(&db)?;
            eprintln!();
            eprint!("{summary}");
            Ok(())
        }
        Command::Import(args) => {
            let db = open_database(&cli.settings)?;
            styra::transfer::cli::import(&db, &args)
        }
        Command::Export(args) => {
            let db = open_database(&cli.settings)?;
            styra::transfer::cli::export(&db, &args)
        }
    }
}
