package dev.meshlens.launcher.config;

import dev.meshlens.config.JsonSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./meshlens config-schema SERVICE} prints the JSON Schema of a service's configuration;
 * {@code ./meshlens config-schema --write-docs} regenerates the key tables in docs/ and the schemas in
 * docs/schemas/ from the services' tables.
 */
public final class ConfigSchemaCommand {
    private ConfigSchemaCommand() {}

    public static int run(String[] args) {
        String usage = "usage: config-schema SERVICE | --write-docs\n  SERVICE: one of "
                + String.join(", ", ConfigReference.names()) + "\n";
        if (args.length != 1 || args[0].equals("-h") || args[0].equals("--help")) {
            (args.length == 1 ? System.out : System.err).print(usage);
            return args.length == 1 ? 0 : 2;
        }
        if (args[0].equals("--write-docs")) {
            Path root = Path.of(System.getProperty("meshlens.home", "."));
            try {
                List<String> changed = ConfigReference.regenerate(root, true);
                System.out.println(
                        changed.isEmpty()
                                ? "config-schema: the generated reference is up to date"
                                : "config-schema: rewrote " + String.join(", ", changed));
                return 0;
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("config-schema: " + e.getMessage());
                return 1;
            }
        }
        ConfigReference.Service s = ConfigReference.service(args[0]);
        if (s == null) {
            System.err.print("config-schema: unknown service '" + args[0] + "'\n" + usage);
            return 2;
        }
        System.out.print(JsonSchema.of(s.def()));
        return 0;
    }
}
