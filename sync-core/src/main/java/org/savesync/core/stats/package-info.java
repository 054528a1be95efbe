/**
 * Counters an operator (and a test) reads: {@link org.savesync.core.stats.EngineStats}, written
 * by the engine, the transfers and the transport's budgets, read by the agent's status and the
 * hub's metrics.
 */
package org.savesync.core.stats;
