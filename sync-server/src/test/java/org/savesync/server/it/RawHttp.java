package org.savesync.server.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, so that a test can send any {@code Host} header (the JDK's
 * client does not let it be chosen): what a browser sends after DNS rebinding.
 */
final class RawHttp {
    /** Status and body of an answer. */
    record Answer(int status, String body) {
    }

    private RawHttp() {
    }

    static Answer get(String address, int port, String path, String host) throws IOException {
        return get(address, port, path, host, null);
    }

    /** As {@link #get(String, int, String, String)}, with {@code Authorization: Bearer TOKEN} unless it is null. */
    static Answer get(String address, int port, String path, String host, String token) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 10_000);
            s.setSoTimeout(60_000);
            OutputStream o = s.getOutputStream();
            String auth = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
            o.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + auth
                    + "Accept: */*\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int sp = text.indexOf(' ');
            if (!text.startsWith("HTTP/1.1 ") || sp < 0) {
                throw new IOException("not an HTTP answer: " + text);
            }
            int status = Integer.parseInt(text.substring(sp + 1, sp + 4));
            int bodyAt = text.indexOf("\r\n\r\n");
            return new Answer(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4));
        }
    }
}
