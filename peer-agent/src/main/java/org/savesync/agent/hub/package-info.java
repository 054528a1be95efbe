/**
 * The agent's side of the hub: registering the groups this node is the authority of with the
 * configured sync server (retrying while it cannot be reached), and what the status shows of it.
 */
package org.savesync.agent.hub;
