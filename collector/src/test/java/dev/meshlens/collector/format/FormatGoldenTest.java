package dev.meshlens.collector.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class FormatGoldenTest {
    private static final ObjectMapper M = new ObjectMapper();

    static List<JsonNode> load(String resource) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (var in = FormatGoldenTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String l;
            while ((l = r.readLine()) != null) {
                if (!l.isBlank()) {
                    out.add(M.readTree(l));
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> golden() throws Exception {
        return load("/format/golden.jsonl").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    LineFormat f = Presets.resolve(c.get("format").asText());
                    ParsedLine p = f.newParsedLine();
                    ParseStatus st = f.parse(c.get("line").asText(), p);
                    assertEquals(
                            c.get("status").asText(),
                            st.tag(),
                            "status of " + c.get("name").asText());
                    JsonNode fields = c.get("fields");
                    if (fields != null) {
                        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            Field field = Field.valueOf(e.getKey());
                            String expected =
                                    e.getValue().isNull() ? null : e.getValue().asText();
                            assertEquals(expected, p.get(field), c.get("name").asText() + " field " + field);
                        }
                    }
                }));
    }

    /** The same corpus, each plain ASCII line read from the middle of a read buffer as the tailer hands it over. */
    @TestFactory
    Stream<DynamicTest> goldenFromBytes() throws Exception {
        return load("/format/golden.jsonl").stream()
                .filter(c -> c.get("line").asText().chars().allMatch(ch -> ch > 0 && ch < 0x80))
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    LineFormat f = Presets.resolve(c.get("format").asText());
                    String line = c.get("line").asText();
                    byte[] buf = ("x\"\n" + line + "\n\"y").getBytes(StandardCharsets.US_ASCII);
                    ParsedLine p = f.newParsedLine();
                    ParseStatus st = f.parseAscii(buf, 3, 3 + line.length(), p);
                    assertEquals(
                            c.get("status").asText(),
                            st.tag(),
                            "status of " + c.get("name").asText());
                    JsonNode fields = c.get("fields");
                    if (fields != null) {
                        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            Field field = Field.valueOf(e.getKey());
                            String expected =
                                    e.getValue().isNull() ? null : e.getValue().asText();
                            assertEquals(expected, p.get(field), c.get("name").asText() + " field " + field);
                        }
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> invalidFormats() throws Exception {
        return load("/format/invalid.jsonl").stream()
                .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
                    FormatException e = assertThrows(
                            FormatException.class,
                            () -> TextFormat.compile(c.get("format").asText()));
                    assertTrue(
                            e.getMessage().contains(c.get("error").asText()),
                            () -> c.get("name").asText() + ": '" + e.getMessage() + "' lacks '"
                                    + c.get("error").asText() + "'");
                    assertEquals(
                            c.get("position").asInt(),
                            e.position(),
                            c.get("name").asText() + " position");
                }));
    }

    @Test
    void presetsCompileAndExposeTheirFields() {
        for (String name : Presets.NAMES) {
            LineFormat f = Presets.byName(name);
            assertNotNull(f, name);
            assertTrue(
                    f.slotOf(Field.RESPONSE_CODE) >= 0 || name.endsWith("-tcp"), name + ": only TCP formats lack it");
            assertTrue(f.slotOf(Field.RESPONSE_FLAGS) >= 0, name);
        }
        assertTrue(Presets.ISTIO.slotOf(Field.UPSTREAM_TRANSPORT_FAILURE_REASON) >= 0);
        assertEquals(-1, Presets.ENVOY.slotOf(Field.UPSTREAM_TRANSPORT_FAILURE_REASON));
    }

    @Test
    void jsonFormatErrorsNameTheKey() {
        FormatException e = assertThrows(
                FormatException.class, () -> Presets.resolve("{\"code\":\"%RESPONSE_CODE%\",\"bad\":\"%REQ%\"}"));
        assertTrue(e.getMessage().contains("JSON key 'bad'"), e.getMessage());
        assertThrows(FormatException.class, () -> Presets.resolve("no operators here"));
    }

    @Test
    void jsonCustomFormatWithUnknownKeyOrderParses() {
        LineFormat f = Presets.resolve("{\"a\":\"%RESPONSE_CODE%\",\"b\":\"%UPSTREAM_TRANSPORT_FAILURE_REASON%\"}");
        ParsedLine p = f.newParsedLine();
        assertEquals(ParseStatus.OK, f.parse("{\"zz\":1, \"b\" : \"x y\" , \"a\":\"503\"}", p));
        assertEquals("503", p.get(Field.RESPONSE_CODE));
        assertEquals("x y", p.get(Field.UPSTREAM_TRANSPORT_FAILURE_REASON));
    }

    @Test
    void containerUnwrapping() {
        ContainerUnwrapper u = new ContainerUnwrapper();
        var a = u.unwrap("2026-11-28T10:00:00.123456789Z stdout F hello world");
        assertEquals(ContainerUnwrapper.Wrapper.CRI, a.wrapper());
        assertEquals("hello world", a.line());
        assertEquals("2026-11-28T10:00:00.123456789Z", a.runtimeTime());
        var p1 = u.unwrap("2026-11-28T10:00:00.1Z stderr P first ");
        assertEquals(null, p1.line());
        var p2 = u.unwrap("2026-11-28T10:00:00.2Z stderr F second");
        assertEquals("first second", p2.line());
        var d = u.unwrap(
                "{\"log\":\"[x] \\\"quoted\\\" line\\n\",\"stream\":\"stdout\",\"time\":\"2026-01-01T00:00:00Z\"}");
        assertEquals(ContainerUnwrapper.Wrapper.DOCKER, d.wrapper());
        assertEquals("[x] \"quoted\" line", d.line());
        assertEquals("2026-01-01T00:00:00Z", d.runtimeTime());
        var dp = u.unwrap("{\"log\":\"part1-\",\"stream\":\"stdout\",\"time\":\"t\"}");
        assertEquals(null, dp.line());
        assertEquals(
                "part1-part2",
                u.unwrap("{\"log\":\"part2\\n\",\"stream\":\"stdout\",\"time\":\"t\"}")
                        .line());
        assertEquals("plain", u.unwrap("plain").line());
        ContainerUnwrapper small = new ContainerUnwrapper(5);
        assertEquals(
                "abcde", small.unwrap("2026-11-28T10:00:00Z stdout F abcdefgh").line());
        assertTrue(small.truncated());
    }
}
