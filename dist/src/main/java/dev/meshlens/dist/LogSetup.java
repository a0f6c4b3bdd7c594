package dev.meshlens.dist;

import dev.meshlens.telemetry.log.LogFormat;
import dev.meshlens.telemetry.log.Logging;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * The log format of the process a command runs in: the long-running services (collector, redactor stage,
 * query API, correlator) log as {@code MESHLENS_LOG_FORMAT} says (text unless json is asked for; the Helm
 * chart asks for json); every other command ({@code demo}, {@code explain}, {@code fix}, {@code config-schema},
 * ...) prints for a person and logs plain text whatever the environment says.
 */
public final class LogSetup {
    /** The commands that run as services under a process supervisor (their logs go to a log pipeline). */
    public static final Set<String> SERVICES = Set.of("collector", "redactor", "query-api", "correlator");

    private LogSetup() {}

    /** The format for {@code command}; throws naming the variable when its value is neither json nor text. */
    public static LogFormat formatFor(String command, Map<String, String> env) {
        return SERVICES.contains(command) ? LogFormat.configured(env) : LogFormat.TEXT;
    }

    /** Switches logging for {@code command}; false (after saying why on {@code err}) when the format is invalid. */
    public static boolean apply(String command, Map<String, String> env, PrintStream err) {
        LogFormat format;
        try {
            format = formatFor(command, env);
        } catch (IllegalArgumentException e) {
            err.println("meshlens " + command + ": " + e.getMessage());
            return false;
        }
        Logging.use(format);
        return true;
    }

    /**
     * Runs the chosen subcommand after switching logging to its format (2 when the format is invalid): the one way
     * both entry points (the image's and {@code ./meshlens}) start a command.
     */
    public static CommandLine applied(CommandLine cl) {
        return cl.setExecutionStrategy(parsed -> {
            CommandLine.ParseResult sub = parsed.subcommand();
            if (sub != null && !apply(sub.commandSpec().name(), System.getenv(), System.err)) {
                return 2;
            }
            return new CommandLine.RunLast().execute(parsed);
        });
    }
}
