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

diesel::table! {
    decisions (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        decided_on -> Date,
        body -> Text,
        diarienummer -> Nullable<Text>,
        summary -> Text,
        kind -> Text,
        outcome -> Nullable<Text>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    decision_subjects (decision_id, resource, record_id) {
        decision_id -> Text,
        resource -> Text,
        record_id -> Text,
    }
}

diesel::table! {
    plans (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        object_id -> Text,
        year -> Integer,
        status -> Text,
        summary -> Nullable<Text>,
        decision_id -> Nullable<Text>,
        adopted_on -> Nullable<Date>,
        risk_analysis_date -> Nullable<Date>,
        risk_analysis_summary -> Nullable<Text>,
        risk_analysis_url -> Nullable<Text>,
        reopened_reason -> Nullable<Text>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    budget_lines (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        plan_id -> Text,
        category -> Text,
        period -> Text,
        planned -> BigInt,
        forecast -> Nullable<BigInt>,
        actual -> Nullable<BigInt>,
        comment -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    focus_areas (id) {
        id -> Text,
        municipality_id -> Text,
        name -> Text,
        name_sort -> Text,
        description -> Nullable<Text>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    roadmaps (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        name -> Text,
        name_sort -> Text,
        description -> Nullable<Text>,
        from_year -> Integer,
        to_year -> Integer,
        status -> Text,
        decision_id -> Nullable<Text>,
        adopted_on -> Nullable<Date>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    roadmap_goals (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        roadmap_id -> Text,
        focus_area_id -> Nullable<Text>,
        description -> Text,
        indicator -> Nullable<Text>,
        unit -> Nullable<Text>,
        baseline -> Nullable<Double>,
        target -> Nullable<Double>,
        target_date -> Nullable<Date>,
        next_follow_up -> Nullable<Date>,
        last_follow_up -> Nullable<Date>,
        last_value -> Nullable<Double>,
        status -> Text,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    activities (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        plan_id -> Nullable<Text>,
        object_id -> Nullable<Text>,
        roadmap_id -> Nullable<Text>,
        roadmap_priority -> Nullable<Integer>,
        kind -> Text,
        phase -> Text,
        title -> Text,
        title_sort -> Text,
        purpose_and_goals -> Nullable<Text>,
        year -> Integer,
        start_date -> Nullable<Date>,
        end_date -> Nullable<Date>,
        planned_budget -> Nullable<BigInt>,
        actual_budget -> Nullable<BigInt>,
        responsible_person_id -> Nullable<Text>,
        expected_benefit -> Nullable<Integer>,
        complexity -> Nullable<Integer>,
        municipality_wide -> Bool,
        phase_changed_at -> Nullable<Timestamp>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
        documentation_state -> Text,
        documentation_open_items -> Nullable<Text>,
    }
}

diesel::table! {
    activity_focus_areas (activity_id, focus_area_id) {
        activity_id -> Text,
        focus_area_id -> Text,
    }
}

diesel::table! {
    activity_funding (activity_id, organisation_id) {
        activity_id -> Text,
        organisation_id -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    phase_rules (id) {
        id -> Text,
        municipality_id -> Text,
        phase -> Text,
        requirement -> Text,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    phase_transitions (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        activity_id -> Text,
        from_phase -> Nullable<Text>,
        to_phase -> Text,
        at -> Timestamp,
        actor -> Text,
        override_reason -> Nullable<Text>,
        missing -> Nullable<Text>,
    }
}

diesel::table! {
    attachments (id) {
        id -> Text,
        sha256 -> Text,
        content_type -> Text,
        size_bytes -> BigInt,
        data -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    documentation_items (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        activity_id -> Text,
        kind -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        document_date -> Nullable<Date>,
        url -> Nullable<Text>,
        attachment_id -> Nullable<Text>,
        file_name -> Nullable<Text>,
        content_type -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        sha256 -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    benefits (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        activity_id -> Text,
        description -> Text,
        indicator -> Nullable<Text>,
        unit -> Nullable<Text>,
        baseline -> Nullable<Double>,
        target -> Nullable<Double>,
        target_date -> Nullable<Date>,
        yearly_value_sek -> Nullable<BigInt>,
        realised_value -> Nullable<Double>,
        realised_value_sek -> Nullable<BigInt>,
        last_follow_up -> Nullable<Date>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    benefit_follow_ups (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        benefit_id -> Text,
        follow_up_date -> Date,
        measured_value -> Double,
        realised_value_sek -> Nullable<BigInt>,
        comment -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    risks (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        object_id -> Nullable<Text>,
        activity_id -> Nullable<Text>,
        description -> Text,
        probability -> Integer,
        consequence -> Integer,
        score -> Integer,
        mitigation -> Nullable<Text>,
        owner_person_id -> Nullable<Text>,
        status -> Text,
        identified_on -> Nullable<Date>,
        review_date -> Nullable<Date>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    audit_findings (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        audit_title -> Text,
        audit_firm -> Nullable<Text>,
        audit_date -> Date,
        reference -> Nullable<Text>,
        text -> Text,
        response -> Nullable<Text>,
        external_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    audit_actions (id) {
        id -> Text,
        municipality_id -> Text,
        organisation_id -> Text,
        finding_id -> Text,
        description -> Text,
        due_date -> Nullable<Date>,
        status -> Text,
        evidence_url -> Nullable<Text>,
        completed_on -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Text,
        municipality_id -> Text,
        name -> Text,
        name_sort -> Text,
        description -> Nullable<Text>,
        prefix -> Text,
        secret_hash -> Text,
        created_by -> Text,
        expires_at -> Nullable<Timestamp>,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        modified_at -> Timestamp,
    }
}

diesel::table! {
    api_key_organisations (api_key_id, organisation_id) {
        api_key_id -> Text,
        organisation_id -> Text,
    }
}

diesel::joinable!(org_closure -> organisations (descendant_id));
diesel::joinable!(people -> organisations (organisation_id));
diesel::joinable!(objects -> organisations (organisation_id));
diesel::joinable!(systems -> objects (object_id));
diesel::joinable!(role_assignments -> role_types (role_type_id));

diesel::joinable!(plans -> objects (object_id));
diesel::joinable!(budget_lines -> plans (plan_id));
diesel::joinable!(documentation_items -> activities (activity_id));
diesel::joinable!(benefits -> activities (activity_id));
diesel::joinable!(benefit_follow_ups -> benefits (benefit_id));
diesel::joinable!(audit_actions -> audit_findings (finding_id));
diesel::joinable!(roadmap_goals -> roadmaps (roadmap_id));
diesel::joinable!(activity_focus_areas -> activities (activity_id));
diesel::joinable!(activity_funding -> activities (activity_id));
diesel::joinable!(api_key_organisations -> api_keys (api_key_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    org_closure,
    people,
    objects,
    systems,
    role_types,
    role_assignments,
    changes,
    decisions,
    decision_subjects,
    plans,
    budget_lines,
    focus_areas,
    roadmaps,
    roadmap_goals,
    activities,
    activity_focus_areas,
    activity_funding,
    phase_rules,
    phase_transitions,
    attachments,
    documentation_items,
    benefits,
    benefit_follow_ups,
    risks,
    audit_findings,
    audit_actions,
    api_keys,
    api_key_organisations,
);
