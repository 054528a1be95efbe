/**
 * Who may talk to the hub's main HTTP interface (the admin API and {@code /q/openapi}) until it
 * has authentication: requests must name the hub by one of its allowed host names (a browser
 * tricked by DNS rebinding names the attacker's), and a browser may not send a state-changing
 * request from another site. Health and metrics are on the management interface, not here.
 */
package org.savesync.server.http;
