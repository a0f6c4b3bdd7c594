package dev.meshlens.config;

import java.io.PrintStream;

/**
 * The arguments every service command shares: {@code --config FILE} (or {@code --config=FILE}, {@code -c FILE}),
 * {@code --check}, {@code --help}. {@link #exit} is set when the command should stop at once with that code
 * (help printed, or a usage error reported on {@code err}).
 *
 * @param config the configuration file, or null
 * @param check validate, print the resolved configuration and exit
 * @param exit the exit code to return now, or null to go on
 */
public record ConfigArgs(String config, boolean check, Integer exit) {
    public static ConfigArgs parse(String command, String usage, String[] args, PrintStream out, PrintStream err) {
        String config = null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        err.println(command + ": --config needs a file");
                        return new ConfigArgs(null, false, 2);
                    }
                    config = args[++i];
                }
                case "--check" -> check = true;
                case "-h", "--help" -> {
                    out.print(usage);
                    return new ConfigArgs(null, false, 0);
                }
                default -> {
                    if (args[i].startsWith("--config=")) {
                        config = args[i].substring("--config=".length());
                    } else {
                        err.println(command + ": unknown argument " + args[i]);
                        err.print(usage);
                        return new ConfigArgs(null, false, 2);
                    }
                }
            }
        }
        if (config == null) {
            err.println(command + ": --config FILE is required");
            err.print(usage);
            return new ConfigArgs(null, false, 2);
        }
        return new ConfigArgs(config, check, null);
    }
}
