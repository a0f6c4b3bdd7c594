package dev.meshlens.cli;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * How every meshlens command reads its arguments: picocli annotations on the command, run through here so that
 * each one answers {@code --help} and {@code --version}, and a usage error (a missing option value, an unknown
 * option, a value of the wrong kind) is one line naming the option, the synopsis and exit code 2, never an
 * exception. Usage errors a command finds itself (two options that exclude each other, say) are thrown as
 * {@link ParameterException} from its {@code call()} and end the same way.
 */
public final class Cli {
    /** The exit code of a usage error (picocli's {@code exitCodeOnInvalidInput}). */
    public static final int USAGE = 2;

    /** Help is wrapped at the width this code base is written to; options of up to 30 characters get one line. */
    static final int HELP_WIDTH = 120;

    static final int HELP_OPTION_WIDTH = 30;

    private Cli() {}

    /** Parses {@code args} into {@code command} (a picocli {@code @Command}), runs it and returns its exit code. */
    public static int run(Object command, String[] args, PrintStream out, PrintStream err) {
        return configure(new CommandLine(command), out, err).execute(args);
    }

    /**
     * Sets the streams and the error style on {@code cl} and on every subcommand it has now (picocli copies these
     * settings down only to subcommands already added, so call this after adding them).
     */
    public static CommandLine configure(CommandLine cl, PrintStream out, PrintStream err) {
        cl.setOut(writer(out));
        cl.setErr(writer(err));
        // plain text: what the CLI prints is read in terminals, logs and pipes alike (no ANSI escape codes)
        cl.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpLongOptionsMaxWidth(HELP_OPTION_WIDTH);
        // an argument starting with '@' is a value (a file name, a PEM reference), not a file of more arguments
        cl.setExpandAtFiles(false);
        cl.setParameterExceptionHandler(Cli::usageError);
        cl.setExecutionExceptionHandler(Cli::failure);
        return cl;
    }

    private static PrintWriter writer(PrintStream s) {
        return new PrintWriter(new OutputStreamWriter(s, s.charset()), true);
    }

    /** A usage error: what is wrong (naming the option or argument), the synopsis, where the help is; exit 2. */
    static int usageError(ParameterException thrown, String[] args) {
        CommandLine cl = thrown.getCommandLine();
        // picocli checks required options before it reports arguments it did not understand; the unknown option is
        // the mistake to name (`collector --confg x` lacks --config only because --confg was misspelled)
        ParameterException ex = thrown instanceof MissingParameterException
                        && !cl.getUnmatchedArguments().isEmpty()
                ? new UnmatchedArgumentException(cl, cl.getUnmatchedArguments())
                : thrown;
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        err.println(name + ": " + message(ex, cl));
        UnmatchedArgumentException.printSuggestions(ex, err);
        err.print(cl.getHelp().fullSynopsis());
        err.println("Try '" + name + " --help' for more information.");
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** picocli's message, except for a command word nobody knows, which people call a command, not an argument. */
    private static String message(ParameterException ex, CommandLine cl) {
        if (ex instanceof UnmatchedArgumentException u && !cl.getSubcommands().isEmpty()) {
            List<String> unmatched = u.getUnmatched();
            if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
                return "unknown command '" + unmatched.get(0) + "'. Commands: "
                        + String.join(", ", cl.getSubcommands().keySet());
            }
        }
        return ex.getMessage();
    }

    /** An exception that escaped a command is a bug: one line naming the command and the exception, exit 1. */
    static int failure(Exception ex, CommandLine cl, ParseResult parsed) {
        cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + ex);
        cl.getErr().flush();
        return 1;
    }
}
