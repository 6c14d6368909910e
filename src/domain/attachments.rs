//! Files attached to documentation items, stored in the `attachments` table (one row per file;
//! the item keeps name, type, size and hash so lists never touch the bytes). Attaching,
//! replacing and removing a file are changes to the item. What is accepted is in [`super::file_types`].

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::attachments;
use crate::db::DbConnection;
use crate::domain::documentation_items::{self, DocumentationItem};
use crate::domain::file_types::{default_file_name, sha256_hex};
use crate::domain::{new_id, time};
use crate::error::ApiError;

/// A file as received: a checked media type, an optional name, the bytes.
#[derive(Debug)]
pub struct Upload {
    pub content_type: String,
    pub file_name: Option<String>,
    pub data: Vec<u8>,
}

/// A file to send back. `data` is `None` when the client already has this version.
#[derive(Debug)]
pub struct Download {
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub data: Option<Vec<u8>>,
}

#[derive(Insertable)]
#[diesel(table_name = attachments)]
struct AttachmentRow {
    id: String,
    sha256: String,
    content_type: String,
    size_bytes: i64,
    data: Vec<u8>,
    created_at: NaiveDateTime,
}

/// Attaches `upload` to the item, replacing (and deleting) any earlier file. A change to the
/// item: its version goes up and the change is recorded.
pub fn attach(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    upload: Upload,
) -> Result<DocumentationItem, ApiError> {
    let before = documentation_items::get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let size_bytes = i64::try_from(upload.data.len()).map_err(ApiError::internal)?;
    let row = AttachmentRow {
        id: new_id(),
        sha256: sha256_hex(&upload.data),
        content_type: upload.content_type,
        size_bytes,
        data: upload.data,
        created_at: time::now(),
    };
    diesel::insert_into(attachments::table)
        .values(&row)
        .execute(conn)?;
    let mut after = before.clone();
    after.file_name = Some(
        upload
            .file_name
            .unwrap_or_else(|| default_file_name(before.kind, &row.content_type)),
    );
    after.attachment_id = Some(row.id);
    after.content_type = Some(row.content_type);
    after.size_bytes = Some(row.size_bytes);
    after.sha256 = Some(row.sha256);
    let saved = documentation_items::save(conn, principal, &before, after)?;
    remove_row(conn, before.attachment_id.as_deref())?;
    Ok(saved)
}

/// Removes the item's file (404 when it has none); a change to the item like [`attach`].
pub fn detach(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<DocumentationItem, ApiError> {
    let before = documentation_items::get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.attachment_id.is_none() {
        return Err(no_file(id));
    }
    let mut after = before.clone();
    after.attachment_id = None;
    after.file_name = None;
    after.content_type = None;
    after.size_bytes = None;
    after.sha256 = None;
    let saved = documentation_items::save(conn, principal, &before, after)?;
    remove_row(conn, before.attachment_id.as_deref())?;
    Ok(saved)
}

/// The item's file; without the bytes when `known` (the tags of If-None-Match) names it.
pub fn download(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    known: &[String],
) -> Result<Download, ApiError> {
    let item = documentation_items::get(conn, principal, id)?;
    let (Some(attachment_id), Some(sha256), Some(content_type)) =
        (item.attachment_id, item.sha256, item.content_type)
    else {
        return Err(no_file(id));
    };
    let file_name = item
        .file_name
        .unwrap_or_else(|| default_file_name(item.kind, &content_type));
    let data = if known.iter().any(|t| *t == sha256 || t == "*") {
        None
    } else {
        let data: Vec<u8> = attachments::table
            .find(&attachment_id)
            .select(attachments::data)
            .first(conn)
            .optional()?
            .ok_or_else(|| ApiError::internal(format!("attachment {attachment_id} is gone")))?;
        Some(data)
    };
    Ok(Download {
        file_name,
        content_type,
        sha256,
        data,
    })
}

fn no_file(id: &str) -> ApiError {
    ApiError::NotFound(format!("documentation item {id} has no file"))
}

/// Deletes a replaced or removed file's row, once nothing refers to it.
fn remove_row(conn: &mut DbConnection, attachment_id: Option<&str>) -> Result<(), ApiError> {
    if let Some(old) = attachment_id {
        diesel::delete(attachments::table.filter(attachments::id.eq(old))).execute(conn)?;
    }
    Ok(())
}
