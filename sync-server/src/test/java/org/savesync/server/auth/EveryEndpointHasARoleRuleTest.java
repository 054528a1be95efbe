package org.savesync.server.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.savesync.server.testing.EmbeddedPostgresProfile;

/**
 * Every JAX-RS resource method of the hub (found by reflection over the compiled {@code @Path}
 * classes, so a new one is found too) has a role rule of its own or its class's, allows only
 * the API's roles (changes only {@link Roles#ADMIN}), answers 401 without a token and is reached
 * with the admin token; and every operation in the OpenAPI document answers 401 without a token.
 */
@QuarkusTest
@TestProfile(EmbeddedPostgresProfile.class)
class EveryEndpointHasARoleRuleTest {
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    @Inject
    AuthMode mode;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** A resource method and the URL path it answers on (path parameters filled in). */
    record Endpoint(Class<?> type, Method method, String verb, String path) {
        @Override
        public String toString() {
            return verb + " " + path + " (" + type.getSimpleName() + "." + method.getName() + ")";
        }
    }

    static List<Endpoint> endpoints() throws Exception {
        // The hub's compiled classes as Maven wrote them (Quarkus serves them from memory, not from a directory).
        var root = Paths.get("target", "classes");
        assertThat(root.resolve("org/savesync/server/auth/AuthMode.class")).as("run from the module's directory")
                .exists();
        List<Endpoint> out = new ArrayList<>();
        List<java.nio.file.Path> classes;
        try (Stream<java.nio.file.Path> all = Files.walk(root.resolve("org/savesync/server"))) {
            classes = all.filter(p -> p.toString().endsWith(".class")).toList();
        }
        for (var file : classes) {
            String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, EveryEndpointHasARoleRuleTest.class.getClassLoader());
            Path base = type.getAnnotation(Path.class);
            if (base == null) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                String verb = Arrays.stream(m.getAnnotations())
                        .map(a -> a.annotationType().getAnnotation(HttpMethod.class)).filter(h -> h != null)
                        .map(HttpMethod::value).findFirst().orElse(null);
                if (verb == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = (base.value() + (sub == null ? "" : "/" + sub.value())).replaceAll("/+", "/")
                        .replaceAll("\\{[^}]*}", "x");
                out.add(new Endpoint(type, m, verb, path));
            }
        }
        return out;
    }

    @Test
    void everyResourceMethodHasARuleWithTheApisRoles() throws Exception {
        List<Endpoint> all = endpoints();
        assertThat(all).as("the resource methods found").hasSizeGreaterThanOrEqualTo(7);
        for (Endpoint e : all) {
            RolesAllowed roles = e.method().isAnnotationPresent(RolesAllowed.class)
                    ? e.method().getAnnotation(RolesAllowed.class) : e.type().getAnnotation(RolesAllowed.class);
            assertThat(e.method().isAnnotationPresent(PermitAll.class) || e.type().isAnnotationPresent(PermitAll.class))
                    .as(e + " is open to anyone (@PermitAll)").isFalse();
            boolean denied = e.method().isAnnotationPresent(DenyAll.class) || e.type().isAnnotationPresent(DenyAll.class);
            assertThat(roles != null || denied).as(e + " has no role rule: add @RolesAllowed({Roles.VIEWER,"
                    + " Roles.ADMIN}) to a read, @RolesAllowed(Roles.ADMIN) to a change").isTrue();
            if (roles != null) {
                assertThat(roles.value()).as(e + ": only the API's roles").isSubsetOf(Roles.VIEWER, Roles.ADMIN);
                if (!READS.contains(e.verb())) {
                    assertThat(roles.value()).as(e + " changes state: only " + Roles.ADMIN).containsExactly(Roles.ADMIN);
                }
            }
        }
    }

    @Test
    void everyResourceMethodAnswers401WithoutATokenAndIsReachedWithIt() throws Exception {
        String token = Files.readString(mode.localToken().orElseThrow().file()).strip();
        for (Endpoint e : endpoints()) {
            assertThat(given().request(e.verb(), e.path()).then().extract().statusCode()).as(e + " without a token")
                    .isEqualTo(401);
            int status = given().header("Authorization", "Bearer " + token).request(e.verb(), e.path())
                    .then().extract().statusCode();
            assertThat(status).as(e + " with the admin token").isNotIn(401, 403);
        }
    }

    @Test
    void everyOperationInTheOpenApiDocumentAnswers401WithoutAToken() throws Exception {
        JsonPath doc = given().get(new URL(management, "/q/openapi?format=json")).then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        assertThat(paths).isNotEmpty();
        paths.forEach((path, operations) -> operations.keySet().forEach(verb -> {
            String concrete = URI.create(path.replaceAll("\\{[^}]*}", "x")).getPath();
            int status = given().request(verb.toUpperCase(java.util.Locale.ROOT), concrete).then().extract().statusCode();
            assertThat(status).as(verb + " " + path + " without a token").isEqualTo(401);
        }));
    }
}
