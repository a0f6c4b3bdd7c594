package dev.meshlens.config;

/**
 * One thing wrong with a configuration: the line it is on (0 when it is about something missing), the key, what is
 * wrong and the fix. Secret values never enter {@code what}.
 */
public record Problem(int line, String key, String what, String fix) {
    @Override
    public String toString() {
        return (line > 0 ? "line " + line + ": " : "") + what + (fix == null || fix.isEmpty() ? "" : ". Fix: " + fix);
    }

    /** A problem after which nothing else can be checked (the file is not YAML). */
    static final class Fatal extends Exception {
        final transient Problem problem;

        Fatal(Problem problem) {
            super(problem.toString(), null, false, false);
            this.problem = problem;
        }
    }
}
