/** The agent's local HTTP API on 127.0.0.1: JSON envelopes, token and origin checks. */
package org.savesync.agent.rest;
