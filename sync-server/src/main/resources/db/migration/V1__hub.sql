-- The hub's metadata (org.savesync.server.persistence). PostgreSQL only.
-- Ids are their raw bytes (bytea): node ids 32, group ids 16, blob and chunk ids 32. Node ids
-- compare as raw bytes (bytea compares unsigned, byte by byte), never as text.
-- Signed records are kept as the exact bytes their signer signed plus the signature; the
-- other binary columns use the layouts written down in RecordCodec (first byte: format).
-- No foreign keys between the index tables: the engine may store entries of a group before
-- it saves the group's info, and a group is removed table by table in one transaction.

-- Every node the hub has heard of: enrolled agents (enrolled_at set) and members that never
-- enrolled (joiners need only an invite) but connected.
CREATE TABLE nodes (
    node_id      bytea        PRIMARY KEY CHECK (octet_length(node_id) = 32),
    name         text,
    enrolled_at  timestamptz,
    last_seen    timestamptz,
    addresses    text[]       NOT NULL DEFAULT '{}'
);

-- What the hub knows about each group it replicates (GroupInfo).
CREATE TABLE groups (
    group_id             bytea   PRIMARY KEY CHECK (octet_length(group_id) = 16),
    name                 text    NOT NULL,
    folder               text,                    -- null on the hub (no folder); kept for GroupInfo
    authority            bytea   NOT NULL CHECK (octet_length(authority) = 32),
    secret_epoch         bigint,                  -- both null when the group has no secret
    secret               bytea,
    handover             bytea,                   -- savesync/handover/v1, verbatim; null while the creator is authority
    handover_sig         bytea,
    member_list          bytea   NOT NULL,        -- the current SignedMemberList bytes, verbatim
    member_list_sig      bytea   NOT NULL,
    member_list_version  bigint  NOT NULL,
    peer_addresses       bytea   NOT NULL         -- RecordCodec.encodePeers
);

-- The current member list of each group, one row per member, rewritten from the list
-- whenever a new version is saved (for queries; the signed list in groups is the truth).
CREATE TABLE members (
    group_id  bytea        NOT NULL,
    node_id   bytea        NOT NULL,
    name      text         NOT NULL,
    role      text         NOT NULL CHECK (role IN ('OWNER', 'MEMBER', 'READER', 'HUB')),
    added_at  timestamptz  NOT NULL,
    added_by  bytea        NOT NULL,
    PRIMARY KEY (group_id, node_id)
);
CREATE INDEX members_by_node ON members (node_id);

-- Every member list version the hub ever held, signed (an audit trail; never deleted with
-- a newer version, only with the group).
CREATE TABLE member_list_versions (
    group_id      bytea        NOT NULL,
    version       bigint       NOT NULL,
    signed_bytes  bytea        NOT NULL,
    signature     bytea        NOT NULL,
    issued_at     timestamptz  NOT NULL,
    PRIMARY KEY (group_id, version)
);

-- Every signed entry received. The newest of each (group, author, path) has superseded =
-- false and is what the index serves; older ones are kept for backup (retention deletes
-- them) and never returned by IndexStore reads. An author never reuses a seq.
CREATE TABLE entries (
    group_id      bytea     NOT NULL,
    author        bytea     NOT NULL,
    seq           bigint    NOT NULL,
    path          text      NOT NULL,
    type          text      NOT NULL CHECK (type IN ('FILE', 'DIRECTORY', 'SYMLINK', 'DELETED')),
    blob_id       bytea,                          -- FILE only
    size          bigint    NOT NULL,
    mtime_nanos   bigint    NOT NULL,
    signed_bytes  bytea     NOT NULL,             -- Entry canonical bytes, verbatim
    signature     bytea     NOT NULL,
    superseded    boolean   NOT NULL DEFAULT false,
    PRIMARY KEY (group_id, author, seq)
);
-- At most one current entry per (group, author, path); also serves loading a group.
CREATE UNIQUE INDEX entries_current ON entries (group_id, author, path) WHERE NOT superseded;

-- The knowledge vector of each group: highest seq received per author.
CREATE TABLE knowledge (
    group_id  bytea   NOT NULL,
    author    bytea   NOT NULL,
    seq       bigint  NOT NULL,
    PRIMARY KEY (group_id, author)
);

-- Chunk lists of the blobs of each group's entries; complete once every chunk is durably
-- in the chunk store (ReplicaIndex.markComplete). Per group, so removing a group forgets
-- its lists; the chunks themselves are shared (content-addressed).
CREATE TABLE chunk_lists (
    group_id  bytea    NOT NULL,
    blob_id   bytea    NOT NULL CHECK (octet_length(blob_id) = 32),
    chunks    bytea    NOT NULL,                  -- RecordCodec.encodeChunks: ordered (length, hash)
    complete  boolean  NOT NULL DEFAULT false,
    PRIMARY KEY (group_id, blob_id)
);

-- LocalRecords (IndexStore.putLocal). The hub has no folder and writes none; kept so the
-- store honours the whole IndexStore contract.
CREATE TABLE local_records (
    group_id      bytea  NOT NULL,
    path          text   NOT NULL,
    local_record  bytea  NOT NULL,                -- RecordCodec.encodeLocal
    PRIMARY KEY (group_id, path)
);

-- The catalog of the chunk store: one row per chunk file, written after the file is in place.
CREATE TABLE chunks (
    hash       bytea        PRIMARY KEY CHECK (octet_length(hash) = 32),
    length     integer      NOT NULL CHECK (length > 0),
    stored_at  timestamptz  NOT NULL
);
