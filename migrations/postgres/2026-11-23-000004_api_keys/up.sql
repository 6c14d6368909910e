-- Read-only API keys for report consumers such as Power BI's scheduled refresh. Only a hash of
-- the secret is stored; the key itself is shown once, when it is created. Rows are never
-- deleted: revocation sets revoked_at, so who created and revoked which key stays answerable.
CREATE TABLE api_keys (
    id TEXT PRIMARY KEY NOT NULL,
    municipality_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    name_sort TEXT COLLATE "C" NOT NULL,
    description TEXT,
    -- The public part of the key (`styra_<prefix>_<secret>`): how a presented key is found.
    prefix TEXT NOT NULL,
    -- SHA-256 of the whole key, lowercase hex (see auth/api_key.rs for why unsalted is right).
    secret_hash TEXT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at TIMESTAMP,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    revoked_by TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    modified_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_municipality_name ON api_keys (municipality_id, name_sort, id);
CREATE INDEX api_keys_revoked ON api_keys (revoked_at, name_sort);
CREATE INDEX api_keys_created ON api_keys (created_at);
CREATE INDEX api_keys_last_used ON api_keys (last_used_at);

-- The organisation subtrees a key may read (org_closure semantics, like a token's org claims).
-- Deleting an organisation narrows the keys scoped to it; a key left with no organisation sees
-- nothing.
CREATE TABLE api_key_organisations (
    api_key_id TEXT NOT NULL REFERENCES api_keys(id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    PRIMARY KEY (api_key_id, organisation_id)
);
CREATE INDEX api_key_organisations_organisation ON api_key_organisations (organisation_id, api_key_id);
