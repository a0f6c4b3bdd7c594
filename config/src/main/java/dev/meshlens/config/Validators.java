package dev.meshlens.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The validators keys share. */
public final class Validators {
    private Validators() {}

    /** A number in {@code [min, max]}. */
    public static <T extends Number> Validator<T> range(long min, long max) {
        return new Validator<>() {
            @Override
            public String problem(T v) {
                long n = v.longValue();
                if (n < min) {
                    return max == Long.MAX_VALUE ? "must be at least " + min : "must be between " + min + " and " + max;
                }
                return n > max ? "must be between " + min + " and " + max : null;
            }

            @Override
            public String describe() {
                return max == Long.MAX_VALUE ? "at least " + min : min + ".." + max;
            }

            @Override
            public Map<String, Object> schema() {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("minimum", min);
                if (max != Long.MAX_VALUE) {
                    m.put("maximum", max);
                }
                return m;
            }
        };
    }

    public static <T extends Number> Validator<T> atLeast(long min) {
        return range(min, Long.MAX_VALUE);
    }

    /** A TCP port, 0 meaning "pick a free one". */
    public static Validator<Integer> port() {
        return range(0, 65535);
    }

    /** A duration longer than zero. */
    public static Validator<Duration> positive() {
        return new Validator<>() {
            @Override
            public String problem(Duration d) {
                return d.isZero() || d.isNegative() ? "must be longer than zero" : null;
            }

            @Override
            public String describe() {
                return "longer than zero";
            }
        };
    }

    /** A Java regular expression. */
    public static Validator<String> regex(String example) {
        return v -> {
            try {
                Pattern.compile(v);
                return null;
            } catch (PatternSyntaxException e) {
                return "not a regular expression (" + e.getDescription() + "); e.g. " + example;
            }
        };
    }

    /** Not blank. */
    public static Validator<String> notBlank() {
        return v -> v.isBlank() ? "must not be empty" : null;
    }

    /** Each element of a string list passes {@code element}. */
    public static Validator<List<String>> each(Function<String, String> element, String describe) {
        return new Validator<>() {
            @Override
            public String problem(List<String> l) {
                for (String s : l) {
                    String p = element.apply(s);
                    if (p != null) {
                        return "'" + s + "' " + p;
                    }
                }
                return null;
            }

            @Override
            public String describe() {
                return describe;
            }
        };
    }

    /** An http(s) base URL. */
    public static final Function<String, String> HTTP_URL =
            s -> s.matches("https?://[^/\\s]+(:\\d+)?/?") ? null : "is not http(s)://host:port";
}
