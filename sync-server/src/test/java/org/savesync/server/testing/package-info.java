/**
 * What the hub's {@code @QuarkusTest}s share: a fresh PostgreSQL database per run (one
 * lifecycle manager per kind of server), the test profile that uses it, a settable
 * {@link org.savesync.server.service.Presence} and helpers that empty the hub's state.
 */
package org.savesync.server.testing;
