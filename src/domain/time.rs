//! Time handling: UTC timestamps truncated to microseconds (PostgreSQL's precision, so both
//! databases return what was written) and their JSON form with a `Z`.

use chrono::{NaiveDateTime, SubsecRound, Utc};

pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Serializes a UTC `NaiveDateTime` as RFC 3339 with `Z`.
pub mod utc {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
    }
}

/// Serializes an optional UTC `NaiveDateTime` as RFC 3339 with `Z`, or null.
pub mod utc_opt {
    use chrono::NaiveDateTime;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => super::utc::serialize(t, s),
            None => s.serialize_none(),
        }
    }
}

/// Parses an RFC 3339 time or a plain date (midnight UTC) from a query parameter.
pub fn parse_instant(value: &str) -> Option<NaiveDateTime> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Some(t.with_timezone(&Utc).naive_utc());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t);
    }
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}
