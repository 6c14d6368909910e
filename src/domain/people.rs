//! People who hold roles. Personal data is kept minimal (name, e-mail, title) and can be erased:
//! deleting a person ends their role assignments and scrubs them from the change history.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{activities, changes as change_rows, people, risks, role_assignments};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, organisations, scope, text, time};
use crate::error::{ApiError, FieldError};

/// A person.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = people, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Åsa Öberg", "email": "asa.oberg@kommun.se", "title": "Digitaliseringsstrateg",
    "external_id": "HR-4711", "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct Person {
    pub id: String,
    pub municipality_id: String,
    /// Where the person works.
    pub organisation_id: String,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub email: Option<String>,
    pub title: Option<String>,
    /// Your own key (e.g. the HR system's); unique within the municipality.
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new person.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "name": "Åsa Öberg", "email": "asa.oberg@kommun.se", "title": "Digitaliseringsstrateg"}))]
pub struct PersonNew {
    pub organisation_id: String,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a person; absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "IT-strateg"}))]
pub struct PersonPatch {
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub organisation_id: Option<String>,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /people`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonFilter {
    pub organisation_id: Option<String>,
    /// In this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    /// Exact e-mail address (case-insensitive).
    pub email: Option<String>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["name", "created_at", "modified_at"];
pub const RESOURCE: &str = "people";

fn subject(p: &Person) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &p.id,
        municipality_id: Some(&p.municipality_id),
        organisation_id: Some(&p.organisation_id),
    }
}

fn normalise_email(email: Option<String>) -> Option<String> {
    clean(email).map(|e| e.to_lowercase())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Person, ApiError> {
    people::table
        .find(id)
        .select(Person::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("person", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Person, ApiError> {
    let person = find(conn, id)?;
    scope::check(conn, principal, &person.organisation_id)?;
    Ok(person)
}

fn check_external_id(conn: &mut DbConnection, p: &Person) -> Result<(), ApiError> {
    if let Some(ext) = &p.external_id {
        let taken: i64 = people::table
            .filter(people::municipality_id.eq(&p.municipality_id))
            .filter(people::external_id.eq(ext))
            .filter(people::id.ne(&p.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another person in this municipality"
            )));
        }
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: PersonNew,
) -> Result<Person, ApiError> {
    let org = organisations::find(conn, &input.organisation_id)
        .map_err(|_| ApiError::field("organisation_id", "no such organisation"))?;
    scope::check(conn, principal, &org.id)?;
    let now = time::now();
    let person = Person {
        id: new_id(),
        municipality_id: org.municipality_id,
        organisation_id: org.id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        email: normalise_email(input.email),
        title: clean(input.title),
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &person)?;
    diesel::insert_into(people::table)
        .values(&person)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&person),
        None,
        Some(&person),
    )?;
    Ok(person)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: PersonPatch,
) -> Result<Person, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(org_id) = patch.organisation_id {
        let org = organisations::find(conn, &org_id)
            .map_err(|_| ApiError::field("organisation_id", "no such organisation"))?;
        if org.municipality_id != before.municipality_id {
            return Err(ApiError::Validation(vec![FieldError::new(
                "organisation_id",
                "must be in the same municipality",
            )]));
        }
        scope::check(conn, principal, &org.id)?;
        after.organisation_id = org.id;
    }
    if let Some(name) = patch.name {
        after.name_sort = text::sort_key(&name);
        after.name = name.trim().to_owned();
    }
    if let Some(v) = patch.email {
        after.email = normalise_email(v);
    }
    if let Some(v) = patch.title {
        after.title = clean(v);
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        people::table
            .filter(people::id.eq(&before.id))
            .filter(people::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
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

/// Erases a person. Without `force`, a person who holds roles is a 409. With it, their
/// assignments end today and lose the link to the person (the role shows as vacant from then),
/// and earlier change records of the person are scrubbed of name, e-mail and title.
pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    force: bool,
) -> Result<(), ApiError> {
    let person = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != person.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let held: i64 = role_assignments::table
        .filter(role_assignments::person_id.eq(&person.id))
        .count()
        .get_result(conn)?;
    let responsible: i64 = activities::table
        .filter(activities::responsible_person_id.eq(&person.id))
        .count()
        .get_result(conn)?;
    let owned_risks: i64 = risks::table
        .filter(risks::owner_person_id.eq(&person.id))
        .count()
        .get_result(conn)?;
    if held + responsible + owned_risks > 0 && !force {
        return Err(ApiError::Conflict(format!(
            "person {} holds {held} role assignment(s), is responsible for {responsible} activit(y/ies) and owns {owned_risks} risk(s); repeat with ?force=true to end and detach them and erase the person",
            person.id
        )));
    }
    detach_from_activities_and_risks(conn, principal, &person.id)?;
    let today = chrono::Utc::now().date_naive();
    let now = time::now();
    let assignments: Vec<crate::domain::role_assignments::RoleAssignment> = role_assignments::table
        .filter(role_assignments::person_id.eq(&person.id))
        .select(crate::domain::role_assignments::RoleAssignment::as_select())
        .load(conn)?;
    for before in assignments {
        let mut after = before.clone();
        after.person_id = None;
        if after.valid_to.is_none_or(|end| end > today) {
            after.valid_to = Some(today);
        }
        if after.valid_from.is_some_and(|start| start > today) {
            after.valid_from = Some(today);
        }
        after.version = before.version + 1;
        after.modified_at = now;
        diesel::update(role_assignments::table.filter(role_assignments::id.eq(&before.id)))
            .set(&after)
            .execute(conn)?;
        crate::domain::role_assignments::record_change(
            conn,
            principal,
            ChangeAction::Update,
            Some(&before),
            Some(&after),
        )?;
    }
    // Erasure: earlier snapshots of this person must not keep the personal data.
    let scrubbed = serde_json::json!({"id": person.id, "erased": true}).to_string();
    diesel::update(
        change_rows::table
            .filter(change_rows::resource.eq(RESOURCE))
            .filter(change_rows::record_id.eq(&person.id)),
    )
    .set((
        change_rows::before.eq(Some(scrubbed.clone())),
        change_rows::after.eq(Some(scrubbed)),
    ))
    .execute(conn)?;
    diesel::delete(people::table.filter(people::id.eq(&person.id))).execute(conn)?;
    let erased = serde_json::json!({"id": person.id, "organisation_id": person.organisation_id, "erased": true});
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&person),
        Some(&erased),
        None,
    )?;
    Ok(())
}

/// Erasure: activities and risks stop naming the person (each change recorded).
fn detach_from_activities_and_risks(
    conn: &mut DbConnection,
    principal: &Principal,
    person_id: &str,
) -> Result<(), ApiError> {
    use crate::domain::activities::{record_change, ActivityRow};
    let rows: Vec<ActivityRow> = activities::table
        .filter(activities::responsible_person_id.eq(person_id))
        .select(ActivityRow::as_select())
        .load(conn)?;
    for before in rows {
        let mut after = before.clone();
        after.responsible_person_id = None;
        after.version = before.version + 1;
        after.modified_at = time::now();
        diesel::update(activities::table.filter(activities::id.eq(&before.id)))
            .set(&after)
            .execute(conn)?;
        record_change(
            conn,
            principal,
            ChangeAction::Update,
            Some(&before),
            Some(&after),
        )?;
    }
    let owned: Vec<(String, String, String, i32)> = risks::table
        .filter(risks::owner_person_id.eq(person_id))
        .select((
            risks::id,
            risks::municipality_id,
            risks::organisation_id,
            risks::version,
        ))
        .load(conn)?;
    for (id, municipality_id, organisation_id, version) in owned {
        diesel::update(risks::table.filter(risks::id.eq(&id)))
            .set((
                risks::owner_person_id.eq(None::<String>),
                risks::version.eq(version + 1),
                risks::modified_at.eq(time::now()),
            ))
            .execute(conn)?;
        changes::record(
            conn,
            principal,
            ChangeAction::Update,
            Subject {
                resource: "risks",
                record_id: &id,
                municipality_id: Some(&municipality_id),
                organisation_id: Some(&organisation_id),
            },
            Some(&serde_json::json!({"id": id, "owner_person_id": person_id})),
            Some(&serde_json::json!({"id": id, "owner_person_id": null})),
        )?;
    }
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &PersonFilter,
    page: &PageRequest,
) -> Result<(Vec<Person>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = people::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(people::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(people::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(people::municipality_id.eq(v.clone()));
        }
        if let Some(v) = &filter.email {
            q = q.filter(people::email.eq(v.trim().to_lowercase()));
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(people::external_id.eq(v.clone()));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                people::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(people::created_at.asc()),
        ("created_at", true) => build().order(people::created_at.desc()),
        ("modified_at", false) => build().order(people::modified_at.asc()),
        ("modified_at", true) => build().order(people::modified_at.desc()),
        (_, false) => build().order(people::name_sort.asc()),
        (_, true) => build().order(people::name_sort.desc()),
    };
    let rows = q
        .then_order_by(people::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Person::as_select())
        .load(conn)?;
    Ok((rows, total))
}
