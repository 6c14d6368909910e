//! Budget lines of a förvaltningsplan: planned, forecast and actual whole kronor per category
//! (vidmakthållande, utveckling, licenser, drift, personal, övrigt) for the year or a quarter.
//! Planned amounts are locked while the plan is adopted; forecast and actual never are.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{budget_lines, plans as plan_rows};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, plans, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// Budget category.
    BudgetCategory {
        /// Vidmakthållande / förvaltning: keeping things running.
        Maintenance => "maintenance",
        /// Utveckling.
        Development => "development",
        /// Licenser.
        Licences => "licences",
        /// Drift.
        Operations => "operations",
        /// Personal.
        Staff => "staff",
        /// Övrigt.
        Other => "other",
    }
}

crate::text_enum! {
    /// The period a line covers: the whole year or one quarter.
    BudgetPeriod {
        Year => "year",
        Q1 => "q1",
        Q2 => "q2",
        Q3 => "q3",
        Q4 => "q4",
    }
}

/// One budget line.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = budget_lines, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-9999-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "plan_id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70", "category": "licences", "period": "year",
    "planned": 1250000, "forecast": 1300000, "actual": null, "comment": "Indexuppräkning 4 %",
    "version": 2, "created_at": "2026-09-01T08:00:00.000000Z", "modified_at": "2026-10-01T08:00:00.000000Z"
}))]
pub struct BudgetLine {
    pub id: String,
    pub municipality_id: String,
    pub organisation_id: String,
    pub plan_id: String,
    pub category: BudgetCategory,
    pub period: BudgetPeriod,
    /// Whole SEK; locked while the plan is adopted.
    pub planned: i64,
    /// Whole SEK.
    pub forecast: Option<i64>,
    /// Whole SEK.
    pub actual: Option<i64>,
    pub comment: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new budget line. One line per plan, category and period.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"plan_id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70", "category": "licences", "period": "year", "planned": 1250000}))]
pub struct BudgetLineNew {
    pub plan_id: String,
    pub category: BudgetCategory,
    /// Default `year`.
    pub period: Option<BudgetPeriod>,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub planned: i64,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub forecast: Option<i64>,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub actual: Option<i64>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

/// Changes to a budget line; absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"forecast": 1300000}))]
pub struct BudgetLinePatch {
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub planned: Option<i64>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub forecast: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub actual: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<Option<String>>,
}

/// Filters of `GET /budget-lines`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BudgetLineFilter {
    pub plan_id: Option<String>,
    pub organisation_id: Option<String>,
    /// Lines of plans owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub category: Option<BudgetCategory>,
    pub period: Option<BudgetPeriod>,
    /// Lines of the plans for this year.
    pub year: Option<i32>,
}

pub const SORT_FIELDS: &[&str] = &["category", "period", "planned", "created_at", "modified_at"];
pub const RESOURCE: &str = "budget-lines";

fn subject(b: &BudgetLine) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &b.id,
        municipality_id: Some(&b.municipality_id),
        organisation_id: Some(&b.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<BudgetLine, ApiError> {
    budget_lines::table
        .find(id)
        .select(BudgetLine::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("budget line", id))
}

pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<BudgetLine, ApiError> {
    let line = find(conn, id)?;
    scope::check(conn, principal, &line.organisation_id)?;
    Ok(line)
}

fn check_unique(conn: &mut DbConnection, b: &BudgetLine) -> Result<(), ApiError> {
    let taken: i64 = budget_lines::table
        .filter(budget_lines::plan_id.eq(&b.plan_id))
        .filter(budget_lines::category.eq(b.category))
        .filter(budget_lines::period.eq(b.period))
        .filter(budget_lines::id.ne(&b.id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(ApiError::Conflict(format!(
            "plan {} already has a {} line for {}; update that line instead",
            b.plan_id, b.category, b.period
        )));
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: BudgetLineNew,
) -> Result<BudgetLine, ApiError> {
    let plan = plans::find(conn, &input.plan_id)
        .map_err(|_| ApiError::field("plan_id", "no such plan"))?;
    scope::check(conn, principal, &plan.organisation_id)?;
    plans::ensure_open(&plan)?;
    let now = time::now();
    let line = BudgetLine {
        id: new_id(),
        municipality_id: plan.municipality_id,
        organisation_id: plan.organisation_id,
        plan_id: plan.id,
        category: input.category,
        period: input.period.unwrap_or(BudgetPeriod::Year),
        planned: input.planned,
        forecast: input.forecast,
        actual: input.actual,
        comment: clean(input.comment),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_unique(conn, &line)?;
    diesel::insert_into(budget_lines::table)
        .values(&line)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&line),
        None,
        Some(&line),
    )?;
    Ok(line)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: BudgetLinePatch,
) -> Result<BudgetLine, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.planned {
        if v != before.planned {
            plans::ensure_open(&plans::find(conn, &before.plan_id)?)?;
        }
        after.planned = v;
    }
    if let Some(v) = patch.forecast {
        after.forecast = v;
    }
    if let Some(v) = patch.actual {
        after.actual = v;
    }
    if let Some(v) = patch.comment {
        after.comment = clean(v);
    }
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        budget_lines::table
            .filter(budget_lines::id.eq(&before.id))
            .filter(budget_lines::version.eq(before.version)),
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

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let line = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != line.version) {
        return Err(ApiError::PreconditionFailed);
    }
    plans::ensure_open(&plans::find(conn, &line.plan_id)?)?;
    diesel::delete(budget_lines::table.filter(budget_lines::id.eq(&line.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&line),
        Some(&line),
        None,
    )?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &BudgetLineFilter,
    page: &PageRequest,
) -> Result<(Vec<BudgetLine>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = budget_lines::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(budget_lines::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.plan_id {
            q = q.filter(budget_lines::plan_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(budget_lines::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(budget_lines::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.category {
            q = q.filter(budget_lines::category.eq(v));
        }
        if let Some(v) = filter.period {
            q = q.filter(budget_lines::period.eq(v));
        }
        if let Some(year) = filter.year {
            let of_year = plan_rows::table
                .filter(plan_rows::year.eq(year))
                .select(plan_rows::id);
            q = q.filter(budget_lines::plan_id.eq_any(of_year));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("period", false) => {
            build().order((budget_lines::period.asc(), budget_lines::category.asc()))
        }
        ("period", true) => {
            build().order((budget_lines::period.desc(), budget_lines::category.asc()))
        }
        ("planned", false) => build().order(budget_lines::planned.asc()),
        ("planned", true) => build().order(budget_lines::planned.desc()),
        ("created_at", false) => build().order(budget_lines::created_at.asc()),
        ("created_at", true) => build().order(budget_lines::created_at.desc()),
        ("modified_at", false) => build().order(budget_lines::modified_at.asc()),
        ("modified_at", true) => build().order(budget_lines::modified_at.desc()),
        (_, false) => build().order((budget_lines::category.asc(), budget_lines::period.asc())),
        (_, true) => build().order((budget_lines::category.desc(), budget_lines::period.asc())),
    };
    let rows = q
        .then_order_by(budget_lines::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(BudgetLine::as_select())
        .load(conn)?;
    Ok((rows, total))
}
