-- The handover record (savesync/handover/v1, verbatim) that made a hub the group's
-- authority; both null while the creator still is.
ALTER TABLE idx_group ADD COLUMN handover VARBINARY;
ALTER TABLE idx_group ADD COLUMN handover_sig VARBINARY;
