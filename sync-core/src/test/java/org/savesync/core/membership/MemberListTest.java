package org.savesync.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.savesync.core.identity.NodeId;
import org.savesync.core.identity.NodeKey;
import org.savesync.core.membership.InvalidMemberListException.Reason;
import org.junit.jupiter.api.Test;

class MemberListTest {
    private static final NodeKey OWNER_KEY = NodeKey.generate();
    private static final NodeKey OTHER_KEY = NodeKey.generate();
    private static final GroupId GROUP = GroupId.random();

    static NodeId fixedId(int b) {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) b);
        return NodeId.of(raw);
    }

    private static MemberList twoMembers() {
        Member owner = new Member(OWNER_KEY.nodeId(), "Alice", Role.OWNER, 1000, OWNER_KEY.nodeId());
        return MemberList.initial(GROUP, owner, 1000)
                .withMember(new Member(OTHER_KEY.nodeId(), "Bob", Role.MEMBER, 2000, OWNER_KEY.nodeId()), 2000);
    }

    @Test
    void canonicalBytesMatchTheWrittenLayout() {
        byte[] group = new byte[16];
        for (int i = 0; i < 16; i++) {
            group[i] = (byte) i;
        }
        NodeId a = fixedId(0x11);
        NodeId b = fixedId(0x22);
        MemberList list = new MemberList(GroupId.of(group), 3, a, 1_700_000_000_000L, List.of(
                new Member(b, "Bøb", Role.HUB, 1_650_000_000_000L, a),
                new Member(a, "Alice", Role.OWNER, 1_600_000_000_000L, a)));
        String expected = "7361766573796e632f6d656d626572732f763100" // "savesync/members/v1\0"
                + "000102030405060708090a0b0c0d0e0f" // group id
                + "0000000000000003" // version
                + "11".repeat(32) // authority
                + "0000018bcfe56800" // issuedAtMillis
                + "0002" // member count
                + "11".repeat(32) + "01" + "00000174876e8000" + "11".repeat(32) + "0005" + "416c696365" // Alice, OWNER
                + "22".repeat(32) + "04" + "000001802ba9f400" + "11".repeat(32) + "0004" + "42c3b862"; // Bøb, HUB
        assertThat(HexFormat.of().formatHex(list.canonicalBytes())).isEqualTo(expected);
    }

    @Test
    void membersAreSortedAndUnique() {
        NodeId a = fixedId(0x01);
        NodeId z = fixedId(0xf0);
        MemberList list = new MemberList(GROUP, 1, a, 0, List.of(
                new Member(z, "z", Role.MEMBER, 0, a), new Member(a, "a", Role.OWNER, 0, a)));
        assertThat(list.members()).extracting(Member::id).containsExactly(a, z);
        assertThatThrownBy(() -> new MemberList(GROUP, 1, a, 0, List.of(
                new Member(a, "a", Role.OWNER, 0, a), new Member(a, "again", Role.MEMBER, 0, a))))
                .hasMessageContaining("twice");
    }

    @Test
    void validatesFields() {
        NodeId a = fixedId(1);
        Member m = new Member(a, "a", Role.OWNER, 0, a);
        assertThatThrownBy(() -> new MemberList(GROUP, 0, a, 0, List.of(m))).hasMessageContaining("version");
        assertThatThrownBy(() -> new MemberList(GROUP, 1, fixedId(2), 0, List.of(m))).hasMessageContaining("authority");
        assertThatThrownBy(() -> new MemberList(GROUP, 1, a, 0, List.of())).hasMessageContaining("1..");
        assertThatThrownBy(() -> new Member(a, " ", Role.OWNER, 0, a)).hasMessageContaining("empty");
        assertThatThrownBy(() -> new Member(a, "x\ny", Role.OWNER, 0, a)).hasMessageContaining("control");
        assertThatThrownBy(() -> new Member(a, "x".repeat(256), Role.OWNER, 0, a)).hasMessageContaining("255");
    }

    @Test
    void helpersProduceTheNextVersion() {
        MemberList list = twoMembers();
        assertThat(list.version()).isEqualTo(2);
        assertThat(list.isMember(OTHER_KEY.nodeId())).isTrue();
        assertThat(list.canWrite(OTHER_KEY.nodeId())).isTrue();
        MemberList reader = list.withMember(list.member(OTHER_KEY.nodeId()).orElseThrow().withRole(Role.READER), 3000);
        assertThat(reader.version()).isEqualTo(3);
        assertThat(reader.members()).hasSize(2);
        assertThat(reader.isMember(OTHER_KEY.nodeId())).isTrue();
        assertThat(reader.canWrite(OTHER_KEY.nodeId())).isFalse();
        MemberList removed = reader.withoutMember(OTHER_KEY.nodeId(), 4000);
        assertThat(removed.version()).isEqualTo(4);
        assertThat(removed.isMember(OTHER_KEY.nodeId())).isFalse();
        assertThat(removed.canWrite(OTHER_KEY.nodeId())).isFalse();
        assertThatThrownBy(() -> removed.withoutMember(OTHER_KEY.nodeId(), 5000)).hasMessageContaining("not a member");
        assertThatThrownBy(() -> removed.withoutMember(OWNER_KEY.nodeId(), 5000)).hasMessageContaining("hand the group over");
    }

    @Test
    void roleWriteRights() {
        assertThat(Role.OWNER.canWrite()).isTrue();
        assertThat(Role.MEMBER.canWrite()).isTrue();
        assertThat(Role.HUB.canWrite()).isTrue();
        assertThat(Role.READER.canWrite()).isFalse();
    }

    @Test
    void signParseRoundTripKeepsExactBytes() {
        SignedMemberList signed = SignedMemberList.sign(twoMembers(), OWNER_KEY);
        SignedMemberList parsed = SignedMemberList.parse(signed.signedBytes(), signed.signature());
        assertThat(parsed.list()).isEqualTo(twoMembers());
        assertThat(parsed.signedBytes()).isEqualTo(signed.signedBytes());
        assertThat(parsed).isEqualTo(signed);
        assertThat(parsed.toString()).contains("version=2");
    }

    @Test
    void signingWithAKeyOtherThanTheAuthoritysIsRefused() {
        WrongAuthorityKeyException e = catchThrowableOfType(WrongAuthorityKeyException.class,
                () -> SignedMemberList.sign(twoMembers(), OTHER_KEY));
        assertThat(e.authority()).isEqualTo(OWNER_KEY.nodeId());
        assertThat(e.signer()).isEqualTo(OTHER_KEY.nodeId());
    }

    @Test
    void tamperingWithAnyByteIsRefused() {
        SignedMemberList signed = SignedMemberList.sign(twoMembers(), OWNER_KEY);
        byte[] bytes = signed.signedBytes();
        for (int i = 0; i < bytes.length; i++) {
            byte[] t = bytes.clone();
            t[i] ^= 0x01;
            assertThatThrownBy(() -> SignedMemberList.parse(t, signed.signature()))
                    .as("flipping byte %d", i).isInstanceOf(InvalidMemberListException.class);
        }
        byte[] sig = signed.signature();
        for (int i = 0; i < sig.length; i++) {
            byte[] s = sig.clone();
            s[i] ^= 0x01;
            assertThat(catchThrowableOfType(InvalidMemberListException.class,
                    () -> SignedMemberList.parse(bytes, s)).reason()).isEqualTo(Reason.BAD_SIGNATURE);
        }
        assertThat(reasonOf(bytes, Arrays.copyOf(sig, 63))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aListSignedByAnotherKeyThanItsNamedAuthorityIsRefused() {
        byte[] bytes = twoMembers().canonicalBytes();
        assertThat(reasonOf(bytes, OTHER_KEY.sign(bytes))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void parsingIsStrict() {
        NodeId a = OWNER_KEY.nodeId();
        NodeId b = OTHER_KEY.nodeId();
        NodeId lo = a.compareTo(b) < 0 ? a : b;
        NodeId hi = a.compareTo(b) < 0 ? b : a;
        byte[] good = raw("savesync/members/v1", 1, a, member(lo, 1, "x"), member(hi, 2, "y"));
        assertThat(SignedMemberList.parse(good, OWNER_KEY.sign(good)).list().members()).hasSize(2);

        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThat(signedReason(trailing)).isEqualTo(Reason.MALFORMED);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThat(signedReason(truncated)).as("cut at %d", cut).isIn(Reason.MALFORMED, Reason.UNSUPPORTED_FORMAT);
        }
        assertThat(signedReason(raw("savesync/members/v1", 1, a, member(hi, 2, "y"), member(lo, 1, "x"))))
                .isEqualTo(Reason.NOT_CANONICAL);
        assertThat(signedReason(raw("savesync/members/v1", 1, a, member(a, 1, "x"), member(a, 2, "y"))))
                .isEqualTo(Reason.DUPLICATE_MEMBER);
        assertThat(signedReason(raw("savesync/members/v1", 1, a, member(a, 9, "x"))))
                .isEqualTo(Reason.UNKNOWN_ROLE);
        assertThat(signedReason(raw("savesync/members/v1", 1, a, member(b, 1, "x"))))
                .as("authority not on its list").isEqualTo(Reason.INVALID_FIELD);
        assertThat(signedReason(raw("savesync/members/v1", 0, a, member(a, 1, "x")))).isEqualTo(Reason.INVALID_FIELD);
        assertThat(signedReason(raw("savesync/members/v1", 1, a, member(a, 1, "")))).isEqualTo(Reason.INVALID_FIELD);
        assertThat(signedReason(raw("savesync/members/v2", 1, a, member(a, 1, "x")))).isEqualTo(Reason.UNSUPPORTED_FORMAT);
        byte[] badUtf8 = raw("savesync/members/v1", 1, a, member(a, 1, "x"));
        badUtf8[badUtf8.length - 1] = (byte) 0xff;
        assertThat(signedReason(badUtf8)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void aListHoldsAtMostMaxMembersWhenBuiltAndWhenParsed() {
        NodeId a = OWNER_KEY.nodeId();
        List<NodeId> ids = new java.util.ArrayList<>(List.of(a));
        while (ids.size() < MemberList.MAX_MEMBERS + 1) {
            ids.add(NodeKey.generate().nodeId());
        }
        ids.sort(null);
        List<Member> all = ids.stream().map(id -> new Member(id, "m", id.equals(a) ? Role.OWNER : Role.MEMBER, 5, a))
                .toList();
        List<Member> full = new java.util.ArrayList<>(all);
        full.remove(full.stream().filter(m -> !m.id().equals(a)).findFirst().orElseThrow());
        MemberList atCap = new MemberList(GROUP, 1, a, 1, full);
        assertThat(atCap.full()).as("a list at the cap").isTrue();
        assertThat(atCap.withoutMember(full.getLast().id().equals(a) ? full.getFirst().id() : full.getLast().id(), 2).full())
                .as("one below the cap").isFalse();
        assertThat(SignedMemberList.parse(atCap.canonicalBytes(), OWNER_KEY.sign(atCap.canonicalBytes())).list()
                .members()).hasSize(MemberList.MAX_MEMBERS);
        assertThatThrownBy(() -> new MemberList(GROUP, 1, a, 1, all)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.." + MemberList.MAX_MEMBERS + " members");
        byte[][] raws = ids.stream().map(id -> member(id, id.equals(a) ? 1 : 2, "m")).toArray(byte[][]::new);
        assertThat(signedReason(raw("savesync/members/v1", 1, a, raws))).as("one member past the cap")
                .isEqualTo(Reason.INVALID_FIELD);
    }

    @Test
    void exceptionMessagesSayWhatHappened() {
        byte[] bytes = twoMembers().canonicalBytes();
        assertThatThrownBy(() -> SignedMemberList.parse(bytes, OTHER_KEY.sign(bytes)))
                .hasMessageContaining("BAD_SIGNATURE").hasMessageContaining("not signed by its authority");
    }

    private static Reason reasonOf(byte[] bytes, byte[] sig) {
        return catchThrowableOfType(InvalidMemberListException.class, () -> SignedMemberList.parse(bytes, sig)).reason();
    }

    /** Signs with the authority's key, so only the parser's strictness can refuse. */
    private static Reason signedReason(byte[] bytes) {
        return reasonOf(bytes, OWNER_KEY.sign(bytes));
    }

    private static byte[] member(NodeId id, int role, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(32 + 1 + 8 + 32 + 2 + n.length)
                .put(id.bytes()).put((byte) role).putLong(5).put(id.bytes()).putShort((short) n.length).put(n).array();
    }

    /** Member-list bytes written independently of the code under test. */
    private static byte[] raw(String tag, long version, NodeId authority, byte[]... members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((tag + "\0").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(16 + 8 + 32 + 8 + 2).put(GROUP.bytes()).putLong(version)
                .put(authority.bytes()).putLong(1).putShort((short) members.length).array());
        for (byte[] m : members) {
            out.writeBytes(m);
        }
        return out.toByteArray();
    }
}
