package org.savesync.server.persistence;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.savesync.server.testing.ExternalPostgresProfile;
import org.savesync.server.testing.RequiresExternalPostgres;

/** The store contract on the PostgreSQL server at 127.0.0.1:5432 (skipped when none answers). */
@QuarkusTest
@TestProfile(ExternalPostgresProfile.class)
@RequiresExternalPostgres
class ExternalPgIndexStoreContractTest extends PgIndexStoreContractTest {
}
