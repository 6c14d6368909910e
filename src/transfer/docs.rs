//! The column reference in `docs/import-export.md`, generated from the column model (and
//! drift-tested: `STYRA_UPDATE_DOCS=1 cargo test --lib transfer::docs` rewrites it).

use crate::transfer::model::resources;

pub const BEGIN: &str = "<!-- columns: generated from src/transfer/columns.rs -->";
pub const END: &str = "<!-- end of generated columns -->";

/// One section per resource: what the sheet holds and a table of its columns.
pub fn columns_markdown() -> String {
    let mut out = String::new();
    for r in resources() {
        out.push_str(&format!(
            "\n### {} — sheet `{}`\n\n{}\n\n",
            r.key, r.sheet, r.about
        ));
        out.push_str("| key | header (sv) | type | required | note |\n|---|---|---|---|---|\n");
        for c in r.columns {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                c.key,
                c.header,
                c.ty.describe().replace('|', "\\|"),
                if c.required { "yes" } else { "" },
                c.note.replace('|', "\\|")
            ));
        }
        if r.admin_only {
            out.push_str("\nImporting this sheet needs the admin role.\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_column_reference_matches_the_model() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import-export.md");
        let doc = std::fs::read_to_string(path).unwrap_or_default();
        let (Some(b), Some(e)) = (doc.find(BEGIN), doc.find(END)) else {
            panic!("docs/import-export.md lacks the generated-columns markers");
        };
        let current = &doc[b + BEGIN.len()..e];
        let wanted = columns_markdown();
        if current != wanted {
            if std::env::var("STYRA_UPDATE_DOCS").is_ok() {
                let updated = format!("{}{BEGIN}{wanted}{}", &doc[..b], &doc[e..]);
                std::fs::write(path, updated).unwrap_or_else(|err| panic!("{err}"));
            } else {
                panic!("docs/import-export.md is out of date; run STYRA_UPDATE_DOCS=1 cargo test --lib transfer::docs");
            }
        }
    }
}
