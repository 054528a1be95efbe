/**
 * How a failure is told to a person: {@link org.savesync.core.failure.Failure#describe} turns any
 * exception into the short reason that logs, status lines and error answers print, never the
 * word "null" and never a wrapper's "java.util.concurrent.CompletionException: ...";
 * {@link org.savesync.core.failure.PeerLog} writes the warnings a peer's messages cause, bounded
 * in rate and made printable.
 */
package org.savesync.core.failure;
