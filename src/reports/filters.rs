//! Report filters: parsed strictly from the query string (an unknown parameter is a 422 naming
//! it), validated per field, and resolved against the caller's organisation scope.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::activities::{ActivityKind, Phase};
use crate::domain::phase_rules::Requirement;
use crate::domain::scope;
use crate::error::{ApiError, FieldError};

/// A filter a report table may accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    OrganisationId,
    Year,
    FromYear,
    ToYear,
    Phase,
    Kind,
    FocusAreaId,
    Requirement,
    ReferenceDate,
}

impl Filter {
    pub const ALL: &'static [Filter] = &[
        Filter::OrganisationId,
        Filter::Year,
        Filter::FromYear,
        Filter::ToYear,
        Filter::Phase,
        Filter::Kind,
        Filter::FocusAreaId,
        Filter::Requirement,
        Filter::ReferenceDate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Filter::OrganisationId => "organisation_id",
            Filter::Year => "year",
            Filter::FromYear => "from_year",
            Filter::ToYear => "to_year",
            Filter::Phase => "phase",
            Filter::Kind => "kind",
            Filter::FocusAreaId => "focus_area_id",
            Filter::Requirement => "requirement",
            Filter::ReferenceDate => "reference_date",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Filter::OrganisationId => "Only this organisation and every organisation below it (a municipality, committee, administration …). Must lie in the caller's scope (403 otherwise); without it the report covers the caller's whole scope.",
            Filter::Year => "Only this year (2000–2100).",
            Filter::FromYear => "Only years from this one (inclusive).",
            Filter::ToYear => "Only years up to this one (inclusive).",
            Filter::Phase => "Only activities in these phases, comma-separated: idea, needs_analysis, planned, in_progress, completed, evaluated, cancelled.",
            Filter::Kind => "Only activities of these kinds, comma-separated: maintenance, change, development, project, initiative.",
            Filter::FocusAreaId => "Only activities tied to this focus area (målområde).",
            Filter::Requirement => "Only these requirements, comma-separated: needs_analysis, stakeholder_involvement, project_plan, benefit_calculation, risk_analysis, decision_basis, final_report, purpose_and_goals, planned_budget, time_frame.",
            Filter::ReferenceDate => "The day role vacancies are judged on and the 12 months of risk analyses end on (default: today, or 31 December of `year` when that is earlier).",
        }
    }

    /// (OpenAPI type, format, example).
    pub fn schema(self) -> (&'static str, Option<&'static str>, serde_json::Value) {
        use serde_json::json;
        match self {
            Filter::OrganisationId => (
                "string",
                None,
                json!("0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70"),
            ),
            Filter::Year => ("integer", Some("int32"), json!(2026)),
            Filter::FromYear => ("integer", Some("int32"), json!(2024)),
            Filter::ToYear => ("integer", Some("int32"), json!(2026)),
            Filter::Phase => ("string", None, json!("completed,evaluated")),
            Filter::Kind => ("string", None, json!("project,development")),
            Filter::FocusAreaId => (
                "string",
                None,
                json!("0193a0c4-bbbb-7c1e-9a1b-2f3c4d5e6f70"),
            ),
            Filter::Requirement => ("string", None, json!("benefit_calculation,risk_analysis")),
            Filter::ReferenceDate => ("string", Some("date"), json!("2026-06-30")),
        }
    }
}

/// The requirements the documentation reports know, in report order.
pub const REPORTED_REQUIREMENTS: &[Requirement] = &[
    Requirement::PurposeAndGoals,
    Requirement::PlannedBudget,
    Requirement::TimeFrame,
    Requirement::NeedsAnalysis,
    Requirement::StakeholderInvolvement,
    Requirement::ProjectPlan,
    Requirement::BenefitCalculation,
    Requirement::RiskAnalysis,
    Requirement::DecisionBasis,
    Requirement::FinalReport,
];

/// The query string of a report route, as text (so a bad value is a 422 naming its field).
#[derive(Debug, Default, Deserialize)]
pub struct RawReportQuery {
    pub organisation_id: Option<String>,
    pub year: Option<String>,
    pub from_year: Option<String>,
    pub to_year: Option<String>,
    pub phase: Option<String>,
    pub kind: Option<String>,
    pub focus_area_id: Option<String>,
    pub requirement: Option<String>,
    pub reference_date: Option<String>,
    /// `json`, `csv` or `xlsx`; wins over `Accept`.
    pub format: Option<String>,
    /// CSV only: `comma` (default) or `semicolon`.
    pub delimiter: Option<String>,
    /// CSV only: `swedish` (default) or `key`.
    pub header: Option<String>,
}

/// Validated filters. Public so that other readers (the OData feed) can run report tables.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReportFilters {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_year: Option<i32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phase: Vec<Phase>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kind: Vec<ActivityKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus_area_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub requirement: Vec<Requirement>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_date: Option<NaiveDate>,
}

impl ReportFilters {
    fn is_set(&self, filter: Filter) -> bool {
        match filter {
            Filter::OrganisationId => self.organisation_id.is_some(),
            Filter::Year => self.year.is_some(),
            Filter::FromYear => self.from_year.is_some(),
            Filter::ToYear => self.to_year.is_some(),
            Filter::Phase => !self.phase.is_empty(),
            Filter::Kind => !self.kind.is_empty(),
            Filter::FocusAreaId => self.focus_area_id.is_some(),
            Filter::Requirement => !self.requirement.is_empty(),
            Filter::ReferenceDate => self.reference_date.is_some(),
        }
    }

    /// 422 for a filter the table does not take, a required one missing, or a reversed range.
    pub fn check_for(&self, accepted: &[Filter], required: &[Filter]) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        for f in Filter::ALL {
            if self.is_set(*f) && !accepted.contains(f) {
                errors.push(FieldError::new(f.name(), "is not a filter of this report"));
            }
        }
        for f in required {
            if !self.is_set(*f) {
                errors.push(FieldError::new(f.name(), "is required for this report"));
            }
        }
        if let (Some(from), Some(to)) = (self.from_year, self.to_year) {
            if from > to {
                errors.push(FieldError::new("to_year", "must not be before from_year"));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// The reference date: the one given, else today, or 31 December of `year` when earlier.
    pub fn reference_date_or(&self, today: NaiveDate) -> NaiveDate {
        if let Some(d) = self.reference_date {
            return d;
        }
        match self.year.and_then(|y| NaiveDate::from_ymd_opt(y, 12, 31)) {
            Some(end) if end < today => end,
            _ => today,
        }
    }

    /// The year the report is about: `year`, else the reference date's year.
    pub fn year_or(&self, today: NaiveDate) -> i32 {
        self.year
            .unwrap_or_else(|| self.reference_date_or(today).year())
    }
}

fn parse_year(field: &str, raw: &Option<String>, errors: &mut Vec<FieldError>) -> Option<i32> {
    let raw = raw.as_deref()?.trim();
    match raw.parse::<i32>() {
        Ok(y) if (2000..=2100).contains(&y) => Some(y),
        _ => {
            errors.push(FieldError::new(
                field,
                "must be a year between 2000 and 2100",
            ));
            None
        }
    }
}

fn parse_list<T: Copy>(
    field: &str,
    raw: &Option<String>,
    parse: fn(&str) -> Option<T>,
    allowed: &[&str],
    errors: &mut Vec<FieldError>,
) -> Vec<T> {
    let Some(raw) = raw.as_deref() else {
        return Vec::new();
    };
    let mut values = Vec::new();
    for part in raw.split(',').map(str::trim) {
        match parse(part) {
            Some(v) => values.push(v),
            None => {
                errors.push(FieldError::new(
                    field,
                    format!(
                        "unknown value {part:?}; expected one of {}",
                        allowed.join(", ")
                    ),
                ));
                return Vec::new();
            }
        }
    }
    values
}

fn parse_id(field: &str, raw: &Option<String>, errors: &mut Vec<FieldError>) -> Option<String> {
    let raw = raw.as_deref()?.trim();
    if raw.is_empty() || raw.len() > 100 {
        errors.push(FieldError::new(field, "must be a record id"));
        return None;
    }
    Some(raw.to_owned())
}

impl RawReportQuery {
    /// Parses the filters; every bad one is named in one 422.
    pub fn filters(&self) -> Result<ReportFilters, ApiError> {
        let mut errors = Vec::new();
        let phases: Vec<&str> = Phase::ALL.iter().map(|p| p.as_str()).collect();
        let kinds: Vec<&str> = ActivityKind::ALL.iter().map(|k| k.as_str()).collect();
        let requirements: Vec<&str> = REPORTED_REQUIREMENTS.iter().map(|r| r.as_str()).collect();
        let filters = ReportFilters {
            organisation_id: parse_id("organisation_id", &self.organisation_id, &mut errors),
            year: parse_year("year", &self.year, &mut errors),
            from_year: parse_year("from_year", &self.from_year, &mut errors),
            to_year: parse_year("to_year", &self.to_year, &mut errors),
            phase: parse_list("phase", &self.phase, Phase::parse, &phases, &mut errors),
            kind: parse_list("kind", &self.kind, ActivityKind::parse, &kinds, &mut errors),
            focus_area_id: parse_id("focus_area_id", &self.focus_area_id, &mut errors),
            requirement: parse_list(
                "requirement",
                &self.requirement,
                |s| Requirement::parse(s).filter(|r| REPORTED_REQUIREMENTS.contains(r)),
                &requirements,
                &mut errors,
            ),
            reference_date: match self.reference_date.as_deref() {
                None => None,
                Some(raw) => match NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") {
                    Ok(d) => Some(d),
                    Err(_) => {
                        errors.push(FieldError::new(
                            "reference_date",
                            "must be a date YYYY-MM-DD",
                        ));
                        None
                    }
                },
            },
        };
        if errors.is_empty() {
            Ok(filters)
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// Everything a table's query needs: the filters, whose organisations it may read, and today.
#[derive(Debug, Clone)]
pub struct ReportContext {
    pub filters: ReportFilters,
    /// Roots of the organisation subtrees to report on; `None`: every organisation.
    pub roots: Option<Vec<String>>,
    /// The municipalities the roots lie in (`None` with `roots`), so that a query can also
    /// narrow a large table by its indexed `municipality_id` before the subtree test.
    pub municipalities: Option<Vec<String>>,
    pub today: NaiveDate,
}

impl ReportContext {
    /// Intersects the `organisation_id` filter with the caller's scope: an organisation outside
    /// it is a 403, an unknown one a 422. Without the filter the report covers the whole scope.
    pub fn resolve(
        conn: &mut DbConnection,
        principal: &Principal,
        filters: ReportFilters,
        today: NaiveDate,
    ) -> Result<ReportContext, ApiError> {
        use crate::db::schema::organisations;
        use diesel::prelude::*;
        let (roots, municipalities) = match &filters.organisation_id {
            Some(org) => {
                // Its municipality, which also tells that it exists.
                let municipality: Option<String> = organisations::table
                    .filter(organisations::id.eq(org))
                    .select(organisations::municipality_id)
                    .first(conn)
                    .optional()?;
                let Some(municipality) = municipality else {
                    return Err(ApiError::field("organisation_id", "no such organisation"));
                };
                scope::check(conn, principal, org)?;
                (Some(vec![org.clone()]), Some(vec![municipality]))
            }
            None => match &principal.orgs {
                Some(roots) => (
                    Some(roots.clone()),
                    Some(scope::municipalities_of(conn, roots)?),
                ),
                None => (None, None),
            },
        };
        Ok(ReportContext {
            filters,
            roots,
            municipalities,
            today,
        })
    }
}
