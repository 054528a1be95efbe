package org.savesync.server.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
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
import org.savesync.server.admin.AdminException;
import org.savesync.server.admin.AdminInput;
import org.savesync.server.admin.RetentionPolicies;
import org.savesync.server.admin.RetentionPolicy;
import org.savesync.server.auth.Roles;

/**
 * The retention policy of one group: what the hub keeps of its history ({@link RetentionListResource}
 * lists every group's).
 */
@RolesAllowed({Roles.VIEWER, Roles.ADMIN})
@Path("/api/v1/groups/{id}/retention")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "retention", description = "How much history the hub keeps of each group")
public class RetentionResource {
    private final RetentionPolicies policies;

    RetentionResource(RetentionPolicies policies) {
        this.policies = policies;
    }

    /** A group's retention policy as the API shows it. */
    @Schema(description = "The retention policy of a group: its own, or the defaults")
    public record PolicyView(
            @Schema(description = "The group id") String groupId,
            @Schema(description = "Versions kept per path, the current one included: 1..1000") int keepVersions,
            @Schema(description = "Days a replaced or deleted version is kept: 0..36500") int keepDays,
            @Schema(description = "Bytes the group may take in the chunk store: 0 (no quota) .. 1125899906842624"
                    + " (1 PiB)") long quotaBytes,
            @Schema(description = "1 after the first PUT, one more after each; 0 for the defaults") long version,
            @Schema(description = "Who set it; null for the defaults", nullable = true) String updatedBy,
            @Schema(description = "When it was set; null for the defaults", nullable = true) Instant updatedAt,
            @Schema(description = "True when the group has no policy of its own and these are the defaults")
            boolean defaults) {
        static PolicyView of(RetentionPolicy p) {
            return new PolicyView(p.group().toString(), p.keepVersions(), p.keepDays(), p.quotaBytes(), p.version(),
                    p.updatedBy(), p.updatedAt(), p.isDefault());
        }
    }

    /**
     * The body of a PUT: each field left out takes its default. Read from the JSON object by
     * {@link #from} rather than bound by Jackson, so that a misspelt field is refused (not
     * silently left at its default) and every refusal names the field.
     */
    @Schema(description = "A retention policy to set; each field left out takes its default (keepVersions 10,"
            + " keepDays 30, quotaBytes 0). Other fields are refused")
    public record PolicyChange(
            @Schema(description = "1..1000, default 10", nullable = true) Long keepVersions,
            @Schema(description = "0..36500, default 30", nullable = true) Long keepDays,
            @Schema(description = "0 (no quota) .. 1125899906842624, default 0", nullable = true) Long quotaBytes,
            @Schema(description = "Set only if the policy has this version now (0: none yet), else 409",
                    nullable = true) Long expectedVersion) {
        private static final List<String> FIELDS = List.of("keepVersions", "keepDays", "quotaBytes",
                "expectedVersion");

        static PolicyChange from(Map<String, Object> body) {
            if (body == null) {
                throw AdminException.invalid("body", "give the policy as a JSON object, e.g. {\"keepVersions\":5};"
                        + " {} sets the defaults");
            }
            for (String key : body.keySet()) {
                if (!FIELDS.contains(key)) {
                    throw AdminException.invalid(AdminInput.shown(key), "no such field; a policy has "
                            + String.join(", ", FIELDS));
                }
            }
            return new PolicyChange(number(body, "keepVersions"), number(body, "keepDays"),
                    number(body, "quotaBytes"), number(body, "expectedVersion"));
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

    @GET
    @Operation(summary = "The retention policy of a group: its own, or the defaults")
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public PolicyView get(@PathParam("id") String id) {
        return PolicyView.of(policies.get(AdminInput.group("groupId", id)));
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sets the retention policy of a group; recorded in the audit log")
    @APIResponse(responseCode = "400", description = "A value out of range (the message names the field and"
            + " the range)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "The hub holds no such group",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "expectedVersion is not the current version",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public PolicyView set(@PathParam("id") String id,
                          @RequestBody(content = @Content(schema = @Schema(implementation = PolicyChange.class)))
                          Map<String, Object> json) {
        PolicyChange body = PolicyChange.from(json);
        return PolicyView.of(policies.set(AdminInput.group("groupId", id), new RetentionPolicy.Change(
                body.keepVersions(), body.keepDays(), body.quotaBytes(), body.expectedVersion())));
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Deletes the retention policy of a group (it has the defaults again); recorded in the"
            + " audit log. Answers the deleted policy")
    @APIResponse(responseCode = "404", description = "No such group, or it has no policy of its own",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "expectedVersion is not the current version",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public PolicyView delete(@PathParam("id") String id, @QueryParam("expectedVersion") String expectedVersion) {
        return PolicyView.of(policies.delete(AdminInput.group("groupId", id),
                RestParams.optionalLong("expectedVersion", expectedVersion)));
    }
}
