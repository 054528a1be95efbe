package org.savesync.core.engine;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;
import org.savesync.core.failure.PeerLog;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.GroupId;
import org.savesync.core.membership.GroupSecret;
import org.savesync.core.protocol.Link;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Message.GroupProof;
import org.savesync.core.protocol.Message.GroupSecretUpdate;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.stats.EngineStats.Refusal;

/**
 * The group secret's job on a link: each side proves it holds the secret of the group's
 * current epoch before the link carries anything of the group but its member list. A node
 * removed from the group never receives the next epoch's secret, so even a link the
 * member-list check would let through (a member that has not seen the new list yet, an
 * artificial one in tests) carries no knowledge, entries or chunks.
 *
 * <pre>
 *   A                                                   B   (both members, link greeted)
 *   Hello(nonce N_A) ─────────────────────────────────►
 *                    ◄───────────────────────────────── Hello(nonce N_B)
 *   MemberListUpdate, GroupProof(epoch, mac_A) ───────►      mac_A = HMAC(K, T || group || A || B || N_B)
 *                    ◄───────────── MemberListUpdate, GroupProof(epoch, mac_B)
 *   mac_B right for OUR epoch: link proven ──► Knowledge, PeerAddresses, then entries and chunks
 *
 *   K = secret.derive("savesync/link-proof/v1", 32), T = "savesync/link-proof/v1\0"
 * </pre>
 * Each side sends its proof once more when it finds the peer's right: a first proof that
 * reached a peer before that peer counted the sender as a member (a group just handed to a
 * hub) was dropped, and this one opens the peer's side; a side already proven ignores it.
 * A group's links also start when a list makes their peer a member, not only when they come up.
 *
 * <p>Until a link proved our epoch, the replica takes from it only {@code MemberListUpdate},
 * {@code GroupProof} and {@code GroupSecretUpdate}; anything else is dropped and counted as
 * {@link Refusal#UNPROVEN_LINK}. A proof is bound to the verifier's Hello nonce, fresh per
 * connection, so a proof seen on one connection is worthless on another. MACs are compared
 * in constant time; a wrong one is {@link Refusal#BAD_GROUP_PROOF}.
 *
 * <p>Epochs: a proof of an <em>older</em> epoch than ours is a member that missed a rotation;
 * when this node is the group's authority it sends that member the current secret
 * ({@code GroupSecretUpdate}, only on a link to a member of its current list), otherwise it
 * waits. A proof of a <em>newer</em> epoch means this node is stale: it is kept and checked
 * again once the authority's {@code GroupSecretUpdate} arrives (on the authority itself it is
 * refused: nobody else makes epochs). A secret update is taken only from a link whose remote
 * is the authority and only with an epoch above ours; it is stored in the group's info, every
 * link of the group is unproven again, and this node's proof is sent again on every one.
 *
 * <p>Sizes: a proof is {@value Protocol#GROUP_PROOF_MAC_LENGTH} bytes of MAC, a secret
 * {@value GroupSecret#LENGTH} bytes, a nonce {@value Protocol#HELLO_NONCE_LENGTH} bytes (checked
 * by the codec). At most one early (newer-epoch) proof is kept per link. Engine thread only.
 */
final class LinkProofs {
    private static final Logger LOG = Logger.getLogger(LinkProofs.class);
    /** The {@link GroupSecret#derive} label of the proof key, and the MAC's domain tag (with a 0 byte). */
    static final String LABEL = "savesync/link-proof/v1";
    private static final byte[] TAG = (LABEL + "\0").getBytes(StandardCharsets.US_ASCII);

    private final GroupReplica r;
    /** Links of members that have not proven our epoch yet. */
    private final Set<Link> unproven = new LinkedHashSet<>();
    /** Proofs of an epoch newer than ours, checked again when the new secret arrives. */
    private final Map<Link, GroupProof> early = new HashMap<>();
    private byte[] key;
    private long keyEpoch = -1;

    LinkProofs(GroupReplica r) {
        this.r = r;
    }

    /** A member's link came up: it waits for the member's proof; ours is sent. */
    void linkUp(Link link) {
        unproven.add(link);
        sendProof(link);
    }

    boolean isUnproven(Link link) {
        return unproven.contains(link);
    }

    /** The links waiting for a proof. */
    List<Link> unprovenLinks() {
        return List.copyOf(unproven);
    }

    void linkGone(Link link) {
        unproven.remove(link);
        early.remove(link);
    }

    void onProof(Link link, GroupProof p) {
        long ours = r.info().secret().epoch();
        if (p.epoch() < ours) {
            if (isAuthority()) {
                LOG.debugf("group %s: %s proves epoch %d, ours is %d: sending it the current secret", r.id,
                        link.remote(), p.epoch(), ours);
                sendSecret(link);
            }
            return;
        }
        if (p.epoch() > ours) {
            if (isAuthority()) {
                refuse(Refusal.BAD_GROUP_PROOF, link, "claims epoch " + p.epoch() + " above the authority's " + ours);
            } else {
                early.put(link, p); // we are stale: the authority's GroupSecretUpdate is on its way
            }
            return;
        }
        if (!unproven.contains(link)) {
            return; // proven already, or not a link of the group
        }
        byte[] ourNonce = r.engine.peerLinks().ourNonce(link);
        if (ourNonce == null) {
            return; // gone meanwhile
        }
        byte[] want = mac(proofKey(), r.id, link.remote(), r.self(), ourNonce);
        if (!MessageDigest.isEqual(want, p.mac())) {
            refuse(Refusal.BAD_GROUP_PROOF, link, "a wrong proof of epoch " + p.epoch());
            return;
        }
        unproven.remove(link);
        early.remove(link);
        // Once more, so a peer that dropped our first proof (it did not count us as a member yet)
        // gets one; it is proven on its side then, and answers nothing more.
        sendProof(link);
        r.linkProven(link);
    }

    /** A member's copy of the secret of a newer epoch, from the authority. */
    void onSecretUpdate(Link link, GroupSecretUpdate u) {
        NodeId authority = r.info().authority();
        if (!link.remote().equals(authority) || authority.equals(r.self())) {
            refuse(Refusal.SECRET_NOT_FROM_AUTHORITY, link, "a group secret update, and only the authority "
                    + authority + " sends those");
            return;
        }
        if (u.epoch() <= r.info().secret().epoch()) {
            return; // one we have, or an old one replayed
        }
        r.setInfo(r.info().withSecret(GroupSecret.of(u.epoch(), u.secret())));
        r.store.saveInfo(r.info());
        LOG.infof("group %s: the authority handed out the group secret of epoch %d", r.id, u.epoch());
        secretChanged();
    }

    /**
     * The authority rotated the secret (stored in the group's info already): every member
     * connected now gets it, then proves it again like every link does after a change.
     */
    void rotated() {
        for (Link l : allLinks()) {
            sendSecret(l);
        }
        secretChanged();
    }

    /** Our secret changed: every link must prove the new epoch; ours goes out on each. */
    private void secretChanged() {
        unproven.addAll(r.unproveLinks());
        for (Link l : List.copyOf(unproven)) {
            sendProof(l);
        }
        long ours = r.info().secret().epoch();
        for (Map.Entry<Link, GroupProof> e : List.copyOf(early.entrySet())) {
            early.remove(e.getKey());
            if (e.getValue().epoch() >= ours) {
                onProof(e.getKey(), e.getValue());
            }
        }
    }

    private List<Link> allLinks() {
        Set<Link> all = new LinkedHashSet<>(r.links());
        all.addAll(unproven);
        return List.copyOf(all);
    }

    private void sendProof(Link link) {
        byte[] theirNonce = r.engine.peerLinks().theirNonce(link);
        if (theirNonce == null) {
            return;
        }
        link.send(new GroupProof(r.id, r.info().secret().epoch(),
                mac(proofKey(), r.id, r.self(), link.remote(), theirNonce)));
    }

    /** Only the authority, only to a member of its current list. */
    private void sendSecret(Link link) {
        if (!isAuthority() || !r.isMember(link.remote()) || link.remote().equals(r.self())) {
            return;
        }
        GroupSecret s = r.info().secret();
        link.send(new GroupSecretUpdate(r.id, s.epoch(), s.bytes()));
    }

    private boolean isAuthority() {
        return r.info().authority().equals(r.self());
    }

    private byte[] proofKey() {
        GroupSecret s = r.info().secret();
        if (key == null || keyEpoch != s.epoch()) {
            key = s.derive(LABEL, 32);
            keyEpoch = s.epoch();
        }
        return key;
    }

    private void refuse(Refusal why, Link link, String what) {
        r.engine.stats().refused(why);
        PeerLog.warn(LOG, "group %s: refused from %s: %s", r.id, link.remote(), what);
    }

    /** HMAC-SHA256(key, TAG || group || prover || verifier || verifier's Hello nonce). */
    static byte[] mac(byte[] key, GroupId group, NodeId prover, NodeId verifier, byte[] verifierNonce) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            m.update(TAG);
            m.update(group.bytes());
            m.update(prover.bytes());
            m.update(verifier.bytes());
            m.update(verifierNonce);
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    /** The proof {@code prover} sends {@code verifier} for {@code secret}'s epoch (tests, rogue peers). */
    static Message.GroupProof proof(GroupSecret secret, GroupId group, NodeId prover, NodeId verifier,
                                    byte[] verifierNonce) {
        return new GroupProof(group, secret.epoch(), mac(secret.derive(LABEL, 32), group, prover, verifier,
                verifierNonce));
    }
}
