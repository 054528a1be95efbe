/** The {@code savesync} command line: {@code run} starts the agent, the rest are clients of its local API. */
package org.savesync.agent.cli;
