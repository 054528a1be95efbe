package org.savesync.agent.service;

import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.savesync.core.engine.JoinException;
import org.savesync.core.engine.TicketException;
import org.savesync.core.failure.Failure;
import org.savesync.core.membership.InviteRefusedException;
import org.savesync.core.protocol.Message;
import org.savesync.core.transport.PeerRefusedException;

/**
 * Turns a failed invite request ({@code SyncEngine.requestInvite}) into the API error a user can
 * act on: the authority could not be reached (503), it said no (403), or the request clashes with
 * this node's state (409).
 */
final class InviteFailures {
    private InviteFailures() {
    }

    /**
     * @param error     why the request failed (wrapped or not)
     * @param authority who was asked, for the message: "this node", "the hub (ID)", "member ID"
     */
    static ApiProblem problem(Throwable error, String authority) {
        Throwable c = unwrap(error);
        if (c instanceof ApiProblem p) {
            return p;
        }
        String m = Failure.describe(c);
        if (refused(c)) {
            return new ApiProblem.Forbidden("the group's authority, " + authority + ", refused to make an invite: " + m);
        }
        if (c instanceof IllegalStateException) {
            return new ApiProblem.Conflict(m);
        }
        if (c instanceof TimeoutException) {
            return new ApiProblem.Unavailable("cannot reach the group's authority, " + authority + ": no answer in time;"
                    + " is it running, and can this machine reach it? Try again when it is online");
        }
        return new ApiProblem.Unavailable("cannot reach the group's authority, " + authority + ": " + m
                + "; is it running, and can this machine reach it? Try again when it is online");
    }

    /** The authority answered and said no (as opposed to: it could not be asked). */
    private static boolean refused(Throwable c) {
        return c instanceof InviteRefusedException || c instanceof SecurityException
                || c instanceof PeerRefusedException
                || c instanceof TicketException t && t.kind() != Message.ErrorKind.UNSPECIFIED
                || c instanceof JoinException j && (j.kind() == Message.ErrorKind.NOT_A_MEMBER
                        || j.kind() == Message.ErrorKind.INVITE_REFUSED);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof UncheckedIOException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
