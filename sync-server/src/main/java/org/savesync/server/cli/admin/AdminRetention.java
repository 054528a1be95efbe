package org.savesync.server.cli.admin;

import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import org.savesync.server.grpc.v1.GetRetentionPolicyRequest;
import org.savesync.server.grpc.v1.RetentionPoliciesGrpc;
import org.savesync.server.grpc.v1.RetentionPolicy;
import org.savesync.server.grpc.v1.SetRetentionPolicyRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code retention get GROUP} and {@code retention set GROUP [--keep-versions N] [--keep-days N] [--quota BYTES]}. */
@Command(name = "retention", mixinStandardHelpOptions = true, description = "A group's retention policy: get, set",
        subcommands = {AdminRetention.Get.class, AdminRetention.Set.class}, synopsisSubcommandLabel = "(get | set)")
final class AdminRetention implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return AdminCommand.FAILED;
    }

    static RetentionPoliciesGrpc.RetentionPoliciesBlockingStub stub(ManagedChannel c) {
        return RetentionPoliciesGrpc.newBlockingStub(c).withDeadlineAfter(AdminLists.DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    static void human(PrintWriter w, RetentionPolicy p) {
        w.printf("group %s: keep %d versions, %d days, quota %s%s%n", p.getGroupId(), p.getKeepVersions(),
                p.getKeepDays(), p.getQuotaBytes() == 0 ? "none" : p.getQuotaBytes() + " bytes",
                p.getDefaults() ? " (the defaults)" : " (version " + p.getVersion() + ", set by " + p.getUpdatedBy()
                        + " at " + Output.time(p.hasUpdatedAt(), p.getUpdatedAt()) + ")");
    }

    @Command(name = "get", description = "The group's policy: its own, or the defaults")
    static final class Get extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Override
        void run(ManagedChannel c, Output out) {
            var p = stub(c).getRetentionPolicy(GetRetentionPolicyRequest.newBuilder().setGroupId(group).build());
            out.print(p, w -> human(w, p));
        }
    }

    @Command(name = "set", description = "Sets the group's policy; a value left out takes its default (10 versions,"
            + " 30 days, no quota)")
    static final class Set extends AdminCommand.AdminCall {
        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--keep-versions", paramLabel = "N", description = "versions kept per path, 1..1000")
        Integer keepVersions;

        @Option(names = "--keep-days", paramLabel = "N", description = "days a replaced or deleted version is kept,"
                + " 0..36500")
        Integer keepDays;

        @Option(names = "--quota", paramLabel = "BYTES", description = "bytes the group may take, 0 (none) .. 1 PiB")
        Long quota;

        @Option(names = "--expected-version", paramLabel = "V", description = "only if the policy is at this version"
                + " (0: none yet)")
        Long expectedVersion;

        @Override
        void run(ManagedChannel c, Output out) {
            var req = SetRetentionPolicyRequest.newBuilder().setGroupId(group);
            if (keepVersions != null) {
                req.setKeepVersions(keepVersions);
            }
            if (keepDays != null) {
                req.setKeepDays(keepDays);
            }
            if (quota != null) {
                req.setQuotaBytes(quota);
            }
            if (expectedVersion != null) {
                req.setExpectedVersion(expectedVersion);
            }
            var p = stub(c).setRetentionPolicy(req.build());
            out.print(p, w -> human(w, p));
        }
    }
}
