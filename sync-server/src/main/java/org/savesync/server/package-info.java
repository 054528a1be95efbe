/** The SaveSync sync server (hub): a member of every group that keeps a full replica and backup. */
package org.savesync.server;
