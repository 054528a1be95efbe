/**
 * What the hub's tests share: a fresh PostgreSQL database per run (one lifecycle manager per
 * kind of server), the test profile that uses it, a settable
 * {@link org.savesync.server.service.Presence}, helpers that empty the hub's state, and the
 * real {@link org.savesync.server.testing.Keycloak} of a test JVM with the tokens, good and
 * bad, that auth tests need.
 */
package org.savesync.server.testing;
