package dev.meshlens.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The build's version, as every command's {@code --version} prints it: Maven writes {@code project.version} into
 * a resource at build time, so it is right whether the classes run from {@code target/classes} (./meshlens) or
 * from a jar.
 */
public final class MeshlensVersion implements IVersionProvider {
    static final String RESOURCE = "version.properties";

    /** The version, or "dev" when the classes were built without Maven's resource filtering (an IDE). */
    public static String get() {
        Properties p = new Properties();
        try (InputStream in = MeshlensVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String v = p.getProperty("version", "");
        return v.isBlank() || v.startsWith("${") ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"meshlens " + get()};
    }
}
