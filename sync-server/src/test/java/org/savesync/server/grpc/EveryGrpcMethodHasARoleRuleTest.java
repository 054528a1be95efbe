package org.savesync.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.grpc.GrpcService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.savesync.server.auth.AuthMode;
import org.savesync.server.auth.Roles;
import org.savesync.server.testing.ApiAuth;
import org.savesync.server.testing.EmbeddedPostgresProfile;
import org.savesync.server.testing.GrpcTesting;

/**
 * Every admin gRPC method (the services found by server reflection, so a new one is found too)
 * has a role rule on its implementation, of its own or its class's, allowing only the API's
 * roles; answers UNAUTHENTICATED without a token; and is reached with the admin token.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class EveryGrpcMethodHasARoleRuleTest {
    private static final String PREFIX = "savesync.admin.v1.";
    /** The implementations, one per admin service: a service the reflection lists but this does not fails the test. */
    private static final List<Class<?>> SERVICES = List.of(GroupAdminService.class, RetentionPoliciesService.class,
            AuditLogService.class, BackupsService.class);

    @Inject
    AuthMode auth;

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyAdminMethodNeedsAToken() throws Exception {
        try (var anonymous = new AdminGrpcClient(root.getPort(), null);
             var admin = new AdminGrpcClient(root.getPort(), ApiAuth.localToken(auth))) {
            List<MethodDescriptor<?, ?>> methods = methods(anonymous);
            assertThat(methods.stream().map(MethodDescriptor::getServiceName).distinct().toList())
                    .as("the admin services the hub lists, each with an implementation checked below")
                    .containsExactlyInAnyOrderElementsOf(SERVICES.stream()
                            .map(c -> PREFIX + c.getSimpleName().replace("Service", "")).toList());
            for (MethodDescriptor<?, ?> m : methods) {
                assertThat(code(anonymous, m)).as("%s without a token", m.getFullMethodName())
                        .isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(code(admin, m)).as("%s with the admin token", m.getFullMethodName())
                        .isNotIn(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED, Status.Code.UNIMPLEMENTED);
            }
        }
    }

    @Test
    void everyImplementationHasARoleRule() {
        for (Class<?> s : SERVICES) {
            assertThat(s.isAnnotationPresent(GrpcService.class)).as(s.getSimpleName()).isTrue();
            for (Method m : s.getDeclaredMethods()) {
                if (!java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                    continue;
                }
                RolesAllowed rule = m.isAnnotationPresent(RolesAllowed.class) ? m.getAnnotation(RolesAllowed.class)
                        : s.getAnnotation(RolesAllowed.class);
                assertThat(rule).as("a role rule on %s.%s", s.getSimpleName(), m.getName()).isNotNull();
                assertThat(rule.value()).as("%s.%s", s.getSimpleName(), m.getName()).isNotEmpty()
                        .isSubsetOf(Roles.VIEWER, Roles.ADMIN);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Status.Code code(AdminGrpcClient c, MethodDescriptor<?, ?> m) {
        var method = (MethodDescriptor<Object, Object>) m;
        Object request = ((MethodDescriptor.PrototypeMarshaller<?>) m.getRequestMarshaller()).getMessagePrototype();
        try {
            if (m.getType() == MethodDescriptor.MethodType.UNARY) {
                ClientCalls.blockingUnaryCall(c.channel, method, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                        request);
            } else {
                var it = ClientCalls.blockingServerStreamingCall(c.channel, method,
                        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), request);
                it.hasNext();
            }
            return Status.Code.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode();
        }
    }

    /** The methods of every savesync.admin.v1 service the hub's reflection lists. */
    private static List<MethodDescriptor<?, ?>> methods(AdminGrpcClient c) throws Exception {
        List<MethodDescriptor<?, ?>> methods = new ArrayList<>();
        for (String name : GrpcTesting.services(c.channel)) {
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            Class<?> grpc = Class.forName("org.savesync.server.grpc.v1." + name.substring(PREFIX.length()) + "Grpc");
            ServiceDescriptor d = (ServiceDescriptor) grpc.getMethod("getServiceDescriptor").invoke(null);
            methods.addAll(d.getMethods());
        }
        return methods;
    }
}
