package org.savesync.core.fuzz;

import java.util.HexFormat;

/**
 * A fuzz finding: a parser broke its contract on one input (an exception other than its typed
 * refusal, an allocation past its bound, or an accepted input that does not round-trip). The
 * message names the target and carries the input in hex, so the case can be kept as a
 * regression input.
 */
public final class ParserContractViolation extends AssertionError {
    private static final long serialVersionUID = 1L;
    private static final int MAX_HEX_BYTES = 512;

    ParserContractViolation(ParserTarget target, byte[] input, String what, Throwable cause) {
        super(target.name() + ": " + what + "; input (" + input.length + " bytes): " + hex(input), cause);
    }

    private static String hex(byte[] input) {
        if (input.length <= MAX_HEX_BYTES) {
            return HexFormat.of().formatHex(input);
        }
        return HexFormat.of().formatHex(input, 0, MAX_HEX_BYTES) + "… (" + (input.length - MAX_HEX_BYTES) + " more)";
    }
}
