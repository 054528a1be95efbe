package org.savesync.core.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every fuzzed parser, and the dispatch that lets one fuzz test drive them all: Jazzer fuzzes
 * one test per JVM, so a fuzz input's first byte picks the target by its {@link ParserTarget#id}
 * (any other byte value picks one by remainder) and the rest is that target's input.
 *
 * <p>The system property {@value #ONLY} (comma-separated names, e.g.
 * {@code WireCodec.decode,Ticket.parse}) narrows the set, for long runs on one parser.
 */
public final class ParserTargets {
    public static final String ONLY = "savesync.fuzz.only";

    private static final List<ParserTarget> ALL = List.of(
            WireTargets.member(), WireTargets.join(), FrameTargets.target(),
            SignedRecordTargets.memberList(), SignedRecordTargets.handover(), SignedRecordTargets.entry(),
            SignedRecordTargets.leave(),
            TextTargets.ticket(), TextTargets.inviteToken(), TextTargets.nodeId(), TextTargets.groupId(),
            TextTargets.hubAddress(), TextTargets.safePath(), TextTargets.contentId(), TextTargets.ignoreRules());

    private static final List<ParserTarget> SELECTED = select(System.getProperty(ONLY, ""));
    private static final Map<Integer, ParserTarget> BY_ID =
            SELECTED.stream().collect(Collectors.toMap(ParserTarget::id, Function.identity()));

    private static boolean warm;

    private ParserTargets() {
    }

    /** Every target, whatever {@value #ONLY} says. */
    public static List<ParserTarget> all() {
        return ALL;
    }

    /** The targets fuzzing drives. */
    public static List<ParserTarget> selected() {
        return SELECTED;
    }

    /** The target a fuzz input is for. */
    static ParserTarget targetOf(byte[] data) {
        int selector = data.length == 0 ? 0 : data[0] & 0xff;
        ParserTarget t = BY_ID.get(selector);
        return t != null ? t : SELECTED.get(selector % SELECTED.size());
    }

    /**
     * Runs every seed once, unchecked, the first time it is called. Class loading and
     * initialisation (Bouncy Castle's tables, regex patterns, protobuf descriptors, and Jazzer's
     * instrumentation of each class) allocate once per JVM; the bounds are about parsing alone.
     * Under Jazzer this must happen after its agent is installed, i.e. at the first fuzz input.
     */
    static synchronized void warmUp() {
        if (!warm) {
            ALL.forEach(ParserTarget::warmUp);
            warm = true;
        }
    }

    /**
     * Runs one fuzz input (selector byte, then the target's input) through its target's contract
     * check, within the {@link Deadline}.
     */
    public static ParserTarget.Outcome run(byte[] data) {
        warmUp();
        return Deadline.check(targetOf(data), data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length));
    }

    /** {@code target}'s input as a fuzz input: its selector byte in front. */
    static byte[] fuzzInput(ParserTarget target, byte[] input) {
        byte[] out = new byte[input.length + 1];
        out[0] = (byte) target.id();
        System.arraycopy(input, 0, out, 1, input.length);
        return out;
    }

    private static List<ParserTarget> select(String only) {
        if (only.isBlank()) {
            return ALL;
        }
        Set<String> names = Arrays.stream(only.split(",")).map(String::strip).collect(Collectors.toSet());
        List<ParserTarget> chosen = ALL.stream().filter(t -> names.contains(t.name())).toList();
        if (chosen.size() != names.size()) {
            throw new IllegalArgumentException(ONLY + "=" + only + " names an unknown target; the targets are "
                    + ALL.stream().map(ParserTarget::name).toList());
        }
        return chosen;
    }
}
