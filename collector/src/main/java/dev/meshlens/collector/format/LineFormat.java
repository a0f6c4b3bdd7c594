package dev.meshlens.collector.format;

import java.nio.charset.StandardCharsets;

/**
 * A compiled, immutable access-log format. Thread-safe; share one instance. Per line it builds no
 * regex and does no map lookups: it walks an array of anchors and records field offsets into a
 * reusable {@link ParsedLine}.
 */
public interface LineFormat {
    /** A short name (preset name or {@code custom}). */
    String name();

    /** Number of field slots a {@link ParsedLine} needs for this format. */
    int slotCount();

    /** The semantic field of a slot. */
    Field field(int slot);

    /** The command text of a slot, e.g. {@code REQ(:AUTHORITY)}, or the JSON key for JSON formats. */
    String slotName(int slot);

    /** The slot holding {@code field}, or -1. Array lookup, no hashing. */
    int slotOf(Field field);

    /** Parses {@code line} (without its newline) into {@code out}; never throws for any input. */
    ParseStatus parse(String line, ParsedLine out);

    /**
     * Parses the plain ASCII line {@code a[from, to)} (no newline; see {@link Bytes#plainAscii}) into
     * {@code out}, with the same outcome and values as {@link #parse(String, ParsedLine)} of the same text.
     * A format that reads bytes in place (a text format) makes no {@code String} of the line; by default the
     * line is made one and parsed as text.
     */
    default ParseStatus parseAscii(byte[] a, int from, int to, ParsedLine out) {
        return parse(new String(a, from, to - from, StandardCharsets.ISO_8859_1), out);
    }

    /** A fresh holder sized for this format. */
    default ParsedLine newParsedLine() {
        return new ParsedLine(this);
    }
}
