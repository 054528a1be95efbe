package org.savesync.agent.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 exchange with the agent's local API on 127.0.0.1, over a plain socket.
 *
 * <p>Why not {@code java.net.http.HttpClient}: it sets up TLS (the default {@code SSLContext},
 * the trust store) and HTTP/2 even for a plain {@code http://} request, about 700 classes and
 * most of a CLI command's start-up; the local API is plain HTTP/1.1 on loopback.
 *
 * <p>Flow: connect (at most {@link #CONNECT_TIMEOUT}), send the request with
 * {@code Connection: close}, read the status line and headers (at most {@link #MAX_HEADER_BYTES}),
 * then the body by {@code Content-Length}, {@code Transfer-Encoding: chunked} or until the agent
 * closes the connection, at most {@link #MAX_BODY_BYTES}. The whole answer must arrive before the
 * caller's timeout. What answers on the port is not trusted to be the agent (a stale
 * {@code api.json} may name a port another program took): every length is checked and bounded.
 */
final class LocalHttp {
    /** How long connecting to 127.0.0.1 may take (what the CLI has always allowed). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The status line and headers together; the agent sends a few hundred bytes. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    /** A body; the largest answers (status of many groups, a group's members) are well under it. */
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    /** The agent's answer: HTTP status code and body as text. */
    record Response(int statusCode, String body) {
    }

    private LocalHttp() {
    }

    /**
     * Sends {@code method path} with a bearer token and, if {@code body} is not null, a JSON body.
     *
     * @throws java.net.ConnectException nothing listens on the port
     * @throws SocketTimeoutException the answer was not complete within {@code timeout}
     * @throws IOException the connection failed or the answer is not HTTP/1.x within the bounds
     */
    static Response exchange(int port, String method, String path, String token, byte[] body, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                        (int) Math.min(CONNECT_TIMEOUT.toMillis(), Math.max(1, timeout.toMillis())));
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("HTTP connect timed out"); // as java.net.http said it
            }
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Authorization: Bearer ").append(token).append("\r\n")
                    .append("Accept: application/json\r\n")
                    .append("Connection: close\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\n").append("Content-Length: ").append(body.length)
                        .append("\r\n");
            } else if (method.equals("POST")) {
                head.append("Content-Length: 0\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(new DeadlineInput(s, deadline));
        }
    }

    /** Parses one response from {@code in}; package-private so tests can feed it bytes. */
    static Response read(InputStream in) throws IOException {
        int[] budget = {MAX_HEADER_BYTES};
        String status = line(in, budget);
        // "HTTP/1.1 200 OK": the version, a 3-digit code, an optional reason
        if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' '
                || (status.length() > 12 && status.charAt(12) != ' ')) {
            throw new IOException("not an HTTP/1.x status line: '" + printable(status) + "'");
        }
        int code = digits(status.substring(9, 12), "status code");
        long length = -1;
        boolean chunked = false;
        for (String h = line(in, budget); !h.isEmpty(); h = line(in, budget)) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: '" + printable(h) + "'");
            }
            String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            if (name.equals("content-length")) {
                long l = digits(value, "Content-Length");
                if (length >= 0 && l != length) {
                    throw new IOException("two different Content-Length headers");
                }
                length = l;
            } else if (name.equals("transfer-encoding")) {
                if (!value.equalsIgnoreCase("chunked")) {
                    throw new IOException("unsupported Transfer-Encoding '" + printable(value) + "'");
                }
                chunked = true;
            }
        }
        byte[] bytes;
        if (chunked) {
            bytes = chunked(in);
        } else if (length >= 0) {
            if (length > MAX_BODY_BYTES) {
                throw new IOException("an answer of " + length + " bytes is more than the " + MAX_BODY_BYTES + " allowed");
            }
            bytes = in.readNBytes((int) length);
            if (bytes.length != length) {
                throw new EOFException("the connection closed after " + bytes.length + " of " + length + " bytes");
            }
        } else {
            bytes = upTo(in, MAX_BODY_BYTES);
        }
        return new Response(code, new String(bytes, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int[] budget = {MAX_HEADER_BYTES};
        while (true) {
            String sizeLine = line(in, budget);
            int semi = sizeLine.indexOf(';'); // chunk extensions are ignored
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip();
            if (hex.isEmpty() || hex.length() > 7 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IOException("malformed chunk size '" + printable(sizeLine) + "'");
            }
            int size = Integer.parseInt(hex, 16);
            if (size == 0) {
                while (!line(in, budget).isEmpty()) {
                    // trailers: read and dropped
                }
                return b.toByteArray();
            }
            if (size > MAX_BODY_BYTES - b.size()) {
                throw new IOException("an answer of more than " + MAX_BODY_BYTES + " bytes");
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("the connection closed inside a chunk");
            }
            b.write(chunk);
            if (!line(in, budget).isEmpty()) {
                throw new IOException("a chunk is longer than its size says");
            }
        }
    }

    private static byte[] upTo(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max);
        if (bytes.length == max && in.read() >= 0) {
            throw new IOException("an answer of more than " + max + " bytes");
        }
        return bytes;
    }

    /** One line ending in CRLF (or LF), without it; {@code budget[0]} bytes at most across calls. */
    private static String line(InputStream in, int[] budget) throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the connection closed in the middle of the answer's headers");
            }
            if (--budget[0] < 0) {
                throw new IOException("the answer's headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            if (c == '\n') {
                int n = b.length();
                return n > 0 && b.charAt(n - 1) == '\r' ? b.substring(0, n - 1) : b.toString();
            }
            b.append((char) c);
        }
    }

    private static int digits(String s, String what) throws IOException {
        if (s.isEmpty() || s.length() > 9 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IOException("malformed " + what + " '" + printable(s) + "'");
        }
        return Integer.parseInt(s);
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The socket's input, each read allowed only the time left until the deadline. */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInput(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.deadline = deadline;
        }

        private void arm() throws IOException {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                throw timedOut();
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        }

        @Override
        public int read() throws IOException {
            arm();
            try {
                return in.read();
            } catch (SocketTimeoutException e) {
                throw timedOut();
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                throw timedOut();
            }
        }

        /** The words java.net.http used, which the CLI has always printed. */
        private static SocketTimeoutException timedOut() {
            return new SocketTimeoutException("request timed out");
        }
    }
}
