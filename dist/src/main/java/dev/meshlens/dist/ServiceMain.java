package dev.meshlens.dist;

import dev.meshlens.collector.cli.CollectorCommand;
import dev.meshlens.collector.cli.ExplainCommand;
import dev.meshlens.correlator.CorrelatorCommand;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.fix.FixCommand;
import dev.meshlens.query.trust.WhatIfCommand;
import dev.meshlens.redactor.cli.RedactCommand;
import dev.meshlens.redactor.cli.RedactorStageCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToIntFunction;

/**
 * The container image's entry point ({@code deploy/images/entrypoint.sh}): the services the Helm chart runs and the
 * operator commands of their modules, dispatched by the first argument as {@code ./meshlens} does. No demo, no local
 * stack: the image carries only what its components run (this module's runtime classpath, ImageClasspathTest).
 */
public final class ServiceMain {
    private ServiceMain() {}

    /** The commands the image answers, in help order. */
    static final Map<String, ToIntFunction<String[]>> COMMANDS = commands();

    private static Map<String, ToIntFunction<String[]>> commands() {
        Map<String, ToIntFunction<String[]>> c = new LinkedHashMap<>();
        c.put("collector", CollectorCommand::run);
        c.put("redactor", RedactorStageCommand::run);
        c.put("query-api", QueryApiCommand::run);
        c.put("correlator", CorrelatorCommand::run);
        c.put("explain", ExplainCommand::run);
        c.put("redact", RedactCommand::run);
        c.put("what-if", WhatIfCommand::run);
        c.put("fix", FixCommand::run);
        return Collections.unmodifiableMap(c);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println("usage: meshlens <" + String.join("|", COMMANDS.keySet()) + "|version> [args...]");
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("version") || args[0].equals("--version")) {
            System.out.println("meshlens " + version());
            return 0;
        }
        ToIntFunction<String[]> command = COMMANDS.get(args[0]);
        if (command == null) {
            System.err.println("meshlens: unknown command '" + args[0] + "' (this image runs: "
                    + String.join(", ", COMMANDS.keySet()) + ", version)");
            return 2;
        }
        return command.applyAsInt(Arrays.copyOfRange(args, 1, args.length));
    }

    /** The build's version, from a resource Maven filters (the image has classes, not a jar manifest). */
    static String version() {
        try (InputStream in = ServiceMain.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
