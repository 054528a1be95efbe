/**
 * The QUIC transport: mutually authenticated connections between node ids (TLS 1.3 with
 * self-signed Ed25519 certificates), carrying length-prefixed byte frames on one ordered
 * control stream and a few data streams for bulk payloads, with keep-alives, admission of
 * members and a redialer that keeps a connection to a peer up; beside each member connection
 * it dials, a TLS 1.3 over TCP bulk lane that carries its bulk frames ({@link
 * org.savesync.core.transport.BulkLanes}).
 */
package org.savesync.core.transport;
