package org.savesync.core.protocol;

import java.time.Duration;

/**
 * Protocol constants and limits. The message flow on a member connection:
 * <pre>
 *   both sides, first frame on the control stream:  Hello(magic, version, name, listen addresses, nonce)
 *   then, per group both are members of:             MemberListUpdate, GroupProof (see engine.LinkProofs)
 *   once the peer proved the group secret's epoch:   Knowledge, PeerAddresses (and from then on all below)
 *   the authority, to a member with an older epoch:  GroupSecretUpdate (also to every member at rotation)
 *   on Knowledge K from the peer:                    EntryBatch* for every author where we hold seq > K[author];
 *                                                    our Knowledge back when K is ahead of us anywhere
 *   on a local change or newly stored entries:       Knowledge to every peer (they ask back)
 *   every ANTI_ENTROPY_INTERVAL:                     Knowledge to every peer (heals lost messages)
 *   to fetch a file:                                  BlobRequest → BlobChunks (chunk list, paged),
 *                                                    ChunkRequest → ChunkData (bulk stream), at most
 *                                                    MAX_CHUNK_REQUESTS_IN_FLIGHT per transfer and
 *                                                    MAX_CHUNK_REQUESTS_PER_GROUP per group
 * </pre>
 * A Hello with another magic is refused ("not a SaveSync peer"); another version is refused
 * with a message naming both versions so the operator knows which side to upgrade.
 */
public final class Protocol {
    /** "SSYC" */
    public static final int MAGIC = 0x53535943;
    public static final int VERSION = 1;
    /**
     * Largest frame on any stream: a 1 MiB chunk plus headroom. Larger frames close the
     * connection. The transport owns the number; it is repeated here for readers of the flow.
     */
    public static final int MAX_FRAME_SIZE = org.savesync.core.transport.Frames.MAX_FRAME_SIZE;
    /** Entries per EntryBatch, so a batch stays far below MAX_FRAME_SIZE (an entry is under 9 KiB). */
    public static final int MAX_ENTRIES_PER_BATCH = 256;
    /** Chunk infos per BlobChunks page (40 bytes each). */
    public static final int MAX_CHUNKS_PER_PAGE = 16_384;
    /** Members in one list / peers in one PeerAddresses message / authors in one Knowledge message. */
    public static final int MAX_MEMBERS = org.savesync.core.membership.MemberList.MAX_MEMBERS;
    public static final int MAX_ADDRESSES_PER_PEER = 16;
    public static final int MAX_NAME_LENGTH = 256;
    /** Chunk requests outstanding per transfer, across all peers. */
    public static final int MAX_CHUNK_REQUESTS_IN_FLIGHT = 32;
    /**
     * Chunk requests outstanding per group, across all its transfers (about 16 MiB at the
     * average chunk size). Without it a thousand small files were all asked for at once: the
     * sender queued a gigabyte of answers and the receiver's transfers all crawled together.
     */
    public static final int MAX_CHUNK_REQUESTS_PER_GROUP = 64;
    /** A chunk or blob request unanswered this long is sent again (to another peer when there is one). */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);
    public static final Duration ANTI_ENTROPY_INTERVAL = Duration.ofSeconds(5);

    /** Random bytes in every Hello, fresh per connection: group proofs on the connection are bound to them. */
    public static final int HELLO_NONCE_LENGTH = 16;
    /** Bytes of a {@code GroupProof} MAC (HMAC-SHA256). */
    public static final int GROUP_PROOF_MAC_LENGTH = 32;
    /**
     * How long the authority keeps a removed member's link open after sending it the list
     * without it, so the list reaches it before the close (a close drops what is still queued).
     */
    public static final Duration REMOVED_FAREWELL = Duration.ofMillis(500);
    private static final java.security.SecureRandom NONCES = new java.security.SecureRandom();

    private Protocol() {
    }

    /** A fresh Hello nonce. */
    public static byte[] newHelloNonce() {
        byte[] n = new byte[HELLO_NONCE_LENGTH];
        NONCES.nextBytes(n);
        return n;
    }
}
