package dev.meshlens.collector.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The formats one source reads: one format, an ordered list (the first that fits a line wins), or
 * {@code auto} (the kind of each line is detected, as {@code explain} does, by {@link FormatDetector}).
 * Real streams mix formats: with the mesh settings in {@code deploy/mesh/} an Istio sidecar's stdout
 * holds the access log and the JSON lines of the listener-level log of failed handshakes. Immutable and
 * thread-safe; each thread parses with its own {@link Parser}.
 *
 * <p>Every format has a tag (its name; a name used twice in a list gets its position, {@code custom-json[2]})
 * so lines can be counted per format.
 */
public final class FormatChain {
    private final List<LineFormat> formats;
    private final List<String> tags;
    private final boolean auto;

    private FormatChain(List<LineFormat> formats, boolean auto) {
        this.formats = List.copyOf(formats);
        this.auto = auto;
        List<String> t = new ArrayList<>(formats.size());
        for (int i = 0; i < formats.size(); i++) {
            String name = formats.get(i).name();
            long same = formats.stream().filter(f -> f.name().equals(name)).count();
            t.add(same > 1 ? name + "[" + (i + 1) + "]" : name);
        }
        this.tags = List.copyOf(t);
    }

    /** One format. */
    public static FormatChain of(LineFormat format) {
        return new FormatChain(List.of(Objects.requireNonNull(format, "format")), false);
    }

    /** Formats tried in order; the first that fits a line wins. */
    public static FormatChain of(List<LineFormat> formats) {
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("a format list needs at least one format");
        }
        return new FormatChain(formats, false);
    }

    /** Detects the kind of each line (JSON access logs, Istio and Envoy text formats). */
    public static FormatChain auto() {
        return new FormatChain(FormatDetector.FORMATS, true);
    }

    public boolean detectsPerLine() {
        return auto;
    }

    /** The formats, in the order they are tried (for {@code auto}: every format detection can answer with). */
    public List<LineFormat> formats() {
        return formats;
    }

    /** The metric tag of each format, in the same order. */
    public List<String> tags() {
        return tags;
    }

    @Override
    public String toString() {
        return auto ? "auto" : String.join(", ", tags);
    }

    public Parser newParser() {
        return new Parser();
    }

    /** Parses lines with the chain's formats into buffers it owns. One thread only. */
    public final class Parser {
        private final ParsedLine[] buffers;
        private final FormatDetector detector;
        private final LineFormat single;
        private final ParsedLine singleBuffer;
        private ParsedLine parsed;
        private int matched = -1;

        private Parser() {
            buffers = new ParsedLine[formats.size()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = formats.get(i).newParsedLine();
            }
            detector = auto ? new FormatDetector() : null;
            single = !auto && formats.size() == 1 ? formats.get(0) : null;
            singleBuffer = single == null ? null : buffers[0];
        }

        /**
         * Parses {@code line}. {@code OK}: {@link #parsed()} and {@link #matched()} say how. Otherwise the most
         * telling misfit: the reason of a format the line looked like ({@code literal_not_found},
         * {@code truncated_json}, …) rather than {@code prefix_mismatch}/{@code not_json} from the formats it
         * is plainly not.
         */
        public ParseStatus parse(String line) {
            if (single != null) {
                // one format: no detour, so a single-format source parses as fast as before lists existed
                ParseStatus st = single.parse(line, singleBuffer);
                parsed = st == ParseStatus.OK ? singleBuffer : null;
                matched = st == ParseStatus.OK ? 0 : -1;
                return st;
            }
            parsed = null;
            matched = -1;
            if (auto) {
                FormatDetector.Detection d = detector.detect(line);
                if (d.accessLog()) {
                    parsed = d.parsed();
                    matched = d.formatIndex();
                }
                return d.status();
            }
            return firstFit(false, line, null, 0, 0);
        }

        /**
         * {@link #parse(String)} of the plain ASCII line {@code a[from, to)} (see {@link Bytes#plainAscii}),
         * with the same outcome; the formats read the bytes in place, so a healthy line makes no {@code String}.
         * {@code auto} detects on text and makes the line one.
         */
        public ParseStatus parseAscii(byte[] a, int from, int to) {
            if (single != null) {
                ParseStatus st = single.parseAscii(a, from, to, singleBuffer);
                parsed = st == ParseStatus.OK ? singleBuffer : null;
                matched = st == ParseStatus.OK ? 0 : -1;
                return st;
            }
            if (auto) {
                return parse(new String(a, from, to - from, StandardCharsets.ISO_8859_1));
            }
            parsed = null;
            matched = -1;
            return firstFit(true, null, a, from, to);
        }

        /** The list's formats in order on {@code line}, or on the ASCII bytes {@code a[from, to)}. */
        private ParseStatus firstFit(boolean ascii, String line, byte[] a, int from, int to) {
            ParseStatus why = null;
            for (int i = 0; i < buffers.length; i++) {
                LineFormat f = formats.get(i);
                ParseStatus st = ascii ? f.parseAscii(a, from, to, buffers[i]) : f.parse(line, buffers[i]);
                if (st == ParseStatus.OK) {
                    parsed = buffers[i];
                    matched = i;
                    return st;
                }
                if (st == ParseStatus.EMPTY) {
                    return st;
                }
                if (why == null || (notThisFormat(why) && !notThisFormat(st))) {
                    why = st;
                }
            }
            return why;
        }

        /** The parsed line of the last {@code OK} parse (a buffer reused by the next call), else null. */
        public ParsedLine parsed() {
            return parsed;
        }

        /** Index of the format that fit the last line (into {@link #formats()} and {@link #tags()}), else -1. */
        public int matched() {
            return matched;
        }
    }

    private static boolean notThisFormat(ParseStatus st) {
        return st == ParseStatus.PREFIX_MISMATCH || st == ParseStatus.NOT_JSON;
    }
}
