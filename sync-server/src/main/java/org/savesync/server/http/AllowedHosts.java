package org.savesync.server.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The host names under which the hub's HTTP interface may be addressed (the {@code Host} header
 * and a browser's {@code Origin}). Names compare case-insensitively without a trailing dot; IP
 * literals compare as addresses ({@code [0:0:0:0:0:0:0:1]} is {@code [::1]}); the port is not
 * compared. Nothing here resolves a name: the check is on what the client wrote.
 */
public final class AllowedHosts {
    /** The longest Host value looked at; longer ones are refused. */
    static final int MAX_HOST_LENGTH = 255;

    private final Set<String> names;

    private AllowedHosts(Set<String> names) {
        this.names = Collections.unmodifiableSet(names);
    }

    /** Exactly these names (host names, IPv4 literals, IPv6 literals with or without brackets). */
    public static AllowedHosts of(List<String> hosts) {
        Set<String> out = new LinkedHashSet<>();
        for (String h : hosts) {
            String n = normalize(h.strip());
            if (n == null) {
                throw new IllegalArgumentException("'" + h + "' is not a host name or IP address (no port, no scheme)");
            }
            out.add(n);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the list is empty; name at least one host (e.g. localhost)");
        }
        return new AllowedHosts(out);
    }

    /**
     * The default: {@code localhost}, {@code 127.0.0.1}, {@code [::1]}, this machine's host name,
     * and the address HTTP is bound to ({@code bindHost}); when that is a wildcard, every address
     * of this machine's interfaces.
     */
    public static AllowedHosts defaults(String bindHost) {
        List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
        try {
            hosts.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            // No resolvable host name: the loopback names and the addresses still work.
        }
        String bind = bindHost.strip();
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(unbracket(bind));
        boolean wildcard = literal != null && allZero(literal);
        if (!wildcard && !bind.isEmpty()) {
            hosts.add(bind);
        } else {
            hosts.addAll(interfaceAddresses());
        }
        return of(hosts);
    }

    private static List<String> interfaceAddresses() {
        List<String> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    if (!a.isLinkLocalAddress()) {
                        out.add(a.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            // The loopback names remain.
        }
        return out;
    }

    /** The names, in the canonical form {@link #allows} compares (IPv6 in brackets). */
    public Set<String> names() {
        return names;
    }

    /** Whether a {@code Host} header value ({@code name}, {@code name:port}, {@code [v6]:port}) names this hub. */
    public boolean allows(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty() || hostHeader.length() > MAX_HOST_LENGTH) {
            return false;
        }
        Optional<String> host = hostOf(hostHeader.strip());
        return host.map(h -> {
            String n = normalize(h);
            return n != null && names.contains(n);
        }).orElse(false);
    }

    /** The host part of {@code name:port} or {@code [v6]:port}; empty when malformed. */
    static Optional<String> hostOf(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int end = hostAndPort.indexOf(']');
            if (end < 0) {
                return Optional.empty();
            }
            String rest = hostAndPort.substring(end + 1);
            if (!rest.isEmpty() && !validPort(rest)) {
                return Optional.empty();
            }
            return Optional.of(hostAndPort.substring(0, end + 1));
        }
        int colon = hostAndPort.indexOf(':');
        if (colon < 0) {
            return Optional.of(hostAndPort);
        }
        if (hostAndPort.indexOf(':', colon + 1) >= 0 || !validPort(hostAndPort.substring(colon))) {
            return Optional.empty();
        }
        return Optional.of(hostAndPort.substring(0, colon));
    }

    private static boolean validPort(String colonPort) {
        return colonPort.length() >= 2 && colonPort.length() <= 6 && colonPort.charAt(0) == ':'
                && colonPort.substring(1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Canonical form of a host (no port): IP literals as addresses, names lower case; null when not a host. */
    static String normalize(String host) {
        String h = unbracket(host);
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(h);
        if (ip != null) {
            try {
                InetAddress a = InetAddress.getByAddress(ip);
                String text = a.getHostAddress();
                return ip.length == 16 ? "[" + NetUtil.toAddressString(a) + "]" : text;
            } catch (UnknownHostException e) {
                return null;
            }
        }
        if (!h.equals(host)) {
            return null; // brackets around something that is not an IPv6 address
        }
        String n = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        if (n.isEmpty() || n.length() > MAX_HOST_LENGTH) {
            return null;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_';
            if (!ok) {
                return null;
            }
        }
        return n.toLowerCase(Locale.ROOT);
    }

    private static String unbracket(String host) {
        return host.length() >= 2 && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
                : host;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(", ", names);
    }
}
