/**
 * End-to-end tests of the packaged agent: real agent processes on 127.0.0.1 (real QUIC, real
 * files), driven through the {@code savesync} CLI and the local API, checked against manifests
 * the tests build from the folders themselves.
 */
package org.savesync.agent.e2e;
