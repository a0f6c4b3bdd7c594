package dev.meshlens.collector.redact;

import dev.meshlens.events.MeshEvent;
import dev.meshlens.redactor.HashKey;
import dev.meshlens.redactor.RedactionEngine;
import dev.meshlens.redactor.RedactionPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;

/** The redaction step every event passes before it is spooled or published. One method; thread-safe. */
@FunctionalInterface
public interface EventRedactor {
    MeshEvent redact(MeshEvent event);

    /** The redactor engine with a policy file (null: the default policy) and hash key (null: the policy's own). */
    static EventRedactor engine(Path policyFile, HashKey key, MeterRegistry registry) {
        RedactionPolicy policy =
                policyFile == null ? RedactionPolicy.defaultPolicy() : RedactionPolicy.load(policyFile, key);
        HashKey k = key;
        if (k == null && policy.needsHashKey() && policy.hashKey().isEmpty()) {
            throw new IllegalArgumentException(
                    "redaction policy " + policy.id()
                            + " hashes fields but no hash key is configured (redaction.hash_key_file or redaction.hash_key_env)");
        }
        RedactionEngine engine = new RedactionEngine(policy, k, registry);
        return engine::redact;
    }

    /**
     * The default policy with a throw-away random key, for offline use ({@code explain}): hashed values are
     * stable within one run only.
     */
    static EventRedactor offlineDefault() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        RedactionEngine engine = new RedactionEngine(RedactionPolicy.defaultPolicy(), HashKey.of(b));
        return engine::redact;
    }
}
