/**
 * Who a node is: its Ed25519 key pair, kept owner-only in the data directory, and its
 * node id (the public key in lowercase base32), plus signing and verification with it.
 */
package org.savesync.core.identity;
