//! Creating, editing and deleting documentation items, one per kind and object.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{attachments, documentation_items};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{activities, clean, new_id, scope, time};
use crate::error::ApiError;

use super::{
    check_rules, get, subject, DocumentationItem, DocumentationItemNew, DocumentationItemPatch,
    DocumentationStatus,
};

/// 409 when the activity already has another item of this kind (the unique index would refuse
/// it too, but without saying which kind).
fn check_unique_kind(conn: &mut DbConnection, item: &DocumentationItem) -> Result<(), ApiError> {
    let other: Option<String> = documentation_items::table
        .filter(documentation_items::activity_id.eq(&item.activity_id))
        .filter(documentation_items::kind.eq(item.kind))
        .filter(documentation_items::id.ne(&item.id))
        .select(documentation_items::id)
        .first(conn)
        .optional()?;
    match other {
        Some(other) => Err(ApiError::Conflict(format!(
            "activity {} already has a documentation item of kind {} ({other}); update that one instead",
            item.activity_id, item.kind
        ))),
        None => Ok(()),
    }
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: DocumentationItemNew,
) -> Result<DocumentationItem, ApiError> {
    let activity = match activities::find_row(conn, &input.activity_id) {
        Err(ApiError::NotFound(_)) => {
            return Err(ApiError::field("activity_id", "no such activity"))
        }
        other => other?,
    };
    scope::check(conn, principal, &activity.organisation_id)?;
    let now = time::now();
    let item = DocumentationItem {
        id: new_id(),
        municipality_id: activity.municipality_id,
        organisation_id: activity.organisation_id,
        activity_id: activity.id,
        kind: input.kind,
        status: input.status.unwrap_or(DocumentationStatus::Missing),
        reason: clean(input.reason),
        document_date: input.document_date,
        url: clean(input.url),
        attachment_id: None,
        file_name: None,
        content_type: None,
        size_bytes: None,
        sha256: None,
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_rules(&item)?;
    check_unique_kind(conn, &item)?;
    diesel::insert_into(documentation_items::table)
        .values(&item)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&item),
        None,
        Some(&item),
    )?;
    Ok(item)
}

/// Writes `after` over `before` (bumping the version), guarded by `before`'s version, and
/// records the change. Shared by field updates and file uploads and removals.
pub(crate) fn save(
    conn: &mut DbConnection,
    principal: &Principal,
    before: &DocumentationItem,
    mut after: DocumentationItem,
) -> Result<DocumentationItem, ApiError> {
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        documentation_items::table
            .filter(documentation_items::id.eq(&before.id))
            .filter(documentation_items::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(None));
    }
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        subject(&after),
        Some(before),
        Some(&after),
    )?;
    Ok(after)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: DocumentationItemPatch,
) -> Result<DocumentationItem, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.kind {
        after.kind = v;
    }
    if let Some(v) = patch.status {
        after.status = v;
    }
    if let Some(v) = patch.reason {
        after.reason = clean(v);
    }
    if let Some(v) = patch.document_date {
        after.document_date = v;
    }
    if let Some(v) = patch.url {
        after.url = clean(v);
    }
    check_rules(&after)?;
    if after.kind != before.kind {
        check_unique_kind(conn, &after)?;
    }
    save(conn, principal, &before, after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let item = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != item.version) {
        return Err(ApiError::PreconditionFailed);
    }
    diesel::delete(documentation_items::table.filter(documentation_items::id.eq(&item.id)))
        .execute(conn)?;
    // The file belongs to the item alone; it goes with it (after the reference is gone).
    if let Some(attachment) = &item.attachment_id {
        diesel::delete(attachments::table.filter(attachments::id.eq(attachment))).execute(conn)?;
    }
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&item),
        Some(&item),
        None,
    )?;
    Ok(())
}
