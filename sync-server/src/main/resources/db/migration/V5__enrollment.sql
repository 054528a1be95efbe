-- Enrollment admin (org.savesync.server.admin.EnrollmentAdmin): an administrator may revoke a
-- node's enrollment. A revoked node keeps its groups (nothing about them changes) but the hub's
-- registration policy refuses every new group it tries to register, even with a valid
-- enrollment token. revoked_by is the administrator (the token's subject).
ALTER TABLE nodes ADD COLUMN revoked_at timestamptz;
ALTER TABLE nodes ADD COLUMN revoked_by text;
ALTER TABLE nodes ADD CONSTRAINT nodes_revoked_enrolled CHECK (revoked_at IS NULL OR enrolled_at IS NOT NULL);
ALTER TABLE nodes ADD CONSTRAINT nodes_revoked_by CHECK ((revoked_at IS NULL) = (revoked_by IS NULL));
