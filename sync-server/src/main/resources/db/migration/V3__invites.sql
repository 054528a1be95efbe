-- The invites the hub made as the authority of its groups (org.savesync.server.persistence.PgInviteStore
-- under sync-core's InviteRegistry), so that they survive a restart of the hub. Rows are keyed by
-- the invite's public id (20 base32 characters of the SHA-256 of the token): the token itself is
-- never stored; it is shown once, in the ticket made with it.
--
-- A live invite has dead_reason NULL. A dead one (used up, revoked, expired) is a tombstone kept
-- until forget_at_ms so its joiner hears why; died orders the tombstones (the oldest is forgotten
-- first when there are too many). No foreign key to groups, as in V2.
CREATE SEQUENCE invite_death;

CREATE TABLE invite (
    invite_id     text         PRIMARY KEY CHECK (char_length(invite_id) = 20),
    group_id      bytea        NOT NULL CHECK (octet_length(group_id) = 16),
    role          text         NOT NULL CHECK (role IN ('MEMBER', 'READER')),
    max_uses      integer      NOT NULL CHECK (max_uses BETWEEN 1 AND 10000),
    uses          integer      NOT NULL CHECK (uses >= 0 AND uses <= max_uses),
    created_at    timestamptz  NOT NULL,
    expires_at    timestamptz  NOT NULL,
    created_by    text         NOT NULL,
    dead_reason   text         CHECK (dead_reason IN ('EXPIRED', 'REVOKED', 'ALREADY_USED', 'USED_UP')),
    forget_at_ms  bigint,
    died          bigint,
    CHECK ((dead_reason IS NULL) = (forget_at_ms IS NULL) AND (dead_reason IS NULL) = (died IS NULL))
);
CREATE INDEX invite_by_group ON invite (group_id) WHERE dead_reason IS NULL;
