package org.savesync.core.engine;

/** A node may not register a group here; the message says why and what to do. */
public final class RegistrationRefusedException extends Exception {
    public RegistrationRefusedException(String message) {
        super(message);
    }
}
