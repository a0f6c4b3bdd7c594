package dev.meshlens.simulator;

import dev.meshlens.cli.Cli;
import dev.meshlens.cli.MeshlensVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code mesh-simulator --out DIR [--seed N] [--rate R] [--skew-ms MS] [--no-listener-logs]
 * [--fault FAULT:CLIENT->SERVER]... [--duration SECONDS]}: runs two simulated meshes writing
 * Envoy access logs into DIR and serving Envoy admin endpoints (listed in DIR/endpoints.json).
 * Without --duration it runs until interrupted. Not a ./meshlens command (the demo runs the simulator itself);
 * run it with {@code java -cp ... dev.meshlens.simulator.MeshSimulatorCommand}.
 */
@Command(
        name = "mesh-simulator",
        mixinStandardHelpOptions = true,
        versionProvider = MeshlensVersion.class,
        description = "run two simulated meshes writing Envoy logs into DIR and serving Envoy admin endpoints")
public final class MeshSimulatorCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the meshes write their logs")
    private Path out;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "seed of identities and traffic (default ${DEFAULT-VALUE})")
    private long seed = 1;

    @Option(names = "--rate", paramLabel = "REQ_PER_S_PER_EDGE", description = "default ${DEFAULT-VALUE}")
    private double rate = 2;

    @Option(names = "--skew-ms", paramLabel = "MS", description = "clock skew between the meshes (default 0)")
    private long skewMs;

    @Option(names = "--no-listener-logs", description = "do not write the listener logs")
    private boolean noListenerLogs;

    @Option(
            names = "--fault",
            paramLabel = "FAULT:CLIENT->SERVER",
            converter = FaultOnEdge.Converter.class,
            description = "inject a fault on an edge, e.g. CLIENT_DISTRUSTS_SERVER_ROOT:backend->info; faults: "
                    + "${COMPLETION-CANDIDATES}",
            completionCandidates = FaultOnEdge.Names.class)
    private List<FaultOnEdge> faults = new ArrayList<>();

    @Option(
            names = "--duration",
            paramLabel = "SECONDS",
            description = "stop after this long (default: when interrupted)")
    private Long duration;

    /** For running without the launcher. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String[] args) {
        return Cli.run(new MeshSimulatorCommand(), args, System.out, System.err);
    }

    @Override
    public Integer call() {
        try (LiveSimulator sim = new LiveSimulator(out, seed, rate, Duration.ofMillis(skewMs), !noListenerLogs)) {
            sim.start();
            for (FaultOnEdge f : faults) {
                sim.inject(f.fault(), f.client(), f.server());
            }
            System.out.println("mesh-simulator: writing to " + out + "; endpoints in " + sim.endpointsFile());
            if (duration == null) {
                Thread.currentThread().join();
            } else {
                Thread.sleep(duration * 1000);
            }
            System.out.println("mesh-simulator: " + sim.linesWritten() + " lines written");
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** {@code FAULT:CLIENT->SERVER}. */
    record FaultOnEdge(Fault fault, String client, String server) {
        static final class Converter implements ITypeConverter<FaultOnEdge> {
            @Override
            public FaultOnEdge convert(String f) {
                int colon = f.indexOf(':');
                int arrow = f.indexOf("->");
                if (colon < 0 || arrow < colon) {
                    throw new TypeConversionException("expected FAULT:CLIENT->SERVER, e.g. "
                            + "CLIENT_DISTRUSTS_SERVER_ROOT:backend->info; got '" + f + "'");
                }
                try {
                    return new FaultOnEdge(
                            Fault.valueOf(f.substring(0, colon)),
                            f.substring(colon + 1, arrow),
                            f.substring(arrow + 2));
                } catch (IllegalArgumentException e) {
                    throw new TypeConversionException("unknown fault '" + f.substring(0, colon) + "'");
                }
            }
        }

        static final class Names implements Iterable<String> {
            @Override
            public Iterator<String> iterator() {
                return Arrays.stream(Fault.values()).map(Fault::name).iterator();
            }
        }
    }
}
