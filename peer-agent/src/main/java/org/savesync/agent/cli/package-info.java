/**
 * The {@code savesync} command line: {@code run} starts the agent, the rest are clients of its local API,
 * which {@code bin/savesync} starts through {@link org.savesync.agent.cli.ClientMain} without Quarkus.
 */
package org.savesync.agent.cli;
