package dev.meshlens.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code mesh-simulator --out DIR [--seed N] [--rate R] [--skew-ms MS] [--no-listener-logs]
 * [--fault FAULT:CLIENT->SERVER]... [--duration SECONDS]}: runs two simulated meshes writing
 * Envoy access logs into DIR and serving Envoy admin endpoints (listed in DIR/endpoints.json).
 * Without --duration it runs until interrupted.
 */
public final class MeshSimulatorCommand {
    private MeshSimulatorCommand() {}

    public static int run(String[] args) {
        Path out = null;
        long seed = 1;
        double rate = 2;
        long skewMs = 0;
        boolean listenerLogs = true;
        long duration = -1;
        List<String[]> faults = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> out = Path.of(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--rate" -> rate = Double.parseDouble(args[++i]);
                    case "--skew-ms" -> skewMs = Long.parseLong(args[++i]);
                    case "--no-listener-logs" -> listenerLogs = false;
                    case "--duration" -> duration = Long.parseLong(args[++i]);
                    case "--fault" -> {
                        String f = args[++i];
                        int colon = f.indexOf(':');
                        int arrow = f.indexOf("->");
                        if (colon < 0 || arrow < colon) {
                            throw new IllegalArgumentException("--fault wants FAULT:CLIENT->SERVER, e.g. "
                                    + "CLIENT_DISTRUSTS_SERVER_ROOT:backend->info; got '" + f + "'");
                        }
                        Fault.valueOf(f.substring(0, colon));
                        faults.add(new String[] {
                            f.substring(0, colon), f.substring(colon + 1, arrow), f.substring(arrow + 2)
                        });
                    }
                    case "--help", "-h" -> {
                        System.out.println(
                                "usage: mesh-simulator --out DIR [--seed N] [--rate REQ_PER_S_PER_EDGE] [--skew-ms MS]"
                                        + " [--no-listener-logs] [--fault FAULT:CLIENT->SERVER]... [--duration SECONDS]\nfaults: "
                                        + Arrays.toString(Fault.values()));
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("missing --out DIR");
            }
        } catch (RuntimeException e) {
            System.err.println("mesh-simulator: " + e.getMessage());
            return 2;
        }
        try (LiveSimulator sim = new LiveSimulator(out, seed, rate, Duration.ofMillis(skewMs), listenerLogs)) {
            sim.start();
            for (String[] f : faults) {
                sim.inject(Fault.valueOf(f[0]), f[1], f[2]);
            }
            System.out.println("mesh-simulator: writing to " + out + "; endpoints in " + sim.endpointsFile());
            if (duration < 0) {
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
}
