package dev.meshlens.launcher;

import dev.meshlens.collector.cli.CollectorCommand;
import dev.meshlens.collector.cli.ExplainCommand;
import dev.meshlens.correlator.CorrelatorCommand;
import dev.meshlens.launcher.config.ConfigSchemaCommand;
import dev.meshlens.launcher.demo.DemoCommand;
import dev.meshlens.localstack.LocalStackCommand;
import dev.meshlens.query.cli.QueryApiCommand;
import dev.meshlens.query.fix.FixCommand;
import dev.meshlens.query.trust.WhatIfCommand;
import dev.meshlens.redactor.cli.RedactCommand;
import dev.meshlens.redactor.cli.RedactorStageCommand;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The single entry point behind {@code ./meshlens}. Each subcommand lives in its own module and
 * exposes {@code public static int run(String[] args)}; this class only dispatches, by a direct call
 * through the table below, so the subcommands and their {@code --json} outputs stay owned (and tested)
 * by their modules and a missing one is a compile error, not a run-time surprise.
 */
public final class Main {

    /** A subcommand: its entry point (arguments after the command name → exit code) and one line for the help text. */
    record Command(ToIntFunction<String[]> run, String summary) {}

    /** The commands in the order {@code help} lists them. */
    static final Map<String, Command> COMMANDS = commands();

    private static Map<String, Command> commands() {
        Map<String, Command> c = new LinkedHashMap<>();
        c.put(
                "demo",
                new Command(
                        DemoCommand::run,
                        "run everything locally: Kafka, Elasticsearch, two simulated meshes, collectors, query API"));
        c.put(
                "explain",
                new Command(
                        ExplainCommand::run,
                        "classify Envoy log lines offline: explain [--format PRESET|FORMAT] [--json] [FILE]"));
        c.put(
                "redact",
                new Command(
                        RedactCommand::run,
                        "apply a redaction policy to event JSON lines: redact [--policy FILE] [--json] [FILE]"));
        c.put("collector", new Command(CollectorCommand::run, "run a per-mesh collector: collector --config FILE"));
        c.put(
                "redactor",
                new Command(
                        RedactorStageCommand::run, "run the Kafka-to-Kafka redaction stage: redactor --config FILE"));
        c.put("query-api", new Command(QueryApiCommand::run, "run the query API: query-api --config FILE"));
        c.put(
                "correlator",
                new Command(
                        CorrelatorCommand::run, "run the correlator on its own: correlator --config FILE [--check]"));
        c.put(
                "config-schema",
                new Command(
                        ConfigSchemaCommand::run,
                        "print a service's configuration JSON Schema: config-schema SERVICE | --write-docs"));
        c.put(
                "what-if",
                new Command(
                        WhatIfCommand::run,
                        "which mesh pairs break if a mesh rotates/drops/imports a root or a root expires: what-if --help"));
        c.put(
                "fix",
                new Command(
                        FixCommand::run,
                        "a finding's fix as ready-to-apply configuration: fix ID [--api URL] [--token T] [--json]"));
        c.put(
                "local-stack",
                new Command(
                        LocalStackCommand::run,
                        "start only the local Kafka broker and Elasticsearch node and print their addresses"));
        return Collections.unmodifiableMap(c);
    }

    private Main() {}

    public static void main(String[] args) {
        exitWithParent();
        System.exit(run(args));
    }

    /**
     * When started as a child of {@code ./meshlens demo} (which passes {@code meshlens.parent.pid}),
     * exit when the parent is gone, so a killed demo never leaves collectors or the query API behind.
     */
    static void exitWithParent() {
        String parent = System.getProperty("meshlens.parent.pid");
        if (parent == null || parent.isBlank()) {
            return;
        }
        ProcessHandle.of(Long.parseLong(parent.trim()))
                .ifPresentOrElse(
                        handle -> handle.onExit().thenRun(() -> {
                            System.err.println("meshlens: parent process " + parent + " is gone; stopping");
                            System.exit(0);
                        }),
                        () -> System.exit(0));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            printHelp();
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("version") || args[0].equals("--version")) {
            String v = Main.class.getPackage().getImplementationVersion();
            System.out.println("meshlens " + (v == null ? "dev" : v));
            return 0;
        }
        return dispatch(COMMANDS, args);
    }

    /** Runs {@code args[0]} from {@code commands} with the remaining arguments; its exit code, 2 when unknown. */
    static int dispatch(Map<String, Command> commands, String[] args) {
        Command cmd = commands.get(args[0]);
        if (cmd == null) {
            System.err.println(
                    "meshlens: unknown command '" + args[0] + "'. Commands: " + String.join(", ", commands.keySet()));
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (!LogSetup.apply(args[0], System.getenv(), System.err)) {
            return 2;
        }
        try {
            return cmd.run().applyAsInt(rest);
        } catch (RuntimeException e) {
            // a command reports its own errors; one that escapes is a bug, shown in one line with exit code 1
            System.err.println("meshlens " + args[0] + ": " + e);
            return 1;
        }
    }

    private static void printHelp() {
        System.out.println("usage: meshlens <command> [options]\n");
        COMMANDS.forEach((name, c) -> System.out.printf("  %-12s %s%n", name, c.summary()));
        System.out.printf("  %-12s %s%n", "build", "compile and package every module (script only)");
        System.out.printf("  %-12s %s%n", "test", "build and run the whole test suite (script only)");
    }
}
