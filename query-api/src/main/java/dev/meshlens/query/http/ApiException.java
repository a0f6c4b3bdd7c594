package dev.meshlens.query.http;

/**
 * A domain error with its HTTP problem: status, problem type slug, title, detail and (for 400s)
 * the parameter at fault. Rendered as {@code application/problem+json} (RFC 9457).
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String title;
    private final String parameter;

    public ApiException(int status, String type, String title, String detail, String parameter) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
        this.parameter = parameter;
    }

    public static ApiException badParameter(String parameter, String detail) {
        return new ApiException(400, "bad-parameter", "Bad parameter", parameter + ": " + detail, parameter);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, "unauthorized", "Unauthorized", detail, null);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "forbidden", "Forbidden", detail, null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "not-found", "Not found", detail, null);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(503, "unavailable", "Service unavailable", detail, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String parameter() {
        return parameter;
    }
}
