package dev.meshlens.events;

/** Input that is not a valid event or finding; the message names the field and the position. */
public final class EventDecodeException extends RuntimeException {
    private final String field;
    private final long line;
    private final long column;

    public EventDecodeException(String message, String field, long line, long column, Throwable cause) {
        super(message + (line > 0 ? " (line " + line + ", column " + column + ")" : ""), cause);
        this.field = field;
        this.line = line;
        this.column = column;
    }

    /** The offending field's wire name, or null when the input is not JSON at all. */
    public String field() {
        return field;
    }

    public long line() {
        return line;
    }

    public long column() {
        return column;
    }
}
