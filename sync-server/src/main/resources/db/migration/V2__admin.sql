-- The hub's administration (org.savesync.server.admin): retention policies and the audit log.
-- Group ids are 16 raw bytes and node ids 32, as in V1. No foreign keys to groups: audit
-- events outlive the groups they name, and a policy is kept if its group is removed.

-- The retention policy of a group that has one of its own (the others have the defaults of
-- RetentionPolicy). version is 1 after the first Set and one more after each Set.
CREATE TABLE retention_policy (
    group_id       bytea        PRIMARY KEY CHECK (octet_length(group_id) = 16),
    keep_versions  integer      NOT NULL CHECK (keep_versions BETWEEN 1 AND 1000),
    keep_days      integer      NOT NULL CHECK (keep_days BETWEEN 0 AND 36500),
    quota_bytes    bigint       NOT NULL CHECK (quota_bytes BETWEEN 0 AND 1125899906842624),
    version        bigint       NOT NULL CHECK (version >= 1),
    updated_by     text         NOT NULL,
    updated_at     timestamptz  NOT NULL
);

-- Every change made through the admin APIs, written in the transaction of the change.
-- before/after: the state before and after as JSON (null: none).
CREATE TABLE audit_event (
    id        bigserial    PRIMARY KEY,
    at        timestamptz  NOT NULL,
    actor     text         NOT NULL,
    action    text         NOT NULL,
    group_id  bytea        CHECK (octet_length(group_id) = 16),
    node_id   bytea        CHECK (octet_length(node_id) = 32),
    before    jsonb,
    after     jsonb
);
CREATE INDEX audit_event_by_group ON audit_event (group_id, id);
CREATE INDEX audit_event_by_at ON audit_event (at);
