/**
 * Strict big-endian readers and writers for the canonical byte layouts of signed records
 * (entries, member lists) and tickets: one encoding per value, nothing left over.
 */
package org.savesync.core.encoding;
