/**
 * Content-defined chunking (FastCDC-style) and the content ids built on it: chunk ids
 * (SHA-256 of a chunk) and blob ids (SHA-256 over the domain-tagged chunk list).
 * {@link org.savesync.core.chunking.FastCdc} holds the cut rule, a protocol constant;
 * {@link org.savesync.core.chunking.Chunker} reads a file or stream once to cut and hash it.
 */
package org.savesync.core.chunking;
