/**
 * The checks before authentication ({@code org.savesync.server.auth}) on the hub's main HTTP
 * interface: requests must name the hub by one of its allowed host names (a browser tricked by
 * DNS rebinding names the attacker's), and a browser may not send a state-changing request from
 * another site. Health, metrics and OpenAPI are on the management interface, not here.
 */
package org.savesync.server.http;
