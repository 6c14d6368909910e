//! Digitala färdplaner (plan för digital transformation): an organisation's prioritised
//! initiatives and goals for a span of years, drafted and then adopted by a decision. The
//! adopt/close actions and the activity list are in [`actions`].

pub mod actions;

pub use actions::{activities, adopt, close, AdoptionNew, RoadmapActivity};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{activities as activity_rows, roadmap_goals, roadmaps};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, organisations, scope, text, time};
use crate::error::{ApiError, FieldError};

crate::text_enum! {
    /// Where the roadmap is in its life: drafted, adopted by a decision, ended.
    RoadmapStatus {
        Draft => "draft",
        Adopted => "adopted",
        Closed => "closed",
    }
}

/// A digital färdplan.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = roadmaps, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Socialnämndens digitala färdplan 2026–2028",
    "description": "Prioriterade initiativ för en smart och individanpassad välfärd.",
    "from_year": 2026, "to_year": 2028, "status": "adopted",
    "decision_id": "0193a0c4-6666-7c1e-9a1b-2f3c4d5e6f70", "adopted_on": "2026-02-18",
    "external_id": "FP-SN-2026", "version": 2,
    "created_at": "2026-01-10T09:15:00.000000Z", "modified_at": "2026-02-18T15:00:00.000000Z"
}))]
pub struct Roadmap {
    pub id: String,
    pub municipality_id: String,
    /// The organisation whose roadmap it is, usually a committee.
    pub organisation_id: String,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub description: Option<String>,
    pub from_year: i32,
    pub to_year: i32,
    /// Read-only: set by `POST /roadmaps/{id}/adopt` and `/close`.
    pub status: RoadmapStatus,
    /// Read-only: the decision that adopted it.
    pub decision_id: Option<String>,
    /// Read-only: the date it was adopted.
    pub adopted_on: Option<NaiveDate>,
    /// Your own key; unique within the municipality.
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new roadmap; it starts as a draft.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "name": "Socialnämndens digitala färdplan 2026–2028", "from_year": 2026, "to_year": 2028, "external_id": "FP-SN-2026"}))]
pub struct RoadmapNew {
    pub organisation_id: String,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub from_year: i32,
    /// The last year covered; not before `from_year`.
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub to_year: i32,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a roadmap; absent fields stay, null clears. The status changes only through the
/// adopt and close actions.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"to_year": 2029, "description": "Förlängd ett år efter delårsrapporten."}))]
pub struct RoadmapPatch {
    /// Hand the roadmap to another organisation in the same municipality; its goals move along.
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
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<Option<String>>,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub from_year: Option<i32>,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub to_year: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /roadmaps`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoadmapFilter {
    /// Owned by exactly this organisation.
    pub organisation_id: Option<String>,
    /// Owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub status: Option<RoadmapStatus>,
    /// Covering this year (from_year ≤ year ≤ to_year).
    #[param(example = 2026)]
    pub year: Option<i32>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["name", "from_year", "created_at", "modified_at"];
pub const RESOURCE: &str = "roadmaps";

fn subject(r: &Roadmap) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &r.id,
        municipality_id: Some(&r.municipality_id),
        organisation_id: Some(&r.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Roadmap, ApiError> {
    roadmaps::table
        .find(id)
        .select(Roadmap::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("roadmap", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Roadmap, ApiError> {
    let roadmap = find(conn, id)?;
    scope::check(conn, principal, &roadmap.organisation_id)?;
    Ok(roadmap)
}

fn check_years(from_year: i32, to_year: i32) -> Result<(), ApiError> {
    if to_year < from_year {
        return Err(ApiError::field(
            "to_year",
            format!("must not be before from_year ({from_year})"),
        ));
    }
    Ok(())
}

fn check_external_id(conn: &mut DbConnection, r: &Roadmap) -> Result<(), ApiError> {
    if let Some(ext) = &r.external_id {
        let taken: i64 = roadmaps::table
            .filter(roadmaps::municipality_id.eq(&r.municipality_id))
            .filter(roadmaps::external_id.eq(ext))
            .filter(roadmaps::id.ne(&r.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another roadmap in this municipality"
            )));
        }
    }
    Ok(())
}

/// The owner organisation, checked to exist and to be in the principal's scope.
fn owner(
    conn: &mut DbConnection,
    principal: &Principal,
    organisation_id: &str,
) -> Result<organisations::Organisation, ApiError> {
    let org = organisations::find(conn, organisation_id)
        .map_err(|_| ApiError::field("organisation_id", "no such organisation"))?;
    scope::check(conn, principal, &org.id)?;
    Ok(org)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: RoadmapNew,
) -> Result<Roadmap, ApiError> {
    check_years(input.from_year, input.to_year)?;
    let org = owner(conn, principal, &input.organisation_id)?;
    let now = time::now();
    let roadmap = Roadmap {
        id: new_id(),
        municipality_id: org.municipality_id,
        organisation_id: org.id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        description: clean(input.description),
        from_year: input.from_year,
        to_year: input.to_year,
        status: RoadmapStatus::Draft,
        decision_id: None,
        adopted_on: None,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &roadmap)?;
    diesel::insert_into(roadmaps::table)
        .values(&roadmap)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&roadmap),
        None,
        Some(&roadmap),
    )?;
    Ok(roadmap)
}

/// Writes `after` over `before` (version-checked) and records the change. Shared by PATCH and
/// the adopt/close actions so every status change is versioned and in the history.
pub(crate) fn save(
    conn: &mut DbConnection,
    principal: &Principal,
    before: &Roadmap,
    mut after: Roadmap,
) -> Result<Roadmap, ApiError> {
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        roadmaps::table
            .filter(roadmaps::id.eq(&before.id))
            .filter(roadmaps::version.eq(before.version)),
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
    patch: RoadmapPatch,
) -> Result<Roadmap, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    after.from_year = patch.from_year.unwrap_or(before.from_year);
    after.to_year = patch.to_year.unwrap_or(before.to_year);
    check_years(after.from_year, after.to_year)?;
    if let Some(org_id) = patch.organisation_id {
        if org_id != before.organisation_id {
            let org = owner(conn, principal, &org_id)?;
            if org.municipality_id != before.municipality_id {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "organisation_id",
                    "must be in the same municipality",
                )]));
            }
            after.organisation_id = org.id;
        }
    }
    if let Some(name) = patch.name {
        after.name_sort = text::sort_key(&name);
        after.name = name.trim().to_owned();
    }
    if let Some(v) = patch.description {
        after.description = clean(v);
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    let after = save(conn, principal, &before, after)?;
    if after.organisation_id != before.organisation_id {
        // Goals carry their roadmap's owner for scoping; they move with it.
        diesel::update(roadmap_goals::table.filter(roadmap_goals::roadmap_id.eq(&after.id)))
            .set(roadmap_goals::organisation_id.eq(&after.organisation_id))
            .execute(conn)?;
    }
    Ok(after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let roadmap = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != roadmap.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if roadmap.status != RoadmapStatus::Draft {
        // An adopted roadmap is part of the decision record; it ends by being closed.
        return Err(ApiError::Conflict(format!(
            "roadmap {} is {}; only a draft can be deleted (close an adopted roadmap instead)",
            roadmap.id, roadmap.status
        )));
    }
    let activity_count: i64 = activity_rows::table
        .filter(activity_rows::roadmap_id.eq(&roadmap.id))
        .count()
        .get_result(conn)?;
    let goal_count: i64 = roadmap_goals::table
        .filter(roadmap_goals::roadmap_id.eq(&roadmap.id))
        .count()
        .get_result(conn)?;
    if activity_count > 0 || goal_count > 0 {
        return Err(ApiError::Conflict(format!(
            "roadmap {} still has {activity_count} activity(ies) and {goal_count} goal(s); unlink or delete them first",
            roadmap.id
        )));
    }
    diesel::delete(roadmaps::table.filter(roadmaps::id.eq(&roadmap.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&roadmap),
        Some(&roadmap),
        None,
    )?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &RoadmapFilter,
    page: &PageRequest,
) -> Result<(Vec<Roadmap>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = roadmaps::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(roadmaps::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(roadmaps::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(roadmaps::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.status {
            q = q.filter(roadmaps::status.eq(v));
        }
        if let Some(y) = filter.year {
            q = q.filter(roadmaps::from_year.le(y).and(roadmaps::to_year.ge(y)));
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(roadmaps::external_id.eq(v.clone()));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                roadmaps::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("from_year", false) => build().order((roadmaps::from_year.asc(), roadmaps::name_sort)),
        ("from_year", true) => build().order((roadmaps::from_year.desc(), roadmaps::name_sort)),
        ("created_at", false) => build().order(roadmaps::created_at.asc()),
        ("created_at", true) => build().order(roadmaps::created_at.desc()),
        ("modified_at", false) => build().order(roadmaps::modified_at.asc()),
        ("modified_at", true) => build().order(roadmaps::modified_at.desc()),
        (_, false) => build().order(roadmaps::name_sort.asc()),
        (_, true) => build().order(roadmaps::name_sort.desc()),
    };
    let rows = q
        .then_order_by(roadmaps::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Roadmap::as_select())
        .load(conn)?;
    Ok((rows, total))
}
