package org.savesync.server.persistence;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/** The store contract on the hub's embedded PostgreSQL: runs on every machine. */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class EmbeddedPgIndexStoreContractTest extends PgIndexStoreContractTest {
}
