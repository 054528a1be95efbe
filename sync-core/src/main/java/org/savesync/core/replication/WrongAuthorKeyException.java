package org.savesync.core.replication;

import org.savesync.core.identity.NodeId;

/** An entry was about to be signed with a key that is not its author's. A caller bug. */
public final class WrongAuthorKeyException extends IllegalArgumentException {
    private final NodeId author;
    private final NodeId signer;

    public WrongAuthorKeyException(NodeId author, NodeId signer) {
        super("the entry names author " + author + " but the signing key is " + signer
                + "; a node signs only its own entries");
        this.author = author;
        this.signer = signer;
    }

    public NodeId author() {
        return author;
    }

    public NodeId signer() {
        return signer;
    }
}
