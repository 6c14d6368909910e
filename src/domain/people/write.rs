//! Creating and editing people.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::people;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{clean, new_id, organisations, scope, text, time};
use crate::error::{ApiError, FieldError};

use super::{get, subject, Person, PersonNew, PersonPatch};

fn normalise_email(email: Option<String>) -> Option<String> {
    clean(email).map(|e| e.to_lowercase())
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
