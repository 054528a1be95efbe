-- The agent's replicated index (org.savesync.agent.persistence.H2IndexStore).
-- One set of tables for every group, each row keyed by the group's 16 raw id bytes.
-- Signed records are kept as the exact bytes their author signed plus the signature;
-- the other blobs use the layouts written down in RecordCodec (first byte: format).

-- What the node knows about a group it belongs to (GroupInfo); a row here means "member".
CREATE TABLE idx_group (
    group_id         BINARY(16)   NOT NULL PRIMARY KEY,
    group_name       VARCHAR      NOT NULL,
    folder_path      VARCHAR      NOT NULL,
    authority        BINARY(32)   NOT NULL,
    member_list      VARBINARY    NOT NULL,  -- SignedMemberList bytes, verbatim
    member_list_sig  VARBINARY    NOT NULL,
    secret_epoch     BIGINT,                 -- both null when the group has no secret
    secret           BINARY(32),
    peer_addresses   VARBINARY    NOT NULL   -- RecordCodec.encodePeers
);

-- The knowledge vector: highest seq received per author.
CREATE TABLE idx_knowledge (
    group_id  BINARY(16)  NOT NULL,
    author    BINARY(32)  NOT NULL,
    seq       BIGINT      NOT NULL,
    PRIMARY KEY (group_id, author)
);

-- The newest signed entry of each (author, path); a newer one overwrites the row.
CREATE TABLE idx_entry (
    group_id      BINARY(16)  NOT NULL,
    author        BINARY(32)  NOT NULL,
    path          VARCHAR     NOT NULL,
    seq           BIGINT      NOT NULL,
    signed_bytes  VARBINARY   NOT NULL,  -- Entry canonical bytes, verbatim
    signature     BINARY(64)  NOT NULL,
    PRIMARY KEY (group_id, author, path)
);

-- What is on disk at a path (LocalRecord).
CREATE TABLE idx_local (
    group_id      BINARY(16)  NOT NULL,
    path          VARCHAR     NOT NULL,
    local_record  VARBINARY   NOT NULL,  -- RecordCodec.encodeLocal
    PRIMARY KEY (group_id, path)
);

-- Chunk lists of blobs this node has seen: blob id -> (length, hash)*.
CREATE TABLE idx_chunk_list (
    group_id  BINARY(16)  NOT NULL,
    blob_id   BINARY(32)  NOT NULL,
    chunks    VARBINARY   NOT NULL,  -- RecordCodec.encodeChunks
    PRIMARY KEY (group_id, blob_id)
);
