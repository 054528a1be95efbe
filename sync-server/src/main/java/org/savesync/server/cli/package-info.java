/**
 * The {@code savesync-server} command: checks its arguments, opens the database, then runs
 * the Quarkus application in the foreground.
 */
package org.savesync.server.cli;
