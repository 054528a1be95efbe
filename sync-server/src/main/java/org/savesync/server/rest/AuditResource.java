package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import com.fasterxml.jackson.annotation.JsonRawValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.savesync.server.admin.AuditEvent;
import org.savesync.server.admin.AuditLog;
import org.savesync.server.admin.AuditQuery;
import org.savesync.server.auth.Roles;

/** The audit log: every change made through the admin APIs, newest first. */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit", description = "Every change made through the admin APIs")
public class AuditResource {
    private final AuditLog log;

    AuditResource(AuditLog log) {
        this.log = log;
    }

    /** One audit event as the API shows it. */
    @Schema(description = "A change made through the admin APIs")
    public record EventView(
            @Schema(description = "Increases with every event") long id,
            @Schema(description = "When it was made") Instant at,
            @Schema(description = "Who made it: the caller's principal name, or anonymous") String actor,
            @Schema(description = "What was done, e.g. retention.set, retention.delete") String action,
            @Schema(description = "The group concerned", nullable = true) String group,
            @Schema(description = "The node concerned", nullable = true) String node,
            @Schema(description = "The state before the change; null when there was none", nullable = true,
                    type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)
            @JsonRawValue String before,
            @Schema(description = "The state after the change; null when there is none", nullable = true,
                    type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)
            @JsonRawValue String after) {
        static EventView of(AuditEvent e) {
            return new EventView(e.id(), e.at(), e.actor(), e.action(), e.group() == null ? null : e.group().toString(),
                    e.node() == null ? null : e.node().toString(), e.beforeJson(), e.afterJson());
        }
    }

    /** A page of events and the cursor of the next one. */
    @Schema(description = "A page of audit events, newest first")
    public record EventPage(
            List<EventView> events,
            @Schema(description = "Give it as ?cursor= for the next page; null on the last page", nullable = true)
            String nextCursor) {
    }

    @GET
    @Operation(summary = "Audit events, newest first, a page at a time; every filter left out matches everything")
    @APIResponse(responseCode = "400", description = "A malformed or out-of-range parameter (the message names it)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public EventPage events(
            @Parameter(description = "Only events of this group (its id)") @QueryParam("group") String group,
            @Parameter(description = "Only events by this actor") @QueryParam("actor") String actor,
            @Parameter(description = "Only events of this action, e.g. retention.set") @QueryParam("action")
            String action,
            @Parameter(description = "Events at or after this ISO-8601 time") @QueryParam("from") String from,
            @Parameter(description = "Events before this ISO-8601 time") @QueryParam("to") String to,
            @Parameter(description = "Events per page, 1..500 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        AuditQuery q = AuditQuery.of(group, actor, action, RestParams.optionalInstant("from", from),
                RestParams.optionalInstant("to", to), RestParams.optionalInt("limit", limit), cursor);
        AuditQuery.Page page = log.find(q);
        return new EventPage(page.events().stream().map(EventView::of).toList(), page.nextCursor().orElse(null));
    }
}
