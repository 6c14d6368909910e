//! Domain types, their rules and their queries, one module per resource area.

pub mod activities;
pub mod activity_list;
pub mod activity_phases;
pub mod activity_writes;
pub mod api_keys;
pub mod attachments;
pub mod audit_actions;
pub mod audit_findings;
pub mod benefit_follow_ups;
pub mod benefits;
pub mod budget_lines;
pub mod changes;
pub mod decisions;
pub mod documentation_items;
pub mod file_types;
pub mod focus_areas;
pub mod objects;
pub mod organisations;
pub mod ownership;
pub mod people;
pub mod phase_rules;
pub mod plans;
pub mod risks;
pub mod roadmap_goals;
pub mod roadmaps;
pub mod role_assignments;
pub mod role_types;
pub mod scope;
pub mod systems;
pub mod text;
pub mod time;

/// Declares a closed set of values stored as TEXT: serde and OpenAPI use the same names as the
/// database, and diesel reads and writes it on both backends.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
            utoipa::ToSchema, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Option<$name> {
                match value { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                $name::parse(&text).ok_or_else(|| format!("unknown {} value {text:?}", stringify!($name)).into())
            }
        }
    };
}

/// A new record id: UUID v7, so ids sort by creation time and index pages stay dense.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Deserializes a field that may be absent (`None`), null (`Some(None)`) or set (`Some(Some)`),
/// so PATCH can clear a value.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    use serde::Deserialize;
    Option::<T>::deserialize(d).map(Some)
}

/// Deserializes a PATCH field that may be absent but, when present, must not be null (the field
/// cannot be cleared): `{"name": null}` is a 422 on `name` rather than a silent no-op.
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Validator rule: text must have something besides whitespace (it is stored trimmed).
pub fn not_blank(value: &str) -> Result<(), validator::ValidationError> {
    // (Empty text is the length rule's to report; this catches whitespace only.)
    if !value.is_empty() && value.trim().is_empty() {
        let mut e = validator::ValidationError::new("blank");
        e.message = Some("must not be blank".into());
        return Err(e);
    }
    Ok(())
}

/// Trims optional text; empty becomes `None`.
pub fn clean(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
