//! Reading one sheet: headers to columns, organisation rows parents first, then row by row.

use std::collections::HashMap;
use std::sync::mpsc::SyncSender;

use crate::error::ApiError;
use crate::transfer::import::write::Message;
use crate::transfer::import::RowError;
use crate::transfer::model::{simplify, Column, Resource};
use crate::transfer::progress::Progress;
use crate::transfer::sheet::{Sheet, SheetRow};

use super::Ctx;

impl<'p> Ctx<'p> {
    fn sheet_error(&mut self, sheet: &str, column: Option<String>, message: String) {
        self.errors.push(RowError {
            sheet: sheet.to_owned(),
            row: 1,
            column,
            value: None,
            message,
        });
    }

    /// Imports one sheet's rows into resource `r`, sending the writes to `sink` (none in a dry run).
    pub fn sheet(
        &mut self,
        sink: Option<&SyncSender<Message>>,
        r: &'static Resource,
        sheet: Sheet,
        progress: &mut dyn Progress,
    ) -> Result<(), ApiError> {
        self.counts.entry(r.key.to_owned()).or_default();
        if r.admin_only && self.principal.role < crate::auth::Role::Admin {
            self.sheet_error(
                &sheet.name,
                None,
                format!("importing {} needs the admin role", r.key),
            );
            return Ok(());
        }
        let Some(columns) = self.headers(r, &sheet) else {
            return Ok(());
        };
        let Sheet { name, rows, .. } = sheet;
        let rows = if r.key == "organisations" {
            parents_first(&columns, rows)
        } else {
            rows
        };
        let total = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            self.row(sink, r, &name, &columns, row)?;
            progress.rows(r.key, i + 1, total);
        }
        Ok(())
    }

    fn headers(&mut self, r: &Resource, sheet: &Sheet) -> Option<Vec<Option<&'static Column>>> {
        let mut columns = Vec::new();
        let mut ok = true;
        for h in &sheet.headers {
            let wanted = simplify(&crate::import::normalise_header(h));
            if wanted.is_empty() {
                columns.push(None);
                continue;
            }
            let found = r
                .columns
                .iter()
                .find(|c| simplify(c.key) == wanted || simplify(c.header) == wanted);
            match found {
                Some(c)
                    if columns
                        .iter()
                        .any(|x: &Option<&Column>| x.is_some_and(|x| x.key == c.key)) =>
                {
                    ok = false;
                    self.sheet_error(
                        &sheet.name,
                        Some(h.clone()),
                        format!("column {} appears twice", c.key),
                    );
                }
                Some(c) => columns.push(Some(c)),
                None => {
                    ok = false;
                    let known: Vec<String> = r
                        .columns
                        .iter()
                        .map(|c| format!("{} ({})", c.header, c.key))
                        .collect();
                    self.sheet_error(
                        &sheet.name,
                        Some(h.clone()),
                        format!("unknown column {h:?}; {} has: {}", r.key, known.join(", ")),
                    );
                }
            }
        }
        ok.then_some(columns)
    }
}

/// Orders organisation rows so that parents named in the sheet come before their children.
fn parents_first(columns: &[Option<&'static Column>], rows: Vec<SheetRow>) -> Vec<SheetRow> {
    let at = |key: &str| columns.iter().position(|c| c.is_some_and(|c| c.key == key));
    let text_at = |row: &SheetRow, i: Option<usize>| {
        i.and_then(|i| row.cells.get(i)).and_then(|c| c.as_text())
    };
    let (ext, id, parent) = (at("external_id"), at("id"), at("parent"));
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        for k in [text_at(row, ext), text_at(row, id)].into_iter().flatten() {
            by_key.insert(k, i);
        }
    }
    let parent_of: Vec<Option<usize>> = rows
        .iter()
        .map(|row| text_at(row, parent).and_then(|p| by_key.get(&p).copied()))
        .collect();
    let depth = |mut i: usize| {
        let mut d = 0;
        while let Some(p) = parent_of[i] {
            d += 1;
            i = p;
            if d > rows.len() {
                break; // a cycle; the rows will report it
            }
        }
        d
    };
    let depths: Vec<usize> = (0..rows.len()).map(depth).collect();
    let mut indexed: Vec<(usize, SheetRow)> = rows.into_iter().enumerate().collect();
    indexed.sort_by_key(|(i, _)| depths[*i]);
    indexed.into_iter().map(|(_, r)| r).collect()
}
