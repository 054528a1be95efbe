/** The hub's typed settings ({@code savesync.*}), each with a default and overridable by an environment variable. */
package org.savesync.server.config;
