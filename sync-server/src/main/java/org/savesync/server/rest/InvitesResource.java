package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.core.membership.Invite;
import org.savesync.server.admin.AdminException;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.InviteOrder;
import org.savesync.server.admin.Invites;
import org.savesync.server.auth.Roles;

/** The invites of one group: make one (its ticket is shown once), list the live ones, revoke one. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups/{id}/invites")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "invites", description = "Invites into the groups the hub is the authority of")
public class InvitesResource {
    private final Invites invites;

    InvitesResource(Invites invites) {
        this.invites = invites;
    }

    /** An invite as the API lists it: no token (the ticket is shown only when it is made). */
    @Schema(description = "A live invite; it holds no secret")
    public record InviteView(
            @Schema(description = "The invite's id (20 base32 characters): for revoking it; not the ticket") String inviteId,
            @Schema(description = "The group id") String groupId,
            @Schema(description = "MEMBER (read-write) or READER (read-only)") String role,
            @Schema(description = "Joiners it let in so far") int uses,
            @Schema(description = "Joiners it admits: 1 (single use) .. 10000") int maxUses,
            @Schema(description = "True when it admits one joiner") boolean singleUse,
            @Schema(description = "When it was made") Instant createdAt,
            @Schema(description = "From when it is refused") Instant expiresAt,
            @Schema(description = "Who made it: 'admin SUBJECT', or 'node NODE_ID' for a member's") String createdBy) {
        static InviteView of(Invite i) {
            return new InviteView(i.id(), i.group().toString(), i.role().name(), i.uses(), i.maxUses(), i.singleUse(),
                    i.createdAt(), i.expiresAt(), i.createdBy());
        }
    }

    /** A new invite: the ticket (shown this once) and the invite. */
    @Schema(description = "A new invite and its ticket; the ticket is shown only here")
    public record CreatedView(
            @Schema(description = "What the joiner passes to 'savesync join'") String ticket,
            @Schema(description = "The invite") InviteView invite) {
    }

    /** The body of a POST, read from the JSON object so a misspelt field is refused and every refusal names its field. */
    @Schema(description = "An invite to make; every field may be left out: a day, single use, MEMBER. Other fields"
            + " are refused")
    public record InviteRequest(
            @Schema(description = "60..2592000 (1 minute to 30 days), default 86400", nullable = true) Long ttlSeconds,
            @Schema(description = "Whether the first joiner uses it up; default true unless maxUses > 1",
                    nullable = true) Boolean singleUse,
            @Schema(description = "Joiners it admits, 1..10000; default 1, or 100 when singleUse is false",
                    nullable = true) Long maxUses,
            @Schema(description = "MEMBER (read-write, default) or READER (read-only)", nullable = true) String role) {
        private static final List<String> FIELDS = List.of("ttlSeconds", "singleUse", "maxUses", "role");

        static InviteOrder from(Map<String, Object> body) {
            if (body == null) {
                return new InviteOrder(null, null, null, null);
            }
            for (String key : body.keySet()) {
                if (!FIELDS.contains(key)) {
                    throw AdminException.invalid(AdminInput.shown(key), "no such field; an invite request has "
                            + String.join(", ", FIELDS));
                }
            }
            Object single = body.get("singleUse");
            if (single != null && !(single instanceof Boolean)) {
                throw AdminException.invalid("singleUse", "must be true or false");
            }
            Object role = body.get("role");
            if (role != null && !(role instanceof String)) {
                throw AdminException.invalid("role", "must be \"MEMBER\" or \"READER\"");
            }
            return new InviteOrder(number(body, "ttlSeconds"), (Boolean) single, number(body, "maxUses"), (String) role);
        }

        private static Long number(Map<String, Object> body, String field) {
            Object v = body.get(field);
            if (v == null) {
                return null;
            }
            if (v instanceof Integer || v instanceof Long) {
                return ((Number) v).longValue();
            }
            if (v instanceof BigInteger) {
                throw AdminException.invalid(field, v + " is out of range");
            }
            throw AdminException.invalid(field, "must be a whole number, got " + (v instanceof String ? "a string"
                    : v.toString()));
        }
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Makes an invite into a group; answers its ticket (shown only here); recorded in the audit log")
    @APIResponse(responseCode = "201", description = "Made",
            content = @Content(schema = @Schema(implementation = CreatedView.class)))
    @APIResponse(responseCode = "400", description = "A value out of range (the message names the field and the"
            + " range)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "The group has as many live invites as the hub keeps (1000)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response create(@PathParam("id") String id,
                           @RequestBody(content = @Content(schema = @Schema(implementation = InviteRequest.class)))
                           Map<String, Object> json) {
        Invites.Created c = invites.create(AdminInput.group("groupId", id), InviteRequest.from(json));
        return Response.status(201).entity(new CreatedView(c.ticket(), InviteView.of(c.invite()))).build();
    }

    @GET
    @Operation(summary = "The live invites of a group (not used up, expired or revoked), oldest first; without tickets")
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public List<InviteView> list(@PathParam("id") String id) {
        return invites.list(AdminInput.group("groupId", id)).stream().map(InviteView::of).toList();
    }

    @DELETE
    @Path("/{inviteId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revokes a live invite: its ticket is refused from now on ('this invite was revoked');"
            + " recorded in the audit log. Answers the revoked invite")
    @APIResponse(responseCode = "400", description = "inviteId is not an invite id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "No such group, or no such live invite in it",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public InviteView revoke(@PathParam("id") String id, @PathParam("inviteId") String inviteId) {
        return InviteView.of(invites.revoke(AdminInput.group("groupId", id), inviteId));
    }
}
