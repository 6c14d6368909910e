//! Database access: one connection type for SQLite and PostgreSQL, the r2d2 pool, the embedded
//! migrations, and [`Db::run`], the only way handlers reach the database (on a blocking thread).

pub mod schema;

use std::time::Duration;

use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::error::ApiError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend; queries written against it run on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    pub fn is_postgres(&self) -> bool {
        matches!(self, DbConnection::Postgresql(_))
    }
}

/// Which backend a database URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgresql,
    Sqlite,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgresql
        } else {
            Backend::Sqlite
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// An r2d2 manager that picks the backend by URL scheme, so connection errors surface as the
/// backend's own message instead of the multi-connection's generic one.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: String,
    backend: Backend,
}

impl ConnectionManager {
    pub fn new(url: &str) -> Self {
        let backend = Backend::of_url(url);
        let url = match backend {
            Backend::Postgresql => url.to_owned(),
            Backend::Sqlite => url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url)
                .to_owned(),
        };
        ConnectionManager { url, backend }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = DbError;

    fn connect(&self) -> Result<DbConnection, DbError> {
        match self.backend {
            Backend::Postgresql => {
                let mut conn = PgConnection::establish(&self.url)?;
                // The report queries cost enough for PostgreSQL to JIT-compile them, which takes
                // longer (50–200 ms) than running them; Styra's queries are short and indexed.
                // A report sorts and groups a few MB (13k gap rows of a municipality): with the
                // default 4 MB of work_mem those spill to disk and merge-join where a hash would
                // do. Raised to 32 MB unless the server already gives more.
                conn.batch_execute(
                    "SET jit = off; \
                     SELECT set_config('work_mem', '32MB', false) \
                      WHERE pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('32MB');",
                )?;
                Ok(DbConnection::Postgresql(conn))
            }
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url)?;
                // Per connection: wait instead of failing on a busy writer; enforce references;
                // sort and group in memory (a report's sort of a few MB went to a temp file).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
                )?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    /// Run at every check-out. A PostgreSQL connection is asked `SELECT 1`: a restarted server
    /// or a dropped socket leaves dead ones in the pool. A connection to a local SQLite file has
    /// no server or socket to lose, so it is not asked (a round trip on every request).
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), DbError> {
        match conn {
            DbConnection::Postgresql(c) => Ok(c.batch_execute("SELECT 1")?),
            DbConnection::Sqlite(_) => Ok(()),
        }
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// Builds a pool; fails fast (5 s) with the backend's own error when the database is unreachable.
pub fn build_pool(url: &str, size: u32) -> anyhow::Result<Pool> {
    let manager = ConnectionManager::new(url);
    if manager.backend == Backend::Sqlite {
        if let Some(dir) = std::path::Path::new(&manager.url).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        // WAL is a property of the database file: set it once, before the pool opens it.
        let mut conn = SqliteConnection::establish(&manager.url)?;
        conn.batch_execute("PRAGMA journal_mode = WAL;")?;
    }
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(5))
        .build(manager)?;
    Ok(pool)
}

/// A pool on a read replica. Unlike [`build_pool`] it creates no directory and sets no journal
/// mode: the replica belongs to whatever replicates it, and Styra only reads it (migrations
/// never run here).
pub fn build_read_pool(url: &str, size: u32) -> anyhow::Result<Pool> {
    let pool = r2d2::Pool::builder()
        .max_size(size)
        .connection_timeout(Duration::from_secs(5))
        .build(ConnectionManager::new(url))?;
    Ok(pool)
}

#[derive(diesel::QueryableByName)]
struct SchemaVersion {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    version: Option<String>,
}

/// The newest migration applied to a database (to tell a replica that lags behind its primary's
/// schema), or `None` when it has no Styra schema at all.
pub fn schema_version(conn: &mut DbConnection) -> Option<String> {
    use diesel::RunQueryDsl;
    diesel::sql_query("SELECT MAX(version) AS version FROM __diesel_schema_migrations")
        .get_result::<SchemaVersion>(conn)
        .ok()
        .and_then(|v| v.version)
}

/// Runs the pending migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<()> {
    let result = match conn {
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| anyhow::anyhow!("migration failed: {e}"))
}

/// Gives SQLite's planner table statistics (it has none until ANALYZE runs, and then picks poor
/// indexes for the filtered counts). Cheap; PostgreSQL's autovacuum does this by itself.
pub fn refresh_statistics(conn: &mut DbConnection) {
    if let DbConnection::Sqlite(c) = conn {
        if let Err(e) = c.batch_execute("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")
        {
            tracing::warn!(error = %e, "could not refresh SQLite statistics");
        }
    }
}

/// SQLite's page cache for one bulk write (an import), in KiB. The default 2 MB cache spills
/// dirty pages into the WAL in the middle of a 100k-row transaction and rewrites them as the
/// indexes grow; 256 MB keeps the whole batch in memory until commit. Memory is only taken as
/// pages are touched and is given back when the cache is reset.
const BULK_WRITE_CACHE_KIB: i64 = 256 * 1024;

/// Runs `f` with a large SQLite page cache on this connection, restoring the default after (the
/// connection goes back to the pool). No effect on PostgreSQL, whose buffers are server-wide.
pub fn with_bulk_write_cache<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> T,
) -> T {
    let sqlite = !conn.is_postgres();
    if sqlite {
        if let Err(e) = conn.batch_execute(&format!("PRAGMA cache_size = -{BULK_WRITE_CACHE_KIB}"))
        {
            tracing::warn!(error = %e, "could not enlarge the SQLite cache for a bulk write");
        }
    }
    let result = f(conn);
    if sqlite {
        if let Err(e) = conn.batch_execute("PRAGMA cache_size = -2000") {
            tracing::warn!(error = %e, "could not reset the SQLite cache after a bulk write");
        }
    }
    result
}

/// Where the report and OData routes read: the pool of the read replica when
/// `DATABASE_READ_URL` is set (so heavy reads never touch the writer), else the same pool as
/// [`Db`]. Only for reads: nothing ever writes through it.
#[derive(Clone)]
pub struct ReadDb(pub Db);

impl std::ops::Deref for ReadDb {
    type Target = Db;
    fn deref(&self) -> &Db {
        &self.0
    }
}

/// The handle handlers use. Every call runs on actix's blocking thread pool, never on an async
/// worker, because diesel is synchronous.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// SQLite allows one writer at a time, and a deferred transaction that reads before it writes
    /// cannot upgrade its lock while another writer holds it ("database is locked", at once, busy
    /// timeout or not). Write transactions therefore take turns in-process on SQLite.
    sqlite_writer: Option<std::sync::Arc<std::sync::Mutex<()>>>,
}

impl Db {
    pub fn new(pool: Pool) -> Self {
        let sqlite = pool
            .get()
            .map(|mut c| matches!(&mut *c, DbConnection::Sqlite(_)))
            .unwrap_or(false);
        Db {
            pool,
            sqlite_writer: sqlite.then(|| std::sync::Arc::new(std::sync::Mutex::new(()))),
        }
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Runs `f` with a pooled connection on a blocking thread.
    pub async fn run<F, T>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.run_then(f, Ok).await
    }

    /// Runs `f` with a pooled connection, gives the connection back, then runs `then` on `f`'s
    /// result on the same blocking thread: CPU work after a read (rendering a report) holds no
    /// connection and costs no second trip through the blocking pool (thread hand-offs were a
    /// fifth of a small report's CPU under perf). [`Db::run`] is this with nothing after.
    pub async fn run_then<F, G, T, U>(&self, f: F, then: G) -> Result<U, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        G: FnOnce(T) -> Result<U, ApiError> + Send + 'static,
        U: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let read = {
                let mut conn = pool.get().map_err(ApiError::pool)?;
                f(&mut conn)?
            };
            then(read)
        })
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    }

    /// Runs `f` inside one transaction: everything it writes (including change records) commits
    /// together or not at all.
    pub async fn transaction<F, T>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let writer = self.sqlite_writer.clone();
        self.run(move |conn| {
            // A poisoned lock only means another writer panicked; the database rolled it back.
            let _turn = writer
                .as_ref()
                .map(|w| w.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
            conn.transaction(f)
        })
        .await
    }
}
