package dev.meshlens.telemetry.log;

import java.util.Objects;
import java.util.logging.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.jul.Log4jBridgeHandler;

/**
 * Switches the process's logging to a format. Works with Log4j as the backend (the services' runtime);
 * with another slf4j binding (module tests) it only records the choice. Also routes
 * {@code java.util.logging} (the JDK, OpenTelemetry's exporters) into the same appender, so every line of
 * a process has one format.
 */
public final class Logging {
    private static final boolean LOG4J = present("org.apache.logging.log4j.core.LoggerContext");
    private static final boolean JUL_BRIDGE = present("org.apache.logging.log4j.jul.Log4jBridgeHandler");

    private Logging() {}

    /** Uses {@code format} from now on for every logger of the process. */
    public static synchronized void use(LogFormat format) {
        Objects.requireNonNull(format, "format");
        System.setProperty(LogFormat.PROPERTY, format.wire());
        if (LOG4J) {
            Log4j.reconfigure();
        }
        if (JUL_BRIDGE && LOG4J) {
            Jul.bridge();
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Logging.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Kept apart so that Log4j classes load only when Log4j is there. */
    private static final class Log4j {
        static void reconfigure() {
            if (org.apache.logging.log4j.LogManager.getContext(false) instanceof LoggerContext ctx) {
                ctx.reconfigure(); // re-reads the configuration, whose appender reference names the format
            }
        }
    }

    private static final class Jul {
        static void bridge() {
            // replaces the JUL root handlers (console text) by one that hands records to Log4j
            LogManager.getLogManager().reset();
            Log4jBridgeHandler.install(true, null, true);
        }
    }
}
