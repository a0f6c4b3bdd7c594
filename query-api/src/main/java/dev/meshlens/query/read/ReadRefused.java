package dev.meshlens.query.read;

import java.util.Objects;

/**
 * A read the caller may not make or that names nothing: a bad parameter, a mesh or finding outside the token's
 * grant, an unknown finding. The read side says what is wrong; the HTTP layer decides how it looks on the wire
 * (its failure handler turns each reason into a 400, 403 or 404 problem), so {@code read} knows nothing of HTTP.
 */
public final class ReadRefused extends RuntimeException {
    /** Why the read was refused. */
    public enum Reason {
        BAD_PARAMETER,
        FORBIDDEN,
        NOT_FOUND
    }

    private final Reason reason;
    private final String parameter;

    private ReadRefused(Reason reason, String parameter, String detail) {
        super(detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.parameter = parameter;
    }

    /** A parameter the read cannot use; {@code detail} says why (without the parameter's name). */
    public static ReadRefused badParameter(String parameter, String detail) {
        return new ReadRefused(Reason.BAD_PARAMETER, Objects.requireNonNull(parameter, "parameter"), detail);
    }

    public static ReadRefused forbidden(String detail) {
        return new ReadRefused(Reason.FORBIDDEN, null, detail);
    }

    public static ReadRefused notFound(String detail) {
        return new ReadRefused(Reason.NOT_FOUND, null, detail);
    }

    public Reason reason() {
        return reason;
    }

    /** The parameter at fault ({@link Reason#BAD_PARAMETER}), else null. */
    public String parameter() {
        return parameter;
    }
}
