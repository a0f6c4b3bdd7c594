package dev.meshlens.config;

import java.util.List;

/** Every problem of one configuration at once, each with its line, key and fix. */
public final class ConfigException extends RuntimeException {
    private final String source;
    private final List<Problem> problems;

    public ConfigException(String source, List<Problem> problems) {
        super(message(source, problems));
        this.source = source;
        this.problems = List.copyOf(problems);
    }

    public String source() {
        return source;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** The problems as lines ("line 3: Invalid value ... Fix: ..."). */
    public List<String> lines() {
        return problems.stream().map(Problem::toString).toList();
    }

    private static String message(String source, List<Problem> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(source == null ? "configuration" : source)
                .append(": ")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems");
        for (Problem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }
}
