package org.savesync.core.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Parses a peer-supplied address ("a.b.c.d:port" or "[v6]:port") without any name lookup.
 * Addresses that come from the wire (Hello, peer lists, member records) or from tickets are
 * written by someone else: a host name there would make us ask DNS whatever a peer wants
 * (a lookup per dial, to a name of its choosing), so only IP literals are accepted. Local
 * configuration (listen addresses) may still use names; it does not go through here.
 */
public final class IpLiteral {
    /** The longest text accepted: "[" 45-character IPv6 "]:" 5-digit port. */
    public static final int MAX_LENGTH = 1 + 45 + 2 + 5;

    private IpLiteral() {
    }

    /**
     * @throws NotAnIpLiteralException when {@code s} is not an IPv4 or bracketed IPv6 literal with a
     *         port 1..65535 (no names, no zone ids)
     */
    public static InetSocketAddress parse(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            throw new NotAnIpLiteralException(s, "empty or longer than " + MAX_LENGTH + " characters");
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new NotAnIpLiteralException(s, "not address:port");
        }
        String host = s.substring(0, colon);
        int port = port(s, s.substring(colon + 1));
        InetAddress address;
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            address = v6(s, host);
        } else {
            address = v4(s, host);
        }
        return new InetSocketAddress(address, port);
    }

    private static int port(String whole, String p) {
        if (p.length() > 5 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NotAnIpLiteralException(whole, "bad port '" + p + "'");
        }
        int port = Integer.parseInt(p);
        if (port < 1 || port > 65535) {
            throw new NotAnIpLiteralException(whole, "port " + port + " out of range 1..65535");
        }
        return port;
    }

    private static InetAddress v4(String whole, String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            throw new NotAnIpLiteralException(whole, "'" + host + "' is not an IPv4 literal (host names are not accepted"
                    + " from peers or tickets; IPv6 goes in brackets)");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new NotAnIpLiteralException(whole, "'" + host + "' is not an IPv4 literal");
            }
            int v = Integer.parseInt(part);
            if (v > 255) {
                throw new NotAnIpLiteralException(whole, "'" + host + "' is not an IPv4 literal");
            }
            b[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new NotAnIpLiteralException(whole, e.getMessage());
        }
    }

    private static InetAddress v6(String whole, String bracketed) {
        String inner = bracketed.substring(1, bracketed.length() - 1);
        if (!inner.contains(":") || !inner.chars().allMatch(c -> c == ':' || c == '.' || (c < 128 && Character.digit(c, 16) >= 0))) {
            throw new NotAnIpLiteralException(whole, "'" + inner + "' is not an IPv6 literal (no zone ids)");
        }
        try {
            // Bracketed and made only of hex digits, ':' and '.': InetAddress parses it as a literal
            // and never asks a resolver (a malformed one fails with "invalid IPv6 address").
            return InetAddress.getByName(bracketed);
        } catch (UnknownHostException e) {
            throw new NotAnIpLiteralException(whole, "'" + inner + "' is not an IPv6 literal");
        }
    }

    /** A peer-supplied address that is not an IP literal with a port. */
    public static final class NotAnIpLiteralException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String text;

        NotAnIpLiteralException(String text, String why) {
            super("refused the peer address '" + shorten(text) + "': " + why);
            this.text = text;
        }

        /** The refused text (may be long or hostile; shorten before logging). */
        public String text() {
            return text;
        }

        private static String shorten(String s) {
            if (s == null) {
                return "null";
            }
            String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
            return t.replaceAll("\\p{Cntrl}", "?");
        }
    }
}
