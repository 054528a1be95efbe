package org.savesync.core.fuzz;

import java.util.List;
import org.savesync.core.chunking.ChunkingParams;
import org.savesync.core.protocol.Message;
import org.savesync.core.protocol.Protocol;
import org.savesync.core.protocol.SignedRecord;

/**
 * The limits the protocol documents ({@link Protocol}, {@code savesync.proto}), checked on a
 * message the decoder accepted, independently of the decoder's own checks: a check that goes
 * missing from {@code WireCodec} shows up here as a finding, not as a message nobody notices.
 */
final class WireLimits {
    private static final int MAX_TEXT = 4096;
    private static final int MAX_ADDRESS = 300;
    private static final int MAX_TOKEN = 256;
    private static final int SIGNATURE = 64;
    private static final int MAX_SIGNED = 64 * 1024;
    private static final int SECRET = 32;

    private WireLimits() {
    }

    static void check(Message m) {
        switch (m) {
            case Message.Hello h -> {
                text("node name", h.nodeName(), Protocol.MAX_NAME_LENGTH);
                addresses(h.listenAddresses());
                at("hello nonce", h.nonce().length, Protocol.HELLO_NONCE_LENGTH, Protocol.HELLO_NONCE_LENGTH);
            }
            case Message.GroupProof p -> {
                at("epoch", p.epoch(), 0, Long.MAX_VALUE);
                at("proof mac", p.mac().length, Protocol.GROUP_PROOF_MAC_LENGTH, Protocol.GROUP_PROOF_MAC_LENGTH);
            }
            case Message.GroupSecretUpdate u -> {
                at("epoch", u.epoch(), 0, Long.MAX_VALUE);
                at("group secret", u.secret().length, SECRET, SECRET);
            }
            case Message.MemberListUpdate u -> {
                record(u.list());
                if (u.handover() != null) {
                    record(u.handover());
                }
            }
            case Message.Knowledge k -> {
                at("marks", k.marks().size(), 0, Protocol.MAX_MEMBERS);
                k.marks().values().forEach(seq -> at("seq", seq, 0, Long.MAX_VALUE));
            }
            case Message.EntryBatch b -> {
                at("entries", b.entries().size(), 0, Protocol.MAX_ENTRIES_PER_BATCH);
                at("after_seq", b.afterSeq(), 0, b.upToSeq());
                b.entries().forEach(WireLimits::record);
            }
            case Message.BlobRequest r -> at("first_chunk", r.firstChunk(), 0, Integer.MAX_VALUE);
            case Message.BlobChunks c -> {
                at("chunks", c.chunks().size(), 0, Protocol.MAX_CHUNKS_PER_PAGE);
                at("first_chunk", c.firstChunk(), 0, Integer.MAX_VALUE);
                at("total_chunks", c.totalChunks(), 0, Integer.MAX_VALUE);
            }
            case Message.ChunkRequest r -> {
                // ids only: their lengths are the id types' own
            }
            case Message.ChunkData d -> {
                if (d.found()) {
                    at("chunk data", d.data().length, 1, ChunkingParams.MAX_SIZE);
                }
            }
            case Message.ErrorNotice n -> text("error message", n.message(), MAX_TEXT);
            case Message.PeerAddresses p -> peers(p.peers());
            case Message.LeaveRequest l -> record(l.leave());
            case Message.LeaveResponse r -> text("error", r.error(), MAX_TEXT);
            case Message.JoinRequest j -> {
                text("invite token", j.inviteToken(), MAX_TOKEN);
                text("node name", j.nodeName(), Protocol.MAX_NAME_LENGTH);
                addresses(j.listenAddresses());
            }
            case Message.JoinResponse r -> {
                text("error", r.error(), MAX_TEXT);
                text("group name", r.groupName(), Protocol.MAX_NAME_LENGTH);
                if (r.memberList() != null) {
                    record(r.memberList());
                }
                if (r.groupSecret() != null) {
                    at("group secret", r.groupSecret().length, SECRET, SECRET);
                }
                peers(r.peers());
            }
            case Message.RegisterRequest r -> {
                text("enroll token", r.enrollToken(), MAX_TOKEN);
                text("group name", r.groupName(), Protocol.MAX_NAME_LENGTH);
                text("node name", r.nodeName(), Protocol.MAX_NAME_LENGTH);
                record(r.memberList());
                record(r.handover());
                at("group secret", r.groupSecret().length, SECRET, SECRET);
                addresses(r.listenAddresses());
                peers(r.peers());
            }
            case Message.RegisterResponse r -> {
                text("error", r.error(), MAX_TEXT);
                if (r.memberList() != null) {
                    record(r.memberList());
                }
            }
            case Message.TicketRequest r -> {
                at("ttl_seconds", r.ttlSeconds(), 0, Long.MAX_VALUE);
                at("max_uses", r.maxUses(), 1, Integer.MAX_VALUE);
            }
            case Message.TicketResponse r -> {
                text("error", r.error(), MAX_TEXT);
                text("ticket", r.ticket(), MAX_TEXT);
            }
        }
    }

    private static void record(SignedRecord r) {
        if (r == null) {
            throw new AssertionError("accepted a message without a signed record it needs");
        }
        at("signature", r.signature().length, SIGNATURE, SIGNATURE);
        at("signed record", r.signedBytes().length, 1, MAX_SIGNED);
    }

    private static void peers(List<Message.PeerAddress> peers) {
        at("peers", peers.size(), 0, Protocol.MAX_MEMBERS);
        peers.forEach(p -> addresses(p.addresses()));
    }

    private static void addresses(List<String> addresses) {
        at("addresses", addresses.size(), 0, Protocol.MAX_ADDRESSES_PER_PEER);
        addresses.forEach(a -> text("address", a, MAX_ADDRESS));
    }

    private static void text(String what, String s, int max) {
        if (s == null) {
            throw new AssertionError("accepted a message whose " + what + " is missing (null)");
        }
        at(what + " length", s.length(), 0, max);
    }

    private static void at(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new AssertionError("accepted a message whose " + what + " is " + value + ", outside the protocol's "
                    + min + ".." + max);
        }
    }
}
