/**
 * Content-defined chunking (FastCDC-style) and the content ids built on it: chunk ids
 * (SHA-256 of a chunk) and blob ids (SHA-256 over the domain-tagged chunk list).
 */
package org.savesync.core.chunking;
