package org.savesync.server.cli.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.function.Consumer;

/** Prints an answer: as JSON (the message's proto3 JSON form) with --json, else as the command's human lines. */
final class Output {
    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** The whole answer as one JSON document, or {@code human} lines. */
    <M extends MessageOrBuilder> void print(M answer, Consumer<PrintWriter> human) {
        if (json) {
            out.println(json(answer, false));
        } else {
            human.accept(out);
        }
        out.flush();
    }

    /** One item of a stream: a JSON object on one line, or {@code human} lines. */
    <M extends MessageOrBuilder> void line(M item, Consumer<PrintWriter> human) {
        if (json) {
            out.println(json(item, true));
        } else {
            human.accept(out);
        }
        out.flush();
    }

    private static String json(MessageOrBuilder m, boolean oneLine) {
        try {
            JsonFormat.Printer p = JsonFormat.printer().includingDefaultValueFields();
            return (oneLine ? p.omittingInsignificantWhitespace() : p).print(m);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + m.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** A timestamp as ISO-8601, or "-" when unset. */
    static String time(boolean set, Timestamp t) {
        return set ? Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString() : "-";
    }

    static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
