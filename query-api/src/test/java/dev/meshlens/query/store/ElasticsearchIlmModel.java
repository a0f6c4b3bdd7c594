package dev.meshlens.query.store;

import dev.meshlens.localstack.layout.NodeLayout;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Elasticsearch's own ILM model code (x-pack-core's policy parser and validation, the origination-date parser of
 * index names, the lifecycle settings), at the version of the suite's node, taken from the node's jars in a class
 * loader of its own (so none of it reaches the query API's test classpath). The service that runs policies is not
 * published (x-pack-ilm), so the suite cannot run ILM; this is what checks meshlens's half of the contract with the
 * code a real cluster runs: the policy it sends, the index names and the template settings.
 *
 * <p>Reflection only because the classes must stay in their own loader; every call is a public Elasticsearch API.
 * The log4j of these jars finds the services' logging configuration through the JVM's class path and says once that
 * it lacks its JSON layout: harmless, it logs nothing here.
 */
final class ElasticsearchIlmModel implements AutoCloseable {
    /** What Elasticsearch parsed from a policy: per phase, its min_age in milliseconds and its action names. */
    record ParsedPhase(long minAgeMillis, Set<String> actions) {}

    private static final String ILM = "org.elasticsearch.xpack.core.ilm.";

    private final URLClassLoader loader;

    private ElasticsearchIlmModel(URLClassLoader loader) {
        this.loader = loader;
    }

    /** The server jars and x-pack-core of the suite's 9.x node layout. */
    static ElasticsearchIlmModel load() throws IOException {
        Path home = NodeLayout.home(NodeLayout.Kind.ES_9);
        List<URL> urls = new ArrayList<>();
        for (Path dir : List.of(home.resolve("lib"), home.resolve("modules").resolve("x-pack-core"))) {
            try (Stream<Path> jars = Files.list(dir)) {
                for (Path jar :
                        jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
        }
        URLClassLoader loader = new URLClassLoader(
                "elasticsearch-ilm-model", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        return new ElasticsearchIlmModel(loader);
    }

    /**
     * The policy body of {@code PUT _ilm/policy/NAME} parsed and validated as Elasticsearch does ({@code
     * LifecyclePolicy.parse}, which checks phases and actions against the timeseries lifecycle type): phase name →
     * what it holds. Throws what Elasticsearch throws for a policy it would refuse.
     */
    Map<String, ParsedPhase> parsePolicy(String name, String policyObject) throws Exception {
        Object registry = registry();
        Class<?> xContentType = cls("org.elasticsearch.xcontent.XContentType");
        Object json = xContentType.getField("JSON").get(null);
        Object xContent = xContentType.getMethod("xContent").invoke(json);
        Class<?> config = cls("org.elasticsearch.xcontent.XContentParserConfiguration");
        Object withRegistry = config.getMethod("withRegistry", cls("org.elasticsearch.xcontent.NamedXContentRegistry"))
                .invoke(config.getField("EMPTY").get(null), registry);
        Object parser = cls("org.elasticsearch.xcontent.XContent")
                .getMethod("createParser", config, String.class)
                .invoke(xContent, withRegistry, policyObject);
        Class<?> policyClass = cls(ILM + "LifecyclePolicy");
        Object policy = call(
                policyClass.getMethod("parse", cls("org.elasticsearch.xcontent.XContentParser"), String.class),
                null,
                parser,
                name);
        call(policyClass.getMethod("validate"), policy);
        Map<?, ?> phases = (Map<?, ?>) policyClass.getMethod("getPhases").invoke(policy);
        Class<?> phaseClass = cls(ILM + "Phase");
        Class<?> timeValue = cls("org.elasticsearch.core.TimeValue");
        Map<String, ParsedPhase> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : phases.entrySet()) {
            Object minAge = phaseClass.getMethod("getMinimumAge").invoke(e.getValue());
            Map<?, ?> actions = (Map<?, ?>) phaseClass.getMethod("getActions").invoke(e.getValue());
            Set<String> actionNames = new TreeSet<>();
            actions.keySet().forEach(k -> actionNames.add((String) k));
            out.put(
                    (String) e.getKey(),
                    new ParsedPhase((long) timeValue.getMethod("millis").invoke(minAge), actionNames));
        }
        return out;
    }

    /**
     * The origination date ILM takes from an index name when {@code index.lifecycle.parse_origination_date} is on
     * (epoch millis); Elasticsearch refuses to create such an index whose name it cannot parse: this throws its
     * {@link IllegalArgumentException} then.
     */
    long originationDate(String indexName) throws Exception {
        return (long) call(
                cls(ILM + "IndexLifecycleOriginationDateParser")
                        .getMethod("parseIndexNameAndExtractDate", String.class),
                null,
                indexName);
    }

    /** Index settings (a template's {@code settings} object) as Elasticsearch reads them. */
    Object settings(String settingsJson) throws Exception {
        Class<?> settings = cls("org.elasticsearch.common.settings.Settings");
        Object builder = settings.getMethod("builder").invoke(null);
        Class<?> xContentType = cls("org.elasticsearch.xcontent.XContentType");
        Class<?> builderClass = cls("org.elasticsearch.common.settings.Settings$Builder");
        builderClass
                .getMethod("loadFromSource", String.class, xContentType)
                .invoke(builder, settingsJson, xContentType.getField("JSON").get(null));
        return builderClass.getMethod("build").invoke(builder);
    }

    /** The ILM policy these index settings put an index under ({@code LifecycleSettings.LIFECYCLE_NAME_SETTING}). */
    String lifecycleName(Object settings) throws Exception {
        Object setting = cls(ILM + "LifecycleSettings")
                .getField("LIFECYCLE_NAME_SETTING")
                .get(null);
        return (String) cls("org.elasticsearch.common.settings.Setting")
                .getMethod("get", cls("org.elasticsearch.common.settings.Settings"))
                .invoke(setting, settings);
    }

    /** Whether ILM would take these indices' age from their names ({@code shouldParseIndexName}). */
    boolean parsesOriginationFromName(Object settings) throws Exception {
        return (boolean) cls(ILM + "IndexLifecycleOriginationDateParser")
                .getMethod("shouldParseIndexName", cls("org.elasticsearch.common.settings.Settings"))
                .invoke(null, settings);
    }

    /** A string constant of {@code LifecycleSettings} (setting keys). */
    String lifecycleSettingKey(String constant) throws Exception {
        return (String) cls(ILM + "LifecycleSettings").getField(constant).get(null);
    }

    /** The named objects a policy needs: the timeseries lifecycle type and the delete action, as ILM registers them. */
    private Object registry() throws Exception {
        Class<?> entry = cls("org.elasticsearch.xcontent.NamedXContentRegistry$Entry");
        Class<?> parseField = cls("org.elasticsearch.xcontent.ParseField");
        Class<?> checkedFunction = cls("org.elasticsearch.core.CheckedFunction");
        Class<?> xParser = cls("org.elasticsearch.xcontent.XContentParser");
        Object timeseries =
                cls(ILM + "TimeseriesLifecycleType").getField("INSTANCE").get(null);
        Method deleteParse = cls(ILM + "DeleteAction").getMethod("parse", xParser);
        Object typeParser = Proxy.newProxyInstance(loader, new Class<?>[] {checkedFunction}, (p, m, a) -> {
            if (!m.getName().equals("apply")) {
                return m.invoke(this, a);
            }
            return timeseries;
        });
        Object deleteParser = Proxy.newProxyInstance(loader, new Class<?>[] {checkedFunction}, (p, m, a) -> {
            if (!m.getName().equals("apply")) {
                return m.invoke(this, a);
            }
            return call(deleteParse, null, a[0]);
        });
        var ctor = entry.getConstructor(Class.class, parseField, checkedFunction);
        List<Object> entries = List.of(
                ctor.newInstance(cls(ILM + "LifecycleType"), field(parseField, "timeseries"), typeParser),
                ctor.newInstance(cls(ILM + "LifecycleAction"), field(parseField, "delete"), deleteParser));
        return cls("org.elasticsearch.xcontent.NamedXContentRegistry")
                .getConstructor(List.class)
                .newInstance(entries);
    }

    private static Object field(Class<?> parseField, String name) throws Exception {
        return parseField.getConstructor(String.class, String[].class).newInstance(name, new String[0]);
    }

    private Class<?> cls(String name) throws ClassNotFoundException {
        return Class.forName(name, true, loader);
    }

    /** Invokes, rethrowing what Elasticsearch threw (not the reflection wrapper). */
    private static Object call(Method m, Object target, Object... args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
