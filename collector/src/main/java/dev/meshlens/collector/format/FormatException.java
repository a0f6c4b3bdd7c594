package dev.meshlens.collector.format;

/** A format string or JSON format that cannot be compiled. Thrown at load time only, never per line. */
public final class FormatException extends IllegalArgumentException {
    private final int position;
    private final String command;

    public FormatException(String message, String command, int position) {
        super(message);
        this.command = command;
        this.position = position;
    }

    /** Zero-based position in the format string, or -1. */
    public int position() {
        return position;
    }

    /** The command the error is about, or null. */
    public String command() {
        return command;
    }
}
