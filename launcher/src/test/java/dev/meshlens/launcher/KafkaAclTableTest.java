package dev.meshlens.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshlens.collector.config.CollectorConfig;
import dev.meshlens.correlator.CorrelationConfig;
import dev.meshlens.correlator.CorrelatorKeys;
import dev.meshlens.correlator.KafkaNames;
import dev.meshlens.query.config.QueryApiConfig;
import dev.meshlens.query.config.QueryApiKeys;
import dev.meshlens.redactor.stage.StageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/production.md's Kafka ACL table, its kafka-acls.sh commands and its Strimzi users name exactly the topics,
 * groups and transactional ids the code derives (for mesh istio-east and the default group), so they cannot drift
 * from each other or from the code.
 */
class KafkaAclTableTest {
    private static final String MESH = "istio-east";
    private static final String INPUT = "raw.envoy.istio-east";
    private static final Path DOC = Path.of("..", "docs", "production.md");

    /** One ACL: who, on what, which operations. */
    record Acl(String component, String resource, String pattern, String name, Set<String> operations) {
        Acl withoutComponent() {
            return new Acl("", resource, pattern, name, operations);
        }
    }

    private static Acl acl(String component, String resource, String pattern, String name, String... ops) {
        return new Acl(component, resource, pattern, name, new TreeSet<>(Arrays.asList(ops)));
    }

    /** What each component needs, named by the code's own derivations. */
    private static Set<Acl> fromCode() {
        CollectorConfig collector = CollectorConfig.parse(
                "mesh: {id: " + MESH + ", kind: istio}\nkafka: {bootstrap_servers: k:9092}\n"
                        + "sources: {files: [{globs: [/var/log/x.log], format: istio}]}\n",
                "collector.yaml");
        StageConfig stage = StageConfig.parse(
                "mesh: " + MESH + "\nkafka: {bootstrap_servers: k:9092}\ninput: {topic: " + INPUT + "}\n",
                "redactor.yaml",
                null);
        QueryApiConfig query =
                QueryApiConfig.parse("kafka: {bootstrap_servers: k:9092}\nelasticsearch: {urls: [http://e:9200]}\n");
        KafkaNames names = query.kafkaNames();
        CorrelationConfig correlator = query.correlation();
        String events = prefixOf(query.get(CorrelatorKeys.EVENTS_TOPIC_PATTERN));
        Set<Acl> out = new HashSet<>();
        out.add(acl("collector", "topic", "literal", collector.topic(), "Write", "Describe"));
        String r = "redactor stage";
        out.add(acl(r, "topic", "literal", stage.get(StageConfig.INPUT_TOPIC), "Read", "Describe"));
        out.add(acl(r, "group", "literal", stage.groupId(), "Read", "Describe"));
        out.add(acl(r, "transactional-id", "literal", stage.transactionalId(), "Write", "Describe"));
        out.add(acl(r, "topic", "literal", stage.outputTopic(), "Write", "Describe"));
        out.add(acl(r, "topic", "literal", stage.get(StageConfig.DEAD_LETTER_TOPIC), "Write", "Describe"));
        String q = "query API";
        out.add(acl(q, "topic", "prefixed", events, "Read", "Describe"));
        out.add(acl(q, "group", "literal", names.group(), "Read", "Describe"));
        out.add(acl(q, "topic", "literal", query.get(CorrelatorKeys.FINDINGS_TOPIC), "Read", "Describe"));
        out.add(acl(q, "group", "literal", names.findingsGroup(), "Read", "Describe"));
        out.add(acl(q, "topic", "literal", query.get(QueryApiKeys.DEAD_LETTER_TOPIC), "Write", "Describe"));
        String c = "correlator";
        out.add(acl(c, "topic", "prefixed", prefixOf(correlator.inputPattern()), "Read", "Describe"));
        out.add(acl(c, "topic", "literal", correlator.findingsTopic(), "Create", "Write", "Describe"));
        out.add(acl(c, "group", "literal", correlator.names().correlatorGroup(), "Read", "Describe"));
        out.add(acl(c, "topic", "prefixed", correlator.names().correlatorTopicPrefix(), "All"));
        out.add(acl(
                c, "transactional-id", "prefixed", correlator.names().transactionalIdPrefix(), "Write", "Describe"));
        // the correlator's own topics all lie under the granted prefix
        for (String t : List.of(correlator.inventoryTopic(), correlator.loopTopic())) {
            assertTrue(t.startsWith(correlator.names().correlatorTopicPrefix()), t);
        }
        return out;
    }

    /** {@code meshlens\.events\..*} -> {@code meshlens.events.}: the literal head of the topic regex. */
    private static String prefixOf(String regex) {
        assertTrue(regex.endsWith(".*"), regex);
        String head = regex.substring(0, regex.length() - 2);
        assertFalse(head.replace("\\.", "").matches(".*[\\\\.*+?\\[\\](){}|^$].*"), "a literal head: " + regex);
        return head.replace("\\.", ".");
    }

    private static String section(String doc, String marker) {
        int from = doc.indexOf("<!-- " + marker + ":begin -->");
        int to = doc.indexOf("<!-- " + marker + ":end -->");
        assertTrue(from >= 0 && to > from, "docs/production.md has the " + marker + " markers");
        return doc.substring(from, to);
    }

    private static Set<Acl> table(String doc) {
        Set<Acl> out = new HashSet<>();
        for (String line : section(doc, "kafka-acls").split("\n")) {
            if (!line.startsWith("| ") || line.startsWith("| component") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String name = cells[4].strip().replace("`", "");
            name = name.replace("<mesh>", MESH).replace("<input>", INPUT).replace("<group>", "meshlens-query-api");
            Set<String> ops = new TreeSet<>();
            for (String op : cells[5].split(",")) {
                ops.add(op.strip());
            }
            assertTrue(out.add(new Acl(cells[1].strip(), cells[2].strip(), cells[3].strip(), name, ops)), line);
        }
        return out;
    }

    private static final Map<String, String> PRINCIPALS = Map.of(
            "User:meshlens-collector-istio-east", "collector",
            "User:meshlens-redactor-istio-east", "redactor stage",
            "User:meshlens-query-api", "query API",
            "User:meshlens-correlator", "correlator");

    private static Set<Acl> commands(String doc) {
        Set<Acl> out = new HashSet<>();
        Pattern resource = Pattern.compile("--(topic|group|transactional-id) (\\S+)");
        for (String line : section(doc, "kafka-acls-commands").split("\n")) {
            if (!line.startsWith("$ACLS ")) {
                continue;
            }
            Matcher p = Pattern.compile("--allow-principal (\\S+)").matcher(line);
            Matcher r = resource.matcher(line);
            assertTrue(p.find() && r.find(), line);
            Set<String> ops = new TreeSet<>();
            Matcher o = Pattern.compile("--operation (\\S+)").matcher(line);
            while (o.find()) {
                ops.add(o.group(1));
            }
            String pattern = line.contains("--resource-pattern-type prefixed") ? "prefixed" : "literal";
            String component = PRINCIPALS.get(p.group(1));
            assertTrue(component != null, "a known principal: " + line);
            assertTrue(out.add(new Acl(component, r.group(1), pattern, r.group(2), ops)), line);
        }
        return out;
    }

    /** The ACLs of one Strimzi KafkaUser in the doc (patternType prefix|literal, transactionalId). */
    private static Set<Acl> strimziUser(String doc, String user) {
        int at = doc.indexOf("metadata: {name: " + user + ", labels: {strimzi.io/cluster: kafka}}");
        assertTrue(at >= 0, "a Strimzi KafkaUser " + user);
        int end = doc.indexOf("\n---", at);
        int fence = doc.indexOf("\n```", at);
        String block = doc.substring(at, end < 0 || fence < end ? fence : end);
        Matcher m = Pattern.compile(
                        "- resource: \\{type: (\\w+), name: (\\S+), patternType: (\\w+)}\\s*\\n\\s*operations: \\[([^]]*)]")
                .matcher(block);
        Set<Acl> out = new HashSet<>();
        while (m.find()) {
            String type = m.group(1).equals("transactionalId") ? "transactional-id" : m.group(1);
            String pattern = m.group(3).equals("prefix") ? "prefixed" : m.group(3);
            Set<String> ops = new TreeSet<>();
            for (String op : m.group(4).split(",")) {
                ops.add(op.strip());
            }
            out.add(new Acl("", type, pattern, m.group(2), ops));
        }
        return out;
    }

    private static Set<Acl> of(Set<Acl> acls, String... components) {
        Set<Acl> out = new HashSet<>();
        for (Acl a : acls) {
            if (Arrays.asList(components).contains(a.component())) {
                out.add(a.withoutComponent());
            }
        }
        return out;
    }

    private static String diff(Set<Acl> expected, Set<Acl> actual) {
        List<String> lines = new ArrayList<>();
        expected.stream().filter(a -> !actual.contains(a)).forEach(a -> lines.add("missing: " + a));
        actual.stream().filter(a -> !expected.contains(a)).forEach(a -> lines.add("not derived by the code: " + a));
        return String.join("\n", lines);
    }

    @Test
    void theTableNamesWhatTheCodeDerives() throws Exception {
        Set<Acl> code = fromCode();
        Set<Acl> doc = table(Files.readString(DOC));
        assertEquals(code, doc, diff(code, doc));
    }

    @Test
    void theKafkaAclsCommandsGrantTheTable() throws Exception {
        Set<Acl> code = fromCode();
        Set<Acl> cmds = commands(Files.readString(DOC));
        assertEquals(code, cmds, diff(code, cmds));
    }

    @Test
    void theStrimziUsersGrantTheTable() throws Exception {
        String doc = Files.readString(DOC);
        Set<Acl> code = fromCode();
        Set<Acl> queryApi = strimziUser(doc, "meshlens-query-api");
        Set<Acl> expected = of(code, "query API", "correlator"); // the correlator runs inside the query API
        assertEquals(expected, queryApi, diff(expected, queryApi));
        Set<Acl> collector = strimziUser(doc, "meshlens-collector-istio-east");
        assertEquals(of(code, "collector"), collector, diff(of(code, "collector"), collector));
    }

    @Test
    void aRenamedGroupRenamesEveryDerivedName() {
        // the table's <group> stands for kafka.group_id: every shared-side name must move with it
        QueryApiConfig q = QueryApiConfig.parse(
                "kafka: {bootstrap_servers: k:9092, group_id: other}\nelasticsearch: {urls: [http://e:9200]}\n");
        KafkaNames n = q.correlation().names();
        for (String name : List.of(
                n.group(),
                n.findingsGroup(),
                n.correlatorGroup(),
                n.correlatorTopicPrefix(),
                n.transactionalIdPrefix())) {
            assertTrue(name.startsWith("other"), name);
        }
    }
}
