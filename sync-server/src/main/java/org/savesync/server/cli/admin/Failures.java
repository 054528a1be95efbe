package org.savesync.server.cli.admin;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** What the hub's gRPC status means for the operator: one line that says what to do. */
final class Failures {
    private Failures() {
    }

    static String describe(Throwable t, HubConnection hub) {
        if (t instanceof AdminCliException a) {
            return a.getMessage();
        }
        if (!(t instanceof StatusRuntimeException s)) {
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        Status st = s.getStatus();
        String why = st.getDescription() == null ? "" : ": " + st.getDescription();
        return switch (st.getCode()) {
            case UNAUTHENTICATED -> "the hub refused the token (UNAUTHENTICATED" + why + "); check --token-file or $"
                    + HubConnection.TOKEN_ENV + " (the hub's local token is in DATA_DIR/" + HubConnection.TOKEN_FILE
                    + "; with Keycloak, a fresh access token)";
            case PERMISSION_DENIED -> "the hub does not let this token do that (PERMISSION_DENIED" + why + "); changes"
                    + " need the sync-admin role";
            case UNAVAILABLE -> "cannot reach the hub at " + hub.address() + " (UNAVAILABLE" + why + "); is it running?"
                    + " pass --hub HOST:PORT (its --http-port)";
            case DEADLINE_EXCEEDED -> "the hub at " + hub.address() + " did not answer in time; is it overloaded?";
            default -> st.getCode() + why;
        };
    }
}
