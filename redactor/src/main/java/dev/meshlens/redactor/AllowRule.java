package dev.meshlens.redactor;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * An allow-list pattern: text it matches is never replaced by a detector (field actions still
 * apply). Allow-list patterns take precedence over detectors.
 *
 * @param pattern the regular expression
 * @param fields the fields it applies to (wire names); empty means every field
 * @param line line in the policy file (0 when built in code)
 */
public record AllowRule(Pattern pattern, Set<String> fields, int line) {
    public AllowRule {
        fields = fields == null ? Set.of() : Set.copyOf(fields);
    }

    public boolean appliesTo(String field) {
        return fields.isEmpty() || fields.contains(field);
    }
}
