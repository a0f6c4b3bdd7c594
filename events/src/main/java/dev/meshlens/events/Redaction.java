package dev.meshlens.events;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the redactor did to an event before it left its mesh. Counts are per rule; they never hold
 * the removed values.
 *
 * @param policyId the redaction policy's id
 * @param policyVersion the policy's version
 * @param counts number of values each rule acted on (rule name to count)
 */
public record Redaction(String policyId, String policyVersion, Map<String, Integer> counts) {
    public Redaction {
        counts = counts == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(counts));
    }

    public int total() {
        int t = 0;
        for (int c : counts.values()) {
            t += c;
        }
        return t;
    }
}
