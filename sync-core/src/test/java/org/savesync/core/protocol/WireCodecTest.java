package org.savesync.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.savesync.core.chunking.BlobId;
import org.savesync.core.chunking.ChunkHash;
import org.savesync.core.chunking.ChunkRef;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.GroupId;
import org.savesync.core.protocol.wire.Envelope;
import org.savesync.core.protocol.wire.EntryBatch;

class WireCodecTest {
    private final GroupId g = GroupId.random();

    @Test
    void messagesSurviveTheRoundTrip() throws Exception {
        var author = NodeKey.generate().nodeId();
        byte[] data = {1, 2, 3};
        ChunkHash h = ChunkHash.compute(data);
        List<Message> all = List.of(
                new Message.Hello(Protocol.MAGIC, Protocol.VERSION, "n", List.of("127.0.0.1:1")),
                new Message.Knowledge(g, Map.of(author, 7L)),
                new Message.EntryBatch(g, author, 3, 9, List.of(new SignedRecord(new byte[] {9}, new byte[64]))),
                new Message.BlobRequest(5, g, BlobId.EMPTY, 0),
                new Message.BlobChunks(5, BlobId.EMPTY, true, 0, 1, List.of(new ChunkRef(3, h))),
                new Message.ChunkRequest(6, g, h),
                new Message.ChunkData(6, h, null),
                new Message.GroupProof(g, 2, new byte[Protocol.GROUP_PROOF_MAC_LENGTH]),
                new Message.GroupSecretUpdate(g, 3, new byte[32]));
        for (Message m : all) {
            assertThat(WireCodec.decode(WireCodec.encode(m))).usingRecursiveComparison().isEqualTo(m);
        }
        Message.ChunkData d = (Message.ChunkData) WireCodec.decode(WireCodec.encode(new Message.ChunkData(6, h, data)));
        assertThat(d.data()).containsExactly(1, 2, 3);
    }

    @Test
    void aFullGroupsKnowledgeFitsOneMessage() throws Exception {
        // One mark per member of the largest list an authority can sign: the decoder must take it.
        Map<org.savesync.core.identity.NodeId, Long> marks = new java.util.HashMap<>();
        while (marks.size() < org.savesync.core.membership.MemberList.MAX_MEMBERS) {
            marks.put(NodeKey.generate().nodeId(), 1L + marks.size());
        }
        Message.Knowledge k = (Message.Knowledge) WireCodec.decode(WireCodec.encode(new Message.Knowledge(g, marks)));
        assertThat(k.marks()).isEqualTo(marks);
    }

    @Test
    void fieldsProtobufCannotCheckAreRefusedWithAReason() {
        byte[] shortAuthor = Envelope.newBuilder().setEntries(EntryBatch.newBuilder()
                .setGroupId(com.google.protobuf.ByteString.copyFrom(g.bytes()))
                .setAuthor(com.google.protobuf.ByteString.copyFrom(new byte[5]))).build().toByteArray();
        assertThatThrownBy(() -> WireCodec.decode(shortAuthor)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("node id of 5 bytes");
        byte[] backwards = Envelope.newBuilder().setEntries(EntryBatch.newBuilder()
                .setGroupId(com.google.protobuf.ByteString.copyFrom(g.bytes()))
                .setAuthor(com.google.protobuf.ByteString.copyFrom(new byte[32])).setAfterSeq(9).setUpToSeq(3))
                .build().toByteArray();
        assertThatThrownBy(() -> WireCodec.decode(backwards)).hasMessageContaining("below after_seq");
        assertThatThrownBy(() -> WireCodec.decode(new byte[] {(byte) 0xff, 0x01})).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> WireCodec.decode(new byte[0])).hasMessageContaining("empty envelope");
    }

    @Test
    void proofsSecretsAndNoncesOfTheWrongSizeAreRefused() {
        var id = com.google.protobuf.ByteString.copyFrom(g.bytes());
        byte[] shortMac = Envelope.newBuilder().setGroupProof(org.savesync.core.protocol.wire.GroupProof.newBuilder()
                .setGroupId(id).setEpoch(1).setMac(com.google.protobuf.ByteString.copyFrom(new byte[31])))
                .build().toByteArray();
        assertThatThrownBy(() -> WireCodec.decode(shortMac)).hasMessageContaining("group proof mac of 31 bytes");
        byte[] longSecret = Envelope.newBuilder().setSecretUpdate(org.savesync.core.protocol.wire.GroupSecretUpdate
                .newBuilder().setGroupId(id).setEpoch(2).setSecret(com.google.protobuf.ByteString.copyFrom(new byte[33])))
                .build().toByteArray();
        assertThatThrownBy(() -> WireCodec.decode(longSecret)).hasMessageContaining("group secret of 33 bytes");
        byte[] negativeEpoch = Envelope.newBuilder().setSecretUpdate(org.savesync.core.protocol.wire.GroupSecretUpdate
                .newBuilder().setGroupId(id).setEpoch(-1).setSecret(com.google.protobuf.ByteString.copyFrom(new byte[32])))
                .build().toByteArray();
        assertThatThrownBy(() -> WireCodec.decode(negativeEpoch)).hasMessageContaining("epoch out of range");
        byte[] noNonce = Envelope.newBuilder().setHello(org.savesync.core.protocol.wire.Hello.newBuilder()
                .setMagic(Protocol.MAGIC).setProtocolVersion(Protocol.VERSION)).build().toByteArray();
        assertThatThrownBy(() -> WireCodec.decode(noNonce)).hasMessageContaining("hello nonce of 0 bytes");
    }
}
