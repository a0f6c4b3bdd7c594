package dev.meshlens.redactor;

/**
 * A redaction policy that cannot be used. Start-up must stop. The message names the source, the
 * line and how to fix it, e.g. {@code policy.yaml line 12: unknown field 'paht' (fields: ...);
 * fix: use one of the listed field names}.
 */
public final class PolicyException extends RuntimeException {
    private final String source;
    private final int line;
    private final String problem;
    private final String fix;

    public PolicyException(String source, int line, String problem, String fix) {
        super(source + (line > 0 ? " line " + line : "") + ": " + problem + (fix == null ? "" : "; fix: " + fix));
        this.source = source;
        this.line = line;
        this.problem = problem;
        this.fix = fix;
    }

    /** File name or other source of the policy text. */
    public String source() {
        return source;
    }

    /** 1-based line of the problem, or 0 when it is not tied to one line. */
    public int line() {
        return line;
    }

    public String problem() {
        return problem;
    }

    /** What to change; may be null. */
    public String fix() {
        return fix;
    }
}
