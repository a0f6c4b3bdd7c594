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
    private int runtimeTimeEnd = -1;

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

    /**
     * {@link #unwrap} of the plain ASCII line {@code a[from, to)} without making it a {@code String}, for the
     * two shapes that need no joining: a line without a wrapper (returns {@code from}) and a complete CRI
     * piece ({@code F}; returns where the piece starts, and {@link #runtimeTimeEnd()} where the runtime's time
     * that starts the line ends). -1 for everything else (Docker JSON, a partial piece, a line after one):
     * then {@link #unwrap} the text, which gives the same result as before.
     */
    public int plainStart(byte[] a, int from, int to) {
        truncated = false;
        runtimeTimeEnd = -1;
        if (from == to) {
            return from;
        }
        byte c0 = a[from];
        if (c0 == '{' && to - from >= 7 && startsWith(a, from, to, "{\"log\":")) {
            return -1;
        }
        if (c0 >= '0' && c0 <= '9') {
            int s1 = Bytes.indexOf(a, (byte) ' ', from, to) - from;
            if (s1 > 10 && s1 < 40 && a[from + 4] == '-') {
                int s2 = Bytes.indexOf(a, (byte) ' ', from + s1 + 1, to) - from;
                if (s2 > 0) {
                    int len = to - from;
                    boolean stream =
                            startsWith(a, from + s1 + 1, to, "stdout") || startsWith(a, from + s1 + 1, to, "stderr");
                    if (stream && s2 + 2 <= len) {
                        byte tag = a[from + s2 + 1];
                        boolean tagEnd = s2 + 2 == len || a[from + s2 + 2] == ' ';
                        if (tag == 'F' && tagEnd && partial.length() == 0) {
                            int start = Math.min(from + s2 + 3, to);
                            if (to - start > maxLineChars) {
                                return -1;
                            }
                            runtimeTimeEnd = from + s1;
                            return start;
                        }
                        if ((tag == 'F' || tag == 'P') && tagEnd) {
                            return -1;
                        }
                    }
                }
            }
        }
        if (partial.length() > 0 || to - from > maxLineChars) {
            return -1;
        }
        return from;
    }

    /** After {@link #plainStart} found a CRI piece: the end of the runtime's time at the line's start, else -1. */
    public int runtimeTimeEnd() {
        return runtimeTimeEnd;
    }

    private static boolean startsWith(byte[] a, int at, int to, String prefix) {
        if (to - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (a[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
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
