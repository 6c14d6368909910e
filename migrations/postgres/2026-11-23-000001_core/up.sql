-- Core registry: organisations (with a closure table for subtree scoping), people,
-- förvaltningsobjekt, systems, role types, role assignments and the change history.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    parent_id TEXT REFERENCES organisations(id),
    kind TEXT NOT NULL CHECK (kind IN ('municipality', 'committee', 'administration', 'unit', 'company')),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    short_name TEXT,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisations_external_id ON organisations (municipality_id, external_id);
CREATE INDEX organisations_parent ON organisations (parent_id);
CREATE INDEX organisations_kind ON organisations (kind, name_sort);
CREATE INDEX organisations_name ON organisations (name_sort, id);
CREATE INDEX organisations_modified ON organisations (modified_at);

CREATE TABLE org_closure (
    ancestor_id TEXT NOT NULL REFERENCES organisations(id),
    descendant_id TEXT NOT NULL REFERENCES organisations(id),
    depth INTEGER NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX org_closure_descendant ON org_closure (descendant_id, ancestor_id);

CREATE TABLE people (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    email TEXT,
    title TEXT,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX people_external_id ON people (municipality_id, external_id);
CREATE INDEX people_organisation ON people (organisation_id, name_sort);
CREATE INDEX people_name ON people (name_sort, id);
CREATE INDEX people_email ON people (email);
CREATE INDEX people_modified ON people (modified_at);

CREATE TABLE objects (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    description TEXT,
    business_area TEXT,
    status TEXT NOT NULL CHECK (status IN ('planned', 'active', 'retired')),
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX objects_external_id ON objects (municipality_id, external_id);
CREATE INDEX objects_organisation ON objects (organisation_id, name_sort, id);
CREATE INDEX objects_name ON objects (name_sort, id);
CREATE INDEX objects_status ON objects (status, name_sort);
CREATE INDEX objects_business_area ON objects (business_area);
CREATE INDEX objects_modified ON objects (modified_at);

CREATE TABLE systems (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    object_id TEXT NOT NULL REFERENCES objects(id),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('business_system', 'e_service', 'infrastructure', 'integration', 'other')),
    vendor TEXT,
    lifecycle_status TEXT NOT NULL,
    criticality TEXT,
    personal_data BOOLEAN NOT NULL DEFAULT FALSE,
    confidentiality INTEGER CHECK (confidentiality BETWEEN 0 AND 4),
    integrity INTEGER CHECK (integrity BETWEEN 0 AND 4),
    availability INTEGER CHECK (availability BETWEEN 0 AND 4),
    automated_decisions BOOLEAN NOT NULL DEFAULT FALSE,
    contract_end DATE,
    external_id TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX systems_external_id ON systems (municipality_id, external_id);
CREATE INDEX systems_object ON systems (object_id, name_sort);
CREATE INDEX systems_organisation ON systems (organisation_id, name_sort, id);
CREATE INDEX systems_name ON systems (name_sort, id);
CREATE INDEX systems_kind ON systems (kind);
CREATE INDEX systems_lifecycle ON systems (lifecycle_status);
CREATE INDEX systems_criticality ON systems (criticality);
CREATE INDEX systems_contract_end ON systems (contract_end);
CREATE INDEX systems_modified ON systems (modified_at);

CREATE TABLE role_types (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    description TEXT,
    applies_to TEXT NOT NULL CHECK (applies_to IN ('object', 'system')),
    required BOOLEAN NOT NULL DEFAULT FALSE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE INDEX role_types_name ON role_types (name_sort, id);
CREATE INDEX role_types_municipality ON role_types (municipality_id);

CREATE TABLE role_assignments (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    person_id TEXT REFERENCES people(id),
    role_type_id TEXT NOT NULL REFERENCES role_types(id),
    object_id TEXT REFERENCES objects(id),
    system_id TEXT REFERENCES systems(id),
    valid_from DATE,
    valid_to DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL,
    CHECK ((object_id IS NULL) <> (system_id IS NULL))
);
CREATE INDEX role_assignments_person ON role_assignments (person_id);
CREATE INDEX role_assignments_role_type ON role_assignments (role_type_id);
CREATE INDEX role_assignments_object ON role_assignments (object_id);
CREATE INDEX role_assignments_system ON role_assignments (system_id);
CREATE INDEX role_assignments_organisation ON role_assignments (organisation_id, valid_from);
CREATE INDEX role_assignments_modified ON role_assignments (modified_at);

CREATE TABLE changes (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    resource TEXT NOT NULL,
    record_id TEXT NOT NULL,
    municipality_id TEXT,
    organisation_id TEXT,
    before TEXT,
    after TEXT,
    batch_id TEXT
);
CREATE INDEX changes_record ON changes (resource, record_id, at);
CREATE INDEX changes_at ON changes (at, id);
CREATE INDEX changes_organisation ON changes (organisation_id, at);
CREATE INDEX changes_batch ON changes (batch_id);

-- The role types every municipality starts with (shared: municipality_id NULL).
INSERT INTO role_types (id, municipality_id, name, name_sort, description, applies_to, required, version, created_at, modified_at) VALUES
('00000000-0000-7000-8000-000000000001', NULL, 'Objektägare', 'objekt|gare', 'Äger förvaltningsobjektet och beslutar om dess förvaltningsplan och budget.', 'object', TRUE, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('00000000-0000-7000-8000-000000000002', NULL, 'Objektförvaltare', 'objektf}rvaltare', 'Leder förvaltningen av objektet på uppdrag av objektägaren.', 'object', TRUE, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('00000000-0000-7000-8000-000000000003', NULL, 'Systemägare', 'system|gare', 'Ansvarar för systemet, dess informationssäkerhet och avtal.', 'system', TRUE, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('00000000-0000-7000-8000-000000000004', NULL, 'Systemförvaltare', 'systemf}rvaltare', 'Sköter systemets löpande förvaltning.', 'system', TRUE, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('00000000-0000-7000-8000-000000000005', NULL, 'Driftansvarig', 'driftansvarig', 'Ansvarar för driften av systemet.', 'system', FALSE, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('00000000-0000-7000-8000-000000000006', NULL, 'Verksamhetsrepresentant', 'verksamhetsrepresentant', 'Företräder verksamhetens behov i förvaltningen.', 'object', FALSE, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
