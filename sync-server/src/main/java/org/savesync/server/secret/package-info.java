/**
 * Secrets the hub keeps in its data dir (the enrollment token, the local admin token): made
 * once, owner-only, never rewritten, compared in constant time, never logged.
 */
package org.savesync.server.secret;
