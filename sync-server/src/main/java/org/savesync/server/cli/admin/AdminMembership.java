package org.savesync.server.cli.admin;

import io.grpc.ManagedChannel;
import org.savesync.server.grpc.v1.CreateInviteRequest;
import org.savesync.server.grpc.v1.Invite;
import org.savesync.server.grpc.v1.ListInvitesRequest;
import org.savesync.server.grpc.v1.RemoveMemberRequest;
import org.savesync.server.grpc.v1.RevokeInviteRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The admin subcommands on who is in a group: remove a member, make, list and revoke invites (changes audited). */
final class AdminMembership {
    private AdminMembership() {
    }

    @Command(name = "remove", description = "Removes a member from a group: every member drops it, the group secret"
            + " moves to a new epoch it never gets, the group's outstanding invites are revoked. Its files stay on"
            + " its machine; what it wrote stays in the group")
    static final class Remove extends AdminCommand.AdminCall {
        @Parameters(index = "0", paramLabel = "GROUP", description = "the group id (see `groups`)")
        String group;

        @Parameters(index = "1", paramLabel = "NODE", description = "the member's node id (see `members GROUP`)")
        String node;

        @Override
        void run(ManagedChannel c, Output out) {
            var r = AdminLists.groups(c).removeMember(RemoveMemberRequest.newBuilder().setGroupId(group)
                    .setNodeId(node).build());
            out.print(r, w -> w.printf("removed %s (%s) from group %s: member list version %d, group secret epoch %d;"
                    + " outstanding invites revoked%n", r.getNodeId(), Output.orDash(r.getName()), r.getGroupId(),
                    r.getMemberListVersion(), r.getSecretEpoch()));
        }
    }

    @Command(name = "invites", description = "The live invites of a group: id, role, uses, expiry, who made it",
            subcommands = {Create.class, Revoke.class})
    static final class Invites extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "GROUP", description = "the group id (see `groups`)", arity = "0..1")
        String group;

        @Override
        void run(ManagedChannel c, Output out) {
            if (group == null) {
                throw new AdminCliException("give the group: `invites GROUP` (or `invites create GROUP`,"
                        + " `invites revoke GROUP INVITE`)");
            }
            var answer = AdminLists.groups(c).listInvites(ListInvitesRequest.newBuilder().setGroupId(group).build());
            out.print(answer, w -> {
                w.printf("%-16s  %-6s  %-9s  %-24s  %s%n", "INVITE", "ROLE", "USES", "EXPIRES", "CREATED BY");
                for (Invite i : answer.getInvitesList()) {
                    w.printf("%-16s  %-6s  %-9s  %-24s  %s%n", i.getInviteId(), i.getRole(),
                            i.getUses() + "/" + i.getMaxUses(), Output.time(i.hasExpiresAt(), i.getExpiresAt()),
                            i.getCreatedBy());
                }
            });
        }
    }

    @Command(name = "create", description = "Makes an invite and prints its ticket (this once): what the joiner"
            + " passes to `savesync join`")
    static final class Create extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "GROUP", description = "the group id (see `groups`)")
        String group;

        @Option(names = "--uses", paramLabel = "N", description = "joiners it admits, 1..10000 (default 1)")
        Long uses;

        @Option(names = "--expires", paramLabel = "SECONDS", description = "lifetime, 60..2592000 s (default 86400)")
        Long expires;

        @Option(names = "--read-only", description = "the joiners become readers: they receive the folder and every"
                + " member refuses their changes")
        boolean readOnly;

        @Override
        void run(ManagedChannel c, Output out) {
            var b = CreateInviteRequest.newBuilder().setGroupId(group).setRole(readOnly ? "READER" : "MEMBER");
            if (uses != null) {
                b.setMaxUses(uses).setSingleUse(uses == 1);
            }
            if (expires != null) {
                b.setTtlSeconds(expires);
            }
            var r = AdminLists.groups(c).createInvite(b.build());
            out.print(r, w -> {
                w.println(r.getTicket());
                err().printf("invite %s: %s, %d use(s), expires %s; the ticket (above) is shown only now%n",
                        r.getInvite().getInviteId(), r.getInvite().getRole(), r.getInvite().getMaxUses(),
                        Output.time(r.getInvite().hasExpiresAt(), r.getInvite().getExpiresAt()));
                err().flush();
            });
        }
    }

    @Command(name = "revoke", description = "Revokes a live invite: a joiner presenting its ticket is told it was"
            + " revoked")
    static final class Revoke extends AdminCommand.AdminCall {
        @Parameters(index = "0", paramLabel = "GROUP", description = "the group id")
        String group;

        @Parameters(index = "1", paramLabel = "INVITE", description = "the invite id (see `invites GROUP`)")
        String invite;

        @Override
        void run(ManagedChannel c, Output out) {
            var i = AdminLists.groups(c).revokeInvite(RevokeInviteRequest.newBuilder().setGroupId(group)
                    .setInviteId(invite).build());
            out.print(i, w -> w.printf("revoked invite %s of group %s (%s, used %d of %d)%n", i.getInviteId(),
                    i.getGroupId(), i.getRole(), i.getUses(), i.getMaxUses()));
        }
    }
}
