package org.savesync.core.protocol;

/** A message from a peer that does not follow the protocol. The connection that sent it is closed. */
public class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
