package org.savesync.core.replication;

import org.savesync.core.identity.NodeId;

/**
 * An entry's signature is not its author's signature over its bytes: it was corrupted or
 * forged on the way. Drop it, do not forward it, and report the peer that sent it.
 */
public final class BadSignatureException extends RuntimeException {
    private final NodeId author;
    private final long seq;

    public BadSignatureException(NodeId author, long seq) {
        super("entry " + seq + " claims author " + author + " but is not signed by that node's key;"
                + " it was corrupted or forged by the peer that sent it: drop it and report that peer");
        this.author = author;
        this.seq = seq;
    }

    /** The author the entry names. */
    public NodeId author() {
        return author;
    }

    public long seq() {
        return seq;
    }
}
