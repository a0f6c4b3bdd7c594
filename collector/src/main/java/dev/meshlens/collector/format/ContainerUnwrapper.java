package dev.meshlens.collector.format;

/**
 * Unwraps lines written by the container runtime: CRI ({@code <time> <stdout|stderr> <F|P> <line>},
 * partial {@code P} pieces joined until the {@code F} piece) and Docker's JSON file driver
 * ({@code {"log":"…\n","stream":…,"time":…}}, pieces without a trailing newline joined). One instance
 * per source (it holds the partial line); not thread-safe.
 */
public final class ContainerUnwrapper {
    /** What wrapped a line. */
    public enum Wrapper {
        NONE,
        CRI,
        DOCKER
    }

    /** An unwrapped line, or {@code line == null} when a partial piece was buffered. */
    public record Unwrapped(Wrapper wrapper, String line, String runtimeTime) {}

    private final int maxLineChars;
    private final StringBuilder partial = new StringBuilder();
    private Wrapper partialWrapper = Wrapper.NONE;
    private boolean truncated;

    public ContainerUnwrapper(int maxLineChars) {
        this.maxLineChars = maxLineChars;
    }

    public ContainerUnwrapper() {
        this(1 << 20);
    }

    /** True when the last returned line was cut at the maximum length. */
    public boolean truncated() {
        return truncated;
    }

    public Unwrapped unwrap(String raw) {
        truncated = false;
        if (raw == null || raw.isEmpty()) {
            return new Unwrapped(Wrapper.NONE, raw, null);
        }
        char c0 = raw.charAt(0);
        if (c0 == '{' && raw.startsWith("{\"log\":")) {
            String log = Json.stringMember(raw, "log");
            if (log != null) {
                String time = Json.stringMember(raw, "time");
                boolean complete = log.endsWith("\n");
                String piece = complete ? stripNewline(log) : log;
                return join(Wrapper.DOCKER, piece, complete, time);
            }
        }
        if (c0 >= '0' && c0 <= '9') {
            int s1 = raw.indexOf(' ');
            if (s1 > 10 && s1 < 40 && raw.charAt(4) == '-') {
                int s2 = raw.indexOf(' ', s1 + 1);
                if (s2 > 0) {
                    boolean stream = raw.startsWith("stdout", s1 + 1) || raw.startsWith("stderr", s1 + 1);
                    if (stream && s2 + 2 <= raw.length()) {
                        char tag = raw.charAt(s2 + 1);
                        boolean tagEnd = s2 + 2 == raw.length() || raw.charAt(s2 + 2) == ' ';
                        if ((tag == 'F' || tag == 'P') && tagEnd) {
                            String piece = s2 + 3 <= raw.length() ? raw.substring(s2 + 3) : "";
                            return join(Wrapper.CRI, piece, tag == 'F', raw.substring(0, s1));
                        }
                    }
                }
            }
        }
        if (partial.length() > 0) {
            // An unwrapped line after a dangling partial piece: flush the piece first would lose order; join.
            String joined = partial + raw;
            partial.setLength(0);
            return new Unwrapped(partialWrapper, cap(joined), null);
        }
        return new Unwrapped(Wrapper.NONE, raw, null);
    }

    private Unwrapped join(Wrapper w, String piece, boolean complete, String time) {
        if (!complete) {
            if (partial.length() < maxLineChars) {
                partial.append(piece, 0, Math.min(piece.length(), maxLineChars - partial.length()));
            }
            partialWrapper = w;
            return new Unwrapped(w, null, time);
        }
        if (partial.length() > 0) {
            partial.append(piece);
            String line = partial.toString();
            partial.setLength(0);
            return new Unwrapped(w, cap(line), time);
        }
        return new Unwrapped(w, cap(piece), time);
    }

    private String cap(String s) {
        if (s.length() > maxLineChars) {
            truncated = true;
            return s.substring(0, maxLineChars);
        }
        return s;
    }

    private static String stripNewline(String s) {
        int e = s.length();
        while (e > 0 && (s.charAt(e - 1) == '\n' || s.charAt(e - 1) == '\r')) {
            e--;
        }
        return s.substring(0, e);
    }
}
