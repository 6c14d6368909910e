//! The portable diesel schema: one description of every table, valid for SQLite and PostgreSQL.
//! Ids are UUIDs stored as TEXT, timestamps are UTC `Timestamp`s, money is `BigInt` kronor.

diesel::table! {
    organisations (id) {
        id -> Text,
        municipality_id -> Text,
        parent_id -> Nullable<Text>,
        kind -> Text,
        name -> Text,
        name_sort -> Text,
        short_name -> Nullable<Text>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    org_closure (ancestor_id, descendant_id) {
        ancestor_id -> Text,
        descendant_id -> Text,
        depth -> Integer,
    }
}

diesel::table! {
    people (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        name -> Text,
        name_sort -> Text,
        email -> Nullable<Text>,
        title -> Nullable<Text>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    objects (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        name -> Text,
        name_sort -> Text,
        description -> Nullable<Text>,
        business_area -> Nullable<Text>,
        status -> Text,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    systems (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        object_id -> Text,
        name -> Text,
        name_sort -> Text,
        kind -> Text,
        vendor -> Nullable<Text>,
        lifecycle_status -> Text,
        criticality -> Nullable<Text>,
        personal_data -> Bool,
        confidentiality -> Nullable<Integer>,
        integrity -> Nullable<Integer>,
        availability -> Nullable<Integer>,
        automated_decisions -> Bool,
        contract_end -> Nullable<Date>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    role_types (id) {
        id -> Text,
        municipality_id -> Nullable<Text>,
        name -> Text,
        name_sort -> Text,
        description -> Nullable<Text>,
        applies_to -> Text,
        required -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    role_assignments (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        person_id -> Nullable<Text>,
        role_type_id -> Text,
        object_id -> Nullable<Text>,
        system_id -> Nullable<Text>,
        valid_from -> Nullable<Date>,
        valid_to -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    changes (id) {
        id -> Text,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        resource -> Text,
        record_id -> Text,
        municipality_id -> Nullable<Text>,
        organisation_id -> Nullable<Text>,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
        batch_id -> Nullable<Text>,
    }
}

diesel::joinable!(org_closure -> organisations (descendant_id));
diesel::joinable!(people -> organisations (organisation_id));
diesel::joinable!(objects -> organisations (organisation_id));
diesel::joinable!(systems -> objects (object_id));
diesel::joinable!(role_assignments -> role_types (role_type_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    org_closure,
    people,
    objects,
    systems,
    role_types,
    role_assignments,
    changes,
);
