package org.savesync.core.engine;

/** Registering a group with a hub failed: refused by the hub (with its reason) or the hub was unreachable. */
public final class RegistrationException extends RuntimeException {
    public RegistrationException(String message) {
        super(message);
    }

    public RegistrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
