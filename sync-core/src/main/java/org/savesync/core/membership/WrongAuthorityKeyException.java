package org.savesync.core.membership;

import org.savesync.core.identity.NodeId;

/** A member list was about to be signed with a key that is not its authority's. A caller bug. */
public final class WrongAuthorityKeyException extends IllegalArgumentException {
    private final NodeId authority;
    private final NodeId signer;

    public WrongAuthorityKeyException(NodeId authority, NodeId signer) {
        super("the member list names authority " + authority + " but the signing key is " + signer
                + "; only the group's authority may sign its member list");
        this.authority = authority;
        this.signer = signer;
    }

    public NodeId authority() {
        return authority;
    }

    public NodeId signer() {
        return signer;
    }
}
