package dev.meshlens.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads YAML text into {@link Node}s that remember their lines; a duplicate key is a problem, not a silent win. */
final class YamlReader {
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final List<Problem> problems;

    YamlReader(List<Problem> problems) {
        this.problems = problems;
    }

    /** The document's root, null for an empty document; a syntax error is thrown as one problem. */
    Node read(String text) throws Problem.Fatal {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            return value(p, t);
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
                    ? jpe.getLocation().getLineNr()
                    : 0;
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                    ? jpe.getOriginalMessage()
                    : e.getMessage();
            // SnakeYAML knows where the problem is (the context mark is only where the enclosing block began).
            if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                line = m.getProblemMark().getLine() + 1;
                msg = m.getProblem();
            }
            throw new Problem.Fatal(new Problem(
                    line,
                    "",
                    "not valid YAML: " + firstLine(msg),
                    "correct the YAML syntax (indentation with spaces, a space after each colon)"));
        }
    }

    private Node value(JsonParser p, JsonToken t) throws IOException {
        int line = line(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, Integer> lines = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int keyLine = line(p.currentTokenLocation());
                    Node v = value(p, p.nextToken());
                    if (entries.containsKey(name)) {
                        problems.add(new Problem(
                                keyLine,
                                name,
                                "the key '" + name + "' appears twice in one mapping (line " + lines.get(name)
                                        + " and line " + keyLine + ")",
                                "keep one of them"));
                    }
                    entries.put(name, v);
                    lines.put(name, keyLine);
                }
                return new Node.Mapping(entries, lines, line);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY && n != null) {
                    items.add(value(p, n));
                }
                return new Node.Sequence(items, line);
            }
            case VALUE_TRUE -> {
                return new Node.Scalar(Boolean.TRUE, line);
            }
            case VALUE_FALSE -> {
                return new Node.Scalar(Boolean.FALSE, line);
            }
            case VALUE_NULL -> {
                return new Node.Scalar(null, line);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Node.Scalar(p.getNumberValue(), line);
            }
            default -> {
                return new Node.Scalar(p.getText(), line);
            }
        }
    }

    private static int line(JsonLocation l) {
        return l == null ? 0 : l.getLineNr();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
