package org.savesync.core.membership;

import org.savesync.core.encoding.ByteReader;
import org.savesync.core.encoding.ByteWriter;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import org.savesync.core.identity.Base32;
import org.savesync.core.identity.NodeId;
import org.savesync.core.membership.InvalidTicketException.Reason;

/**
 * What a joiner pastes: enough to find the group's authority and prove it was invited. It
 * holds no long-term secret: the group secret is handed over only after the authority has
 * checked the token on the join sub-protocol.
 *
 * <h2>Text form</h2>
 * {@code "savesync1" + base32(payload || crc)}, base32 lowercase without padding
 * ({@link #text()}). {@link #parse} ignores whitespace (line breaks from mail clients) and
 * letter case. The layout, integers big-endian:
 * <pre>
 * size  field
 *    1  u8 layout version = 1
 *   16  group id
 *   32  authority node id
 *   24  invite token
 *    8  u64 token expiry, ms since the Unix epoch (1 .. 2^63-1)
 *    1  u8 group name length n (1 .. 255)
 *    n  group name, UTF-8
 *    1  u8 address count k (1 .. 16)
 *       k times: u8 length m (1 .. 255), then m bytes "host:port" in ASCII/UTF-8
 *    4  u32 CRC-32 (ISO-HDLC, as java.util.zip.CRC32) of all bytes above
 * </pre>
 * Nothing follows the checksum. An address is {@code host:port} with port 1..65535; an IPv6
 * host is written in brackets ({@code [2001:db8::1]:7000}).
 *
 * @param group            the group to join
 * @param groupName        its display name (shown to the joiner before joining)
 * @param authority        the node that signs the member list and checks the token
 * @param addresses        where to reach the authority, best first (at least one)
 * @param token            the invite token to present
 * @param expiresAtMillis  when the token stops working, ms since the Unix epoch
 */
public record Ticket(GroupId group, String groupName, NodeId authority, List<String> addresses, InviteToken token,
                     long expiresAtMillis) {
    public static final String PREFIX = "savesync1";
    public static final int LAYOUT_VERSION = 1;
    public static final int MAX_ADDRESSES = 16;
    public static final int MAX_TEXT_BYTES = 255;

    public Ticket {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(token, "token");
        Names.check(groupName, "a group name", MAX_TEXT_BYTES);
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException("a ticket carries 1.." + MAX_ADDRESSES + " addresses, got " + addresses.size());
        }
        addresses.forEach(Ticket::checkAddress);
        if (expiresAtMillis <= 0) {
            throw new IllegalArgumentException("expiresAtMillis must be > 0, got " + expiresAtMillis);
        }
    }

    /** The ticket for a new invite, to reach {@code authority} at {@code addresses}. */
    public static Ticket forInvite(InviteRegistry.Issued issued, String groupName, NodeId authority,
                                   List<String> addresses) {
        return new Ticket(issued.invite().group(), groupName, authority, addresses, issued.token(),
                issued.invite().expiresAtMillis());
    }

    public boolean isExpired(long nowMillis) {
        return nowMillis >= expiresAtMillis;
    }

    /** The copy-pasteable string. It contains the token: show it to the person being invited, not to logs. */
    public String text() {
        ByteWriter w = new ByteWriter()
                .u8(LAYOUT_VERSION)
                .raw(group.bytes())
                .raw(authority.bytes())
                .raw(token.bytes())
                .u64(expiresAtMillis)
                .str8(groupName)
                .u8(addresses.size());
        addresses.forEach(w::str8);
        byte[] payload = w.toByteArray();
        byte[] all = new ByteWriter().raw(payload).raw(crc(payload, payload.length)).toByteArray();
        return PREFIX + Base32.encode(all);
    }

    /**
     * Reads a pasted ticket.
     *
     * @throws InvalidTicketException saying what is wrong
     */
    public static Ticket parse(String pasted) {
        if (pasted == null) {
            throw new InvalidTicketException(Reason.BAD_PREFIX, "no ticket given; paste the ticket that starts with '" + PREFIX + "'");
        }
        // ASCII case folding only: toLowerCase would turn the Kelvin sign (U+212A) into 'k' and accept
        // a ticket that is not the one the authority made, character for character.
        String text = asciiLowerCase(pasted.replaceAll("\\s+", ""));
        if (!text.startsWith(PREFIX)) {
            throw new InvalidTicketException(Reason.BAD_PREFIX,
                    "not a SaveSync invite ticket: it must start with '" + PREFIX + "'; copy the whole ticket");
        }
        byte[] all;
        try {
            all = Base32.decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw mistyped();
        }
        if (all.length < 5) {
            throw mistyped();
        }
        int n = all.length - 4;
        byte[] want = crc(all, n);
        for (int i = 0; i < 4; i++) {
            if (all[n + i] != want[i]) {
                throw mistyped();
            }
        }
        byte[] payload = java.util.Arrays.copyOf(all, n);
        ByteReader r = new ByteReader(payload);
        try {
            int version = r.u8("layout version");
            if (version != LAYOUT_VERSION) {
                throw new InvalidTicketException(Reason.UNSUPPORTED_VERSION, "this ticket has layout version " + version
                        + " but this SaveSync reads version " + LAYOUT_VERSION + "; upgrade SaveSync to use it");
            }
            GroupId group = GroupId.of(r.raw(GroupId.LENGTH, "group id"));
            NodeId authority = NodeId.of(r.raw(NodeId.LENGTH, "authority"));
            InviteToken token = InviteToken.of(r.raw(InviteToken.LENGTH, "invite token"));
            long expires = r.u64("expiry");
            String name = r.str8("group name");
            int count = r.u8("address count");
            String[] addresses = new String[count];
            for (int i = 0; i < count; i++) {
                addresses[i] = r.str8("address " + i);
            }
            r.expectEnd("ticket");
            return new Ticket(group, name, authority, List.of(addresses), token, expires);
        } catch (ByteReader.Malformed | IllegalArgumentException e) {
            if (e instanceof InvalidTicketException ite) {
                throw ite;
            }
            throw new InvalidTicketException(Reason.BAD_FIELD, "the ticket's checksum is right but its contents are not ("
                    + e.getMessage() + "); it was made by an incompatible program, ask for a new one");
        }
    }

    private static String asciiLowerCase(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + ('a' - 'A'));
            }
        }
        return new String(c);
    }

    private static InvalidTicketException mistyped() {
        return new InvalidTicketException(Reason.MISTYPED,
                "the ticket was mistyped or truncated; copy and paste the whole ticket again");
    }

    private static byte[] crc(byte[] data, int length) {
        CRC32 c = new CRC32();
        c.update(data, 0, length);
        long v = c.getValue();
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Checks the {@code host:port} shape of an address; an IPv6 host must be in brackets. */
    static void checkAddress(String address) {
        if (address == null || address.isEmpty()) {
            throw new IllegalArgumentException("an address must not be empty");
        }
        if (address.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("an address is at most " + MAX_TEXT_BYTES + " bytes: " + address);
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c) || c == '/') {
                throw new IllegalArgumentException("address '" + address + "' contains a space, control character or '/'; "
                        + "write it as host:port");
            }
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("address '" + address + "' has no host:port form");
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (!port.matches("[1-9][0-9]{0,4}") || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("address '" + address + "' needs a port 1..65535");
        }
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        if (host.indexOf(':') >= 0 && !bracketed || !bracketed && (host.indexOf('[') >= 0 || host.indexOf(']') >= 0)) {
            throw new IllegalArgumentException("address '" + address + "': write an IPv6 host in brackets, e.g. [2001:db8::1]:7000");
        }
    }
}
