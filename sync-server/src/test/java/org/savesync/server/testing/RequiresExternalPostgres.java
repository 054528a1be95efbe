package org.savesync.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips the test class, saying why, when no PostgreSQL answers at
 * {@value ExternalPostgres#HOST}:{@value ExternalPostgres#PORT}. Evaluated before Quarkus
 * starts, so a missing server skips the class instead of failing its startup.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresExternalPostgres.Condition.class)
public @interface RequiresExternalPostgres {

    /** The check behind the annotation: a TCP connect with a short timeout. */
    class Condition implements ExecutionCondition {
        private static final int TIMEOUT_MS = 1_000;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ExternalPostgres.HOST, ExternalPostgres.PORT), TIMEOUT_MS);
                return ConditionEvaluationResult.enabled("PostgreSQL answers at " + ExternalPostgres.HOST + ":"
                        + ExternalPostgres.PORT);
            } catch (Exception e) {
                String why = "skipped: no PostgreSQL answers at " + ExternalPostgres.HOST + ":" + ExternalPostgres.PORT
                        + " (" + e.getMessage() + "); start one to run the tests against an external server";
                System.err.println(context.getDisplayName() + " " + why);
                return ConditionEvaluationResult.disabled(why);
            }
        }
    }
}
