package dev.meshlens.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single entry point behind {@code ./meshlens}. Each subcommand lives in its own module and
 * exposes {@code public static int run(String[] args)}; this class only dispatches, so the
 * subcommands and their {@code --json} outputs stay owned (and tested) by their modules.
 */
public final class Main {

  /** A subcommand: the class that implements it and one line for the help text. */
  record Command(String className, String summary) {}

  static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("demo", new Command("dev.meshlens.launcher.demo.DemoCommand",
        "run everything locally: Kafka, Elasticsearch, two simulated meshes, collectors, query API"));
    COMMANDS.put("explain", new Command("dev.meshlens.collector.cli.ExplainCommand",
        "classify Envoy log lines offline: explain [--format PRESET|FORMAT] [--json] [FILE]"));
    COMMANDS.put("redact", new Command("dev.meshlens.redactor.cli.RedactCommand",
        "apply a redaction policy to event JSON lines: redact [--policy FILE] [--json] [FILE]"));
    COMMANDS.put("collector", new Command("dev.meshlens.collector.cli.CollectorCommand",
        "run a per-mesh collector: collector --config FILE"));
    COMMANDS.put("redactor", new Command("dev.meshlens.redactor.cli.RedactorStageCommand",
        "run the Kafka-to-Kafka redaction stage: redactor --config FILE"));
    COMMANDS.put("query-api", new Command("dev.meshlens.query.cli.QueryApiCommand",
        "run the query API: query-api --config FILE"));
    COMMANDS.put("correlator", new Command("dev.meshlens.correlator.CorrelatorCommand",
        "run the correlator on its own: correlator --config FILE [--check]"));
    COMMANDS.put("config-schema", new Command("dev.meshlens.launcher.config.ConfigSchemaCommand",
        "print a service's configuration JSON Schema: config-schema SERVICE | --write-docs"));
    COMMANDS.put("what-if", new Command("dev.meshlens.query.trust.WhatIfCommand",
        "which mesh pairs break if a mesh rotates/drops/imports a root or a root expires: what-if --help"));
    COMMANDS.put("local-stack", new Command("dev.meshlens.localstack.LocalStackCommand",
        "start only the local Kafka broker and Elasticsearch node and print their addresses"));
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
    ProcessHandle.of(Long.parseLong(parent.trim())).ifPresentOrElse(
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
    Command cmd = COMMANDS.get(args[0]);
    if (cmd == null) {
      System.err.println("meshlens: unknown command '" + args[0] + "'. Commands: " + String.join(", ", COMMANDS.keySet()));
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      Method m = Class.forName(cmd.className()).getMethod("run", String[].class);
      return (int) m.invoke(null, (Object) rest);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      System.err.println("meshlens: command '" + args[0] + "' is not available in this build (" + cmd.className()
          + " not found). Rebuild with ./meshlens build.");
      return 2;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      System.err.println("meshlens " + args[0] + ": " + cause);
      return 1;
    } catch (IllegalAccessException e) {
      System.err.println("meshlens: " + e);
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
