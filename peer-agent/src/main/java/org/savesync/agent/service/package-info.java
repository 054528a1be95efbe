/** The running agent: engine lifecycle, folder monitoring, status and progress. */
package org.savesync.agent.service;
