//! Nyttorealisering: what a benefit has realised so far, derived from its latest follow-up.
//! The rule is a pure function ([`realise`]); [`refresh`] applies it after every change that
//! can move it (a follow-up written or deleted, the benefit's baseline, target or value edited).

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{benefit_follow_ups, benefits};
use crate::db::DbConnection;
use crate::domain::changes::ChangeAction;
use crate::domain::time;
use crate::error::ApiError;

use super::Benefit;

/// The follow-up that counts: the latest by date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latest {
    pub follow_up_date: NaiveDate,
    pub measured_value: f64,
    /// Whole SEK stated by whoever followed up; wins over the computed value.
    pub realised_value_sek: Option<i64>,
}

/// A benefit's computed, read-only fields.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Realisation {
    pub realised_value: Option<f64>,
    pub realised_value_sek: Option<i64>,
    pub last_follow_up: Option<NaiveDate>,
}

/// The realisation given the benefit's plan and its latest follow-up.
///
/// realised_value_sek is the follow-up's explicit SEK if given; otherwise yearly_value_sek ×
/// progress, where progress = (measured − baseline) / (target − baseline) clamped to 0..1 (so a
/// falling target, e.g. shorter handling times, works too), rounded to whole SEK. Null when any
/// of baseline, target and yearly value is missing, or baseline equals target.
pub fn realise(
    baseline: Option<f64>,
    target: Option<f64>,
    yearly_value_sek: Option<i64>,
    latest: Option<&Latest>,
) -> Realisation {
    let Some(latest) = latest else {
        return Realisation {
            realised_value: None,
            realised_value_sek: None,
            last_follow_up: None,
        };
    };
    let computed = || -> Option<i64> {
        let (baseline, target, yearly) = (baseline?, target?, yearly_value_sek?);
        let progress = (latest.measured_value - baseline) / (target - baseline);
        if !progress.is_finite() {
            return None;
        }
        let progress = progress.clamp(0.0, 1.0);
        // Exact at the ends, so a reached target realises the whole yearly value.
        Some(if progress >= 1.0 {
            yearly
        } else {
            (yearly as f64 * progress).round() as i64
        })
    };
    Realisation {
        realised_value: Some(latest.measured_value),
        realised_value_sek: latest.realised_value_sek.or_else(computed),
        last_follow_up: Some(latest.follow_up_date),
    }
}

/// The latest follow-up of a benefit (ties on the date: the one recorded last).
pub fn latest(conn: &mut DbConnection, benefit_id: &str) -> QueryResult<Option<Latest>> {
    let row: Option<(NaiveDate, f64, Option<i64>)> = benefit_follow_ups::table
        .filter(benefit_follow_ups::benefit_id.eq(benefit_id))
        .order((
            benefit_follow_ups::follow_up_date.desc(),
            benefit_follow_ups::created_at.desc(),
            benefit_follow_ups::id.desc(),
        ))
        .select((
            benefit_follow_ups::follow_up_date,
            benefit_follow_ups::measured_value,
            benefit_follow_ups::realised_value_sek,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(follow_up_date, measured_value, realised_value_sek)| Latest {
            follow_up_date,
            measured_value,
            realised_value_sek,
        },
    ))
}

/// Sets the computed fields of `benefit` from its current follow-ups.
pub fn apply(conn: &mut DbConnection, benefit: &mut Benefit) -> QueryResult<()> {
    let latest = latest(conn, &benefit.id)?;
    let r = realise(
        benefit.baseline,
        benefit.target,
        benefit.yearly_value_sek,
        latest.as_ref(),
    );
    benefit.realised_value = r.realised_value;
    benefit.realised_value_sek = r.realised_value_sek;
    benefit.last_follow_up = r.last_follow_up;
    Ok(())
}

/// Recomputes a benefit after its follow-ups changed; when the result differs, the benefit gets
/// a new version (its ETag changes) and a change record, in the caller's transaction.
pub fn refresh(
    conn: &mut DbConnection,
    principal: &Principal,
    benefit_id: &str,
) -> Result<(), ApiError> {
    let before = super::find(conn, benefit_id)?;
    let mut after = before.clone();
    apply(conn, &mut after)?;
    let unchanged = after.realised_value == before.realised_value
        && after.realised_value_sek == before.realised_value_sek
        && after.last_follow_up == before.last_follow_up;
    if unchanged {
        return Ok(());
    }
    after.version = before.version + 1;
    after.modified_at = time::now();
    diesel::update(benefits::table.filter(benefits::id.eq(&before.id)))
        .set(&after)
        .execute(conn)?;
    super::record_change(
        conn,
        principal,
        ChangeAction::Update,
        Some(&before),
        Some(&after),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(value: f64, sek: Option<i64>) -> Latest {
        Latest {
            follow_up_date: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
            measured_value: value,
            realised_value_sek: sek,
        }
    }

    fn sek(baseline: f64, target: f64, yearly: i64, measured: f64) -> Option<i64> {
        realise(
            Some(baseline),
            Some(target),
            Some(yearly),
            Some(&at(measured, None)),
        )
        .realised_value_sek
    }

    #[test]
    fn no_follow_up_realises_nothing_yet() {
        let r = realise(Some(0.0), Some(10.0), Some(1000), None);
        assert_eq!(r.realised_value, None);
        assert_eq!(r.realised_value_sek, None);
        assert_eq!(r.last_follow_up, None);
    }

    #[test]
    fn progress_scales_the_yearly_value() {
        assert_eq!(sek(0.0, 100.0, 200_000, 25.0), Some(50_000));
        assert_eq!(sek(0.0, 100.0, 200_000, 100.0), Some(200_000));
        assert_eq!(sek(0.0, 3.0, 100, 1.0), Some(33), "rounded to whole SEK");
        assert_eq!(sek(0.0, 3.0, 100, 2.0), Some(67));
    }

    #[test]
    fn falling_targets_count_progress_downwards() {
        // Handling time from 10 days to 4: 7 days is halfway.
        assert_eq!(sek(10.0, 4.0, 80_000, 7.0), Some(40_000));
    }

    #[test]
    fn progress_is_clamped_to_zero_and_one() {
        assert_eq!(sek(0.0, 100.0, 200_000, 150.0), Some(200_000));
        assert_eq!(sek(0.0, 100.0, 200_000, -5.0), Some(0));
        assert_eq!(sek(10.0, 4.0, 80_000, 12.0), Some(0));
    }

    #[test]
    fn explicit_sek_wins() {
        let r = realise(
            Some(0.0),
            Some(100.0),
            Some(200_000),
            Some(&at(25.0, Some(70_000))),
        );
        assert_eq!(r.realised_value_sek, Some(70_000));
        assert_eq!(r.realised_value, Some(25.0));
        let r = realise(None, None, None, Some(&at(25.0, Some(70_000))));
        assert_eq!(r.realised_value_sek, Some(70_000));
    }

    #[test]
    fn null_when_it_cannot_be_computed() {
        assert_eq!(sek(5.0, 5.0, 1000, 5.0), None, "baseline equals target");
        let latest = at(3.0, None);
        assert_eq!(
            realise(None, Some(10.0), Some(1000), Some(&latest)).realised_value_sek,
            None
        );
        assert_eq!(
            realise(Some(0.0), None, Some(1000), Some(&latest)).realised_value_sek,
            None
        );
        let r = realise(Some(0.0), Some(10.0), None, Some(&latest));
        assert_eq!(r.realised_value_sek, None);
        assert_eq!(
            r.realised_value,
            Some(3.0),
            "the measured value still shows"
        );
        assert_eq!(r.last_follow_up, NaiveDate::from_ymd_opt(2026, 6, 30));
    }
}
