/**
 * Who may call the hub's main HTTP interface (the admin API, and gRPC when it runs on the same
 * server): bearer tokens from an OIDC issuer when one is configured, else the hub's local admin
 * token; and the roles ({@link org.savesync.server.auth.Roles}) the resources demand.
 */
package org.savesync.server.auth;
