package org.savesync.core.engine;

/** The group's authority refused a leave; the message says why. */
public final class LeaveException extends RuntimeException {
    public LeaveException(String message) {
        super(message);
    }
}
