//! Organisations: the municipality (tenant root) and its committees, administrations, units and
//! companies, kept as a tree with a closure table for subtree scoping.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::{objects, org_closure, organisations, people, role_types};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, scope, text, time};
use crate::error::{ApiError, FieldError};

crate::text_enum! {
    /// The kind of organisation.
    OrganisationKind {
        /// kommun: the tenant root.
        Municipality => "municipality",
        /// nämnd or styrelse.
        Committee => "committee",
        /// förvaltning.
        Administration => "administration",
        /// avdelning or enhet.
        Unit => "unit",
        /// kommunalt bolag.
        Company => "company",
    }
}

/// An organisation.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "parent_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "kind": "committee", "name": "Socialnämnden", "short_name": "SN", "external_id": "SN-01",
    "version": 1, "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct Organisation {
    pub id: String,
    /// The municipality (tree root) the organisation belongs to; its own id for a municipality.
    pub municipality_id: String,
    pub parent_id: Option<String>,
    pub kind: OrganisationKind,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub short_name: Option<String>,
    /// Your own key (e.g. from the HR or finance system); unique within the municipality.
    pub external_id: Option<String>,
    /// Increments on every update; the ETag is derived from it.
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new organisation. A municipality has no parent; every other kind needs one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "committee", "parent_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70", "name": "Socialnämnden", "short_name": "SN", "external_id": "SN-01"}))]
pub struct OrganisationNew {
    pub kind: OrganisationKind,
    pub parent_id: Option<String>,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub short_name: Option<String>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to an organisation; absent fields stay as they are, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"name": "Vård- och omsorgsnämnden"}))]
pub struct OrganisationPatch {
    /// Move the organisation under another parent in the same municipality.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub parent_id: Option<String>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub kind: Option<OrganisationKind>,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub short_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /organisations`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilter {
    pub kind: Option<OrganisationKind>,
    /// Direct children of this organisation.
    pub parent_id: Option<String>,
    pub municipality_id: Option<String>,
    /// This organisation and everything below it.
    pub within: Option<String>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["name", "kind", "created_at", "modified_at"];
const RESOURCE: &str = "organisations";

fn subject(o: &Organisation) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &o.id,
        municipality_id: Some(&o.municipality_id),
        organisation_id: Some(&o.id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Organisation, ApiError> {
    organisations::table
        .find(id)
        .select(Organisation::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("organisation", id))
}

/// Reads one organisation the principal may see.
pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<Organisation, ApiError> {
    let org = find(conn, id)?;
    scope::check(conn, principal, &org.id)?;
    Ok(org)
}

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

/// Adds the closure rows of a new leaf: itself at depth 0 and every ancestor of its parent.
pub fn link_into_tree(conn: &mut DbConnection, id: &str, parent: Option<&str>) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO org_closure (ancestor_id, descendant_id, depth) VALUES ($1, $1, 0)",
    )
    .bind::<diesel::sql_types::Text, _>(id)
    .execute(conn)?;
    if let Some(parent) = parent {
        diesel::sql_query(
            "INSERT INTO org_closure (ancestor_id, descendant_id, depth) \
             SELECT ancestor_id, $1, depth + 1 FROM org_closure WHERE descendant_id = $2",
        )
        .bind::<diesel::sql_types::Text, _>(id)
        .bind::<diesel::sql_types::Text, _>(parent)
        .execute(conn)?;
    }
    Ok(())
}

/// Moves a subtree under a new parent: drops the links to its old ancestors, adds the new ones.
///
/// (Placeholders must first appear in numeric order: SQLite numbers `$N` parameters by first
/// appearance, not by N.)
pub fn move_subtree(conn: &mut DbConnection, id: &str, new_parent: &str) -> QueryResult<()> {
    diesel::sql_query(
        "DELETE FROM org_closure \
         WHERE descendant_id IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = $1) \
           AND ancestor_id NOT IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = $1)",
    )
    .bind::<diesel::sql_types::Text, _>(id)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO org_closure (ancestor_id, descendant_id, depth) \
         SELECT above.ancestor_id, below.descendant_id, above.depth + below.depth + 1 \
         FROM org_closure above, org_closure below \
         WHERE below.ancestor_id = $1 AND above.descendant_id = $2",
    )
    .bind::<diesel::sql_types::Text, _>(id)
    .bind::<diesel::sql_types::Text, _>(new_parent)
    .execute(conn)?;
    Ok(())
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

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &OrganisationFilter,
    page: &crate::api::paging::PageRequest,
) -> Result<(Vec<Organisation>, i64), ApiError> {
    let build = || {
        let mut q = organisations::table.into_boxed();
        if let Some(orgs) = scope::visible_orgs(principal) {
            q = q.filter(organisations::id.eq_any(orgs));
        }
        if let Some(k) = filter.kind {
            q = q.filter(organisations::kind.eq(k));
        }
        if let Some(p) = &filter.parent_id {
            q = q.filter(organisations::parent_id.eq(p.clone()));
        }
        if let Some(m) = &filter.municipality_id {
            q = q.filter(organisations::municipality_id.eq(m.clone()));
        }
        if let Some(w) = &filter.within {
            q = q.filter(organisations::id.eq_any(scope::subtree_ids(vec![w.clone()])));
        }
        if let Some(e) = &filter.external_id {
            q = q.filter(organisations::external_id.eq(e.clone()));
        }
        if let Some(text) = &page.q {
            q = q.filter(
                organisations::name_sort
                    .like(text::contains_pattern(text))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let mut q = build();
    q = match (page.sort.as_str(), page.descending) {
        ("kind", false) => q.order((organisations::kind.asc(), organisations::name_sort.asc())),
        ("kind", true) => q.order((organisations::kind.desc(), organisations::name_sort.asc())),
        ("created_at", false) => q.order(organisations::created_at.asc()),
        ("created_at", true) => q.order(organisations::created_at.desc()),
        ("modified_at", false) => q.order(organisations::modified_at.asc()),
        ("modified_at", true) => q.order(organisations::modified_at.desc()),
        (_, false) => q.order(organisations::name_sort.asc()),
        (_, true) => q.order(organisations::name_sort.desc()),
    };
    let rows = q
        .then_order_by(organisations::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Organisation::as_select())
        .load(conn)?;
    Ok((rows, total))
}
