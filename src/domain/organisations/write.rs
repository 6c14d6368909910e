//! Creating, editing and deleting organisations.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{objects, org_closure, organisations, people, role_types};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{clean, new_id, scope, text, time};
use crate::error::{ApiError, FieldError};

use super::{
    find, get, link_into_tree, move_subtree, subject, Organisation, OrganisationKind,
    OrganisationNew, OrganisationPatch,
};

fn check_external_id(
    conn: &mut DbConnection,
    municipality_id: &str,
    external_id: Option<&str>,
    except: &str,
) -> Result<(), ApiError> {
    if let Some(ext) = external_id {
        let taken: i64 = organisations::table
            .filter(organisations::municipality_id.eq(municipality_id))
            .filter(organisations::external_id.eq(ext))
            .filter(organisations::id.ne(except))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another organisation in this municipality"
            )));
        }
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: OrganisationNew,
) -> Result<Organisation, ApiError> {
    let id = new_id();
    let parent = match (input.kind, &input.parent_id) {
        (OrganisationKind::Municipality, None) => {
            if !principal.is_unrestricted() {
                return Err(ApiError::Forbidden(
                    "only an admin without org claims may create a municipality".into(),
                ));
            }
            None
        }
        (OrganisationKind::Municipality, Some(_)) => {
            return Err(ApiError::field(
                "parent_id",
                "a municipality is a root and has no parent",
            ))
        }
        (_, None) => {
            return Err(ApiError::field(
                "parent_id",
                "is required for every kind but municipality",
            ))
        }
        (_, Some(parent_id)) => {
            let parent = find(conn, parent_id)
                .map_err(|_| ApiError::field("parent_id", "no such organisation"))?;
            scope::check(conn, principal, &parent.id)?;
            Some(parent)
        }
    };
    let now = time::now();
    let org = Organisation {
        municipality_id: parent
            .as_ref()
            .map(|p| p.municipality_id.clone())
            .unwrap_or_else(|| id.clone()),
        id,
        parent_id: parent.map(|p| p.id),
        kind: input.kind,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        short_name: clean(input.short_name),
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(
        conn,
        &org.municipality_id,
        org.external_id.as_deref(),
        &org.id,
    )?;
    diesel::insert_into(organisations::table)
        .values(&org)
        .execute(conn)?;
    link_into_tree(conn, &org.id, org.parent_id.as_deref())?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&org),
        None,
        Some(&org),
    )?;
    if org.kind == OrganisationKind::Municipality {
        crate::domain::phase_rules::seed_defaults(conn, principal, &org.id)?;
    }
    Ok(org)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: OrganisationPatch,
) -> Result<Organisation, ApiError> {
    let before = get(conn, principal, id)?;
    if let Some(v) = expected_version {
        if v != before.version {
            return Err(ApiError::PreconditionFailed);
        }
    }
    let mut after = before.clone();
    let mut errors = Vec::new();
    if let Some(kind) = patch.kind {
        let was_root = before.kind == OrganisationKind::Municipality;
        if (kind == OrganisationKind::Municipality) != was_root {
            errors.push(FieldError::new(
                "kind",
                "a municipality cannot become another kind, nor the reverse",
            ));
        }
        after.kind = kind;
    }
    let mut moved_to = None;
    if let Some(parent_id) = patch.parent_id {
        if before.parent_id.as_deref() != Some(parent_id.as_str()) {
            if before.kind == OrganisationKind::Municipality {
                errors.push(FieldError::new("parent_id", "a municipality has no parent"));
            } else {
                match find(conn, &parent_id) {
                    Err(_) => errors.push(FieldError::new("parent_id", "no such organisation")),
                    Ok(parent) if parent.municipality_id != before.municipality_id => errors.push(
                        FieldError::new("parent_id", "must be in the same municipality"),
                    ),
                    Ok(parent) => {
                        if scope::is_within(conn, &before.id, &parent.id)? {
                            errors.push(FieldError::new(
                                "parent_id",
                                "cannot move an organisation under itself or its own descendants",
                            ));
                        } else {
                            scope::check(conn, principal, &parent.id)?;
                            moved_to = Some(parent.id.clone());
                            after.parent_id = Some(parent.id);
                        }
                    }
                }
            }
        }
    }
    if let Some(name) = patch.name {
        after.name_sort = text::sort_key(&name);
        after.name = name.trim().to_owned();
    }
    if let Some(v) = patch.short_name {
        after.short_name = clean(v);
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    check_external_id(
        conn,
        &after.municipality_id,
        after.external_id.as_deref(),
        &after.id,
    )?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        organisations::table
            .filter(organisations::id.eq(&before.id))
            .filter(organisations::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    if let Some(parent) = moved_to {
        move_subtree(conn, &after.id, &parent)?;
    }
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        subject(&after),
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let org = get(conn, principal, id)?;
    if let Some(v) = expected_version {
        if v != org.version {
            return Err(ApiError::PreconditionFailed);
        }
    }
    let children: i64 = organisations::table
        .filter(organisations::parent_id.eq(&org.id))
        .count()
        .get_result(conn)?;
    let owned_objects: i64 = objects::table
        .filter(objects::organisation_id.eq(&org.id))
        .count()
        .get_result(conn)?;
    let members: i64 = people::table
        .filter(people::organisation_id.eq(&org.id))
        .count()
        .get_result(conn)?;
    let own_role_types: i64 = role_types::table
        .filter(role_types::municipality_id.eq(&org.id))
        .count()
        .get_result(conn)?;
    let mut reasons = Vec::new();
    if children > 0 {
        reasons.push(format!("{children} child organisation(s)"));
    }
    if owned_objects > 0 {
        reasons.push(format!("{owned_objects} object(s)"));
    }
    if members > 0 {
        reasons.push(format!("{members} person/people"));
    }
    if own_role_types > 0 {
        reasons.push(format!("{own_role_types} role type(s)"));
    }
    if !reasons.is_empty() {
        return Err(ApiError::Conflict(format!(
            "organisation {} still has {}; move or delete them first",
            org.id,
            reasons.join(", ")
        )));
    }
    if org.kind == OrganisationKind::Municipality {
        crate::domain::phase_rules::delete_all(conn, principal, &org.id)?;
    }
    diesel::delete(org_closure::table.filter(org_closure::descendant_id.eq(&org.id)))
        .execute(conn)?;
    diesel::delete(organisations::table.filter(organisations::id.eq(&org.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&org),
        Some(&org),
        None,
    )?;
    Ok(())
}
