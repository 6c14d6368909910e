-- Plans, activities and their evidence: decisions, förvaltningsplaner with budget lines,
-- focus areas, roadmaps with goals, activities with documentation, phase rules and
-- transitions, benefits with follow-ups, risks, audit findings with actions.

CREATE TABLE decisions (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    decided_on DATE NOT NULL,
    body TEXT NOT NULL CHECK (body IN ('forum', 'council', 'management_group', 'committee', 'municipal_executive_board')),
    diarienummer TEXT,
    summary TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('adoption', 'escalation', 'prioritisation', 'other')),
    outcome TEXT CHECK (outcome IN ('approved', 'accepted', 'rejected', 'returned')),
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX decisions_external_id ON decisions (municipality_id, external_id);
CREATE INDEX decisions_organisation ON decisions (organisation_id, decided_on);
CREATE INDEX decisions_date ON decisions (decided_on, id);
CREATE INDEX decisions_kind ON decisions (kind, outcome);
CREATE INDEX decisions_diarienummer ON decisions (diarienummer);
CREATE INDEX decisions_modified ON decisions (modified_at);

CREATE TABLE decision_subjects (
    decision_id TEXT NOT NULL REFERENCES decisions(id),
    resource TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (decision_id, resource, record_id)
);
CREATE INDEX decision_subjects_record ON decision_subjects (resource, record_id);

CREATE TABLE plans (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    object_id TEXT NOT NULL REFERENCES objects(id),
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    status TEXT NOT NULL CHECK (status IN ('draft', 'adopted', 'closed')),
    summary TEXT,
    decision_id TEXT REFERENCES decisions(id),
    adopted_on DATE,
    risk_analysis_date DATE,
    risk_analysis_summary TEXT,
    risk_analysis_url TEXT,
    reopened_reason TEXT,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX plans_object_year ON plans (object_id, year);
CREATE UNIQUE INDEX plans_external_id ON plans (municipality_id, external_id);
CREATE INDEX plans_organisation ON plans (organisation_id, year, status);
CREATE INDEX plans_year ON plans (year, status);
CREATE INDEX plans_risk_analysis ON plans (risk_analysis_date);
CREATE INDEX plans_modified ON plans (modified_at);

CREATE TABLE budget_lines (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    plan_id TEXT NOT NULL REFERENCES plans(id),
    category TEXT NOT NULL CHECK (category IN ('maintenance', 'development', 'licences', 'operations', 'staff', 'other')),
    period TEXT NOT NULL CHECK (period IN ('year', 'q1', 'q2', 'q3', 'q4')),
    planned BIGINT NOT NULL DEFAULT 0,
    forecast BIGINT,
    actual BIGINT,
    comment TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX budget_lines_key ON budget_lines (plan_id, category, period);
CREATE INDEX budget_lines_organisation ON budget_lines (organisation_id, category);
CREATE INDEX budget_lines_modified ON budget_lines (modified_at);

CREATE TABLE focus_areas (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    description TEXT,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX focus_areas_external_id ON focus_areas (municipality_id, external_id);
CREATE INDEX focus_areas_name ON focus_areas (municipality_id, name_sort);
CREATE INDEX focus_areas_modified ON focus_areas (modified_at);

CREATE TABLE roadmaps (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    description TEXT,
    from_year INTEGER NOT NULL CHECK (from_year BETWEEN 2000 AND 2100),
    to_year INTEGER NOT NULL CHECK (to_year BETWEEN 2000 AND 2100),
    status TEXT NOT NULL CHECK (status IN ('draft', 'adopted', 'closed')),
    decision_id TEXT REFERENCES decisions(id),
    adopted_on DATE,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX roadmaps_external_id ON roadmaps (municipality_id, external_id);
CREATE INDEX roadmaps_organisation ON roadmaps (organisation_id, from_year, to_year);
CREATE INDEX roadmaps_status ON roadmaps (status);
CREATE INDEX roadmaps_name ON roadmaps (name_sort, id);
CREATE INDEX roadmaps_modified ON roadmaps (modified_at);

CREATE TABLE roadmap_goals (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    roadmap_id TEXT NOT NULL REFERENCES roadmaps(id),
    focus_area_id TEXT REFERENCES focus_areas(id),
    description TEXT NOT NULL,
    indicator TEXT,
    unit TEXT,
    baseline DOUBLE PRECISION,
    target DOUBLE PRECISION,
    target_date DATE,
    next_follow_up DATE,
    last_follow_up DATE,
    last_value DOUBLE PRECISION,
    status TEXT NOT NULL CHECK (status IN ('not_started', 'on_track', 'at_risk', 'achieved', 'not_achieved')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE INDEX roadmap_goals_roadmap ON roadmap_goals (roadmap_id);
CREATE INDEX roadmap_goals_focus_area ON roadmap_goals (focus_area_id);
CREATE INDEX roadmap_goals_organisation ON roadmap_goals (organisation_id);
CREATE INDEX roadmap_goals_follow_up ON roadmap_goals (next_follow_up);
CREATE INDEX roadmap_goals_modified ON roadmap_goals (modified_at);

CREATE TABLE activities (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    plan_id TEXT REFERENCES plans(id),
    object_id TEXT REFERENCES objects(id),
    roadmap_id TEXT REFERENCES roadmaps(id),
    roadmap_priority INTEGER CHECK (roadmap_priority >= 1),
    kind TEXT NOT NULL CHECK (kind IN ('maintenance', 'change', 'development', 'project', 'initiative')),
    phase TEXT NOT NULL CHECK (phase IN ('idea', 'needs_analysis', 'planned', 'in_progress', 'completed', 'evaluated', 'cancelled')),
    title TEXT NOT NULL,
    title_sort TEXT COLLATE "C" NOT NULL,
    purpose_and_goals TEXT,
    year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    start_date DATE,
    end_date DATE,
    planned_budget BIGINT,
    actual_budget BIGINT,
    responsible_person_id TEXT REFERENCES people(id),
    expected_benefit INTEGER CHECK (expected_benefit BETWEEN 1 AND 5),
    complexity INTEGER CHECK (complexity BETWEEN 1 AND 5),
    municipality_wide BOOLEAN NOT NULL DEFAULT FALSE,
    phase_changed_at TIMESTAMP,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX activities_external_id ON activities (municipality_id, external_id);
CREATE INDEX activities_organisation ON activities (organisation_id, year, phase, title_sort);
CREATE INDEX activities_year_phase ON activities (year, phase, title_sort);
CREATE INDEX activities_title ON activities (title_sort, id);
CREATE INDEX activities_plan ON activities (plan_id);
CREATE INDEX activities_object ON activities (object_id);
CREATE INDEX activities_roadmap ON activities (roadmap_id, roadmap_priority);
CREATE INDEX activities_kind ON activities (kind);
CREATE INDEX activities_responsible ON activities (responsible_person_id);
CREATE INDEX activities_modified ON activities (modified_at);

CREATE TABLE activity_focus_areas (
    activity_id TEXT NOT NULL REFERENCES activities(id),
    focus_area_id TEXT NOT NULL REFERENCES focus_areas(id),
    PRIMARY KEY (activity_id, focus_area_id)
);
CREATE INDEX activity_focus_areas_focus_area ON activity_focus_areas (focus_area_id);

CREATE TABLE activity_funding (
    activity_id TEXT NOT NULL REFERENCES activities(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    amount BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (activity_id, organisation_id)
);
CREATE INDEX activity_funding_organisation ON activity_funding (organisation_id);

CREATE TABLE phase_rules (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES organisations(id),
    phase TEXT NOT NULL CHECK (phase IN ('idea', 'needs_analysis', 'planned', 'in_progress', 'completed', 'evaluated', 'cancelled')),
    requirement TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX phase_rules_key ON phase_rules (municipality_id, phase, requirement);

CREATE TABLE phase_transitions (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    activity_id TEXT NOT NULL REFERENCES activities(id),
    from_phase TEXT,
    to_phase TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    override_reason TEXT,
    missing TEXT
);
CREATE INDEX phase_transitions_activity ON phase_transitions (activity_id, at);
CREATE INDEX phase_transitions_organisation ON phase_transitions (organisation_id, at);
CREATE INDEX phase_transitions_at ON phase_transitions (at, id);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    data BYTEA NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE documentation_items (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    kind TEXT NOT NULL CHECK (kind IN ('needs_analysis', 'stakeholder_involvement', 'project_plan', 'benefit_calculation', 'risk_analysis', 'decision_basis', 'final_report')),
    status TEXT NOT NULL CHECK (status IN ('missing', 'draft', 'done', 'not_applicable')),
    reason TEXT,
    document_date DATE,
    url TEXT,
    attachment_id TEXT REFERENCES attachments(id),
    file_name TEXT,
    content_type TEXT,
    size_bytes BIGINT,
    sha256 TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL,
    CHECK (status <> 'not_applicable' OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX documentation_items_key ON documentation_items (activity_id, kind);
CREATE INDEX documentation_items_organisation ON documentation_items (organisation_id, kind, status);
CREATE INDEX documentation_items_kind ON documentation_items (kind, status);
CREATE INDEX documentation_items_modified ON documentation_items (modified_at);

CREATE TABLE benefits (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    activity_id TEXT NOT NULL REFERENCES activities(id),
    description TEXT NOT NULL,
    indicator TEXT,
    unit TEXT,
    baseline DOUBLE PRECISION,
    target DOUBLE PRECISION,
    target_date DATE,
    yearly_value_sek BIGINT,
    realised_value DOUBLE PRECISION,
    realised_value_sek BIGINT,
    last_follow_up DATE,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX benefits_external_id ON benefits (municipality_id, external_id);
CREATE INDEX benefits_activity ON benefits (activity_id);
CREATE INDEX benefits_organisation ON benefits (organisation_id, target_date);
CREATE INDEX benefits_modified ON benefits (modified_at);

CREATE TABLE benefit_follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    benefit_id TEXT NOT NULL REFERENCES benefits(id),
    follow_up_date DATE NOT NULL,
    measured_value DOUBLE PRECISION NOT NULL,
    realised_value_sek BIGINT,
    comment TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE INDEX benefit_follow_ups_benefit ON benefit_follow_ups (benefit_id, follow_up_date);
CREATE INDEX benefit_follow_ups_organisation ON benefit_follow_ups (organisation_id);
CREATE INDEX benefit_follow_ups_modified ON benefit_follow_ups (modified_at);

CREATE TABLE risks (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    object_id TEXT REFERENCES objects(id),
    activity_id TEXT REFERENCES activities(id),
    description TEXT NOT NULL,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 1 AND 4),
    consequence INTEGER NOT NULL CHECK (consequence BETWEEN 1 AND 4),
    score INTEGER NOT NULL,
    mitigation TEXT,
    owner_person_id TEXT REFERENCES people(id),
    status TEXT NOT NULL CHECK (status IN ('open', 'mitigating', 'accepted', 'closed')),
    identified_on DATE,
    review_date DATE,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL,
    CHECK ((object_id IS NULL) <> (activity_id IS NULL))
);
CREATE UNIQUE INDEX risks_external_id ON risks (municipality_id, external_id);
CREATE INDEX risks_object ON risks (object_id);
CREATE INDEX risks_activity ON risks (activity_id);
CREATE INDEX risks_organisation ON risks (organisation_id, status);
CREATE INDEX risks_score ON risks (score);
CREATE INDEX risks_review ON risks (review_date);
CREATE INDEX risks_owner ON risks (owner_person_id);
CREATE INDEX risks_modified ON risks (modified_at);

CREATE TABLE audit_findings (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    audit_title TEXT NOT NULL,
    audit_firm TEXT,
    audit_date DATE NOT NULL,
    reference TEXT,
    text TEXT NOT NULL,
    response TEXT,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX audit_findings_external_id ON audit_findings (municipality_id, external_id);
CREATE INDEX audit_findings_organisation ON audit_findings (organisation_id, audit_date);
CREATE INDEX audit_findings_date ON audit_findings (audit_date, id);
CREATE INDEX audit_findings_modified ON audit_findings (modified_at);

CREATE TABLE audit_actions (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    finding_id TEXT NOT NULL REFERENCES audit_findings(id),
    description TEXT NOT NULL,
    due_date DATE,
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    evidence_url TEXT,
    completed_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_actions_finding ON audit_actions (finding_id);
CREATE INDEX audit_actions_organisation ON audit_actions (organisation_id, status, due_date);
CREATE INDEX audit_actions_due ON audit_actions (status, due_date);
CREATE INDEX audit_actions_modified ON audit_actions (modified_at);
