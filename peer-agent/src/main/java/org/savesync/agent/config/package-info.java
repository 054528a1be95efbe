/** The agent's typed configuration. */
package org.savesync.agent.config;
