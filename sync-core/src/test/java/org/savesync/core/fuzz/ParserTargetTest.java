package org.savesync.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.savesync.core.protocol.ProtocolException;

/** The contract check itself: each kind of finding is reported, a typed refusal is not. */
class ParserTargetTest {
    private static ParserTarget target(ParserTarget.Body body, long bound) {
        return new ParserTarget(200, "test parser", List.of(ProtocolException.class), n -> bound, body, List::of);
    }

    @Test
    void aTypedRefusalWithAReasonKeepsTheContract() {
        var o = target(in -> {
            throw new ProtocolException("frame of 3 bytes is too short");
        }, 1 << 20).check(new byte[3]);
        assertThat(o.accepted()).isFalse();
    }

    @Test
    void anyOtherExceptionIsAFindingThatNamesTheTargetAndTheInput() {
        assertThatThrownBy(() -> target(in -> {
            throw new ArrayIndexOutOfBoundsException("Index 5 out of bounds for length 3");
        }, 1 << 20).check(new byte[] {1, 2, (byte) 0xff}))
                .isInstanceOf(ParserContractViolation.class)
                .hasMessageContaining("test parser: threw java.lang.ArrayIndexOutOfBoundsException")
                .hasMessageContaining("may only refuse with ProtocolException")
                .hasMessageContaining("input (3 bytes): 0102ff");
    }

    @Test
    void aRefusalThatDoesNotSayWhyIsAFinding() {
        assertThatThrownBy(() -> target(in -> {
            throw new ProtocolException("");
        }, 1 << 20).check(new byte[1])).isInstanceOf(ParserContractViolation.class).hasMessageContaining("without saying why");
    }

    @Test
    void anAllocationPastTheBoundIsAFinding() {
        assertThatThrownBy(() -> target(in -> {
            byte[] big = new byte[in.length * 4096];
            assertThat(big).isNotNull();
        }, 1000).check(new byte[10])).isInstanceOf(ParserContractViolation.class)
                .hasMessageContaining("for an input of 10 bytes, bound 1000");
    }

    @Test
    void anInputThatRunsPastTheDeadlineIsAFindingWithWhereItWas() {
        var sleeper = target(in -> Thread.sleep(60_000), 1 << 20);
        assertThatThrownBy(() -> Deadline.check(sleeper, new byte[] {7}, Duration.ofMillis(200)))
                .isInstanceOf(ParserContractViolation.class)
                .hasMessageContaining("test parser: did not finish within 200 ms; input (1 bytes): 07")
                .cause().hasMessageContaining("where the parser was").satisfies(where -> assertThat(where.getStackTrace())
                        .anyMatch(f -> f.getMethodName().equals("sleep")));
        assertThat(Deadline.check(target(in -> { }, 1 << 20), new byte[1]).accepted()).as("the next check gets a new worker")
                .isTrue();
    }

    @Test
    void aRoundTripMismatchIsAFinding() {
        assertThatThrownBy(() -> target(in -> Structural.assertEqual(List.of(new byte[] {1}), List.of(new byte[] {2})), 1 << 20)
                .check(new byte[1])).isInstanceOf(ParserContractViolation.class)
                .hasMessageContaining("accepted but did not round-trip: round trip changed [0]: bytes differ");
    }
}
