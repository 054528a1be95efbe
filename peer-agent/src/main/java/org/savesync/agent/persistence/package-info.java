/**
 * The agent's persistent state: each group's replicated index in an embedded H2 database
 * ({@link org.savesync.agent.persistence.H2Stores}), cached in memory and written through on
 * every change so that whatever a store call acknowledged survives the process being killed.
 */
package org.savesync.agent.persistence;
