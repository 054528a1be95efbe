/**
 * The replicated index: entries that members sign for each change to a path, the clocks and
 * vectors that order them (hybrid logical clock, version vectors, knowledge vectors), safe
 * relative paths, and the deterministic resolution of concurrent changes into a winner and
 * conflict copies.
 */
package org.savesync.core.replication;
