package dev.meshlens.meters;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The JVM and process meters every meshlens service exposes (what people expect next to a service's
 * own: heap, GC pauses, threads, CPU, open files, uptime). The one list of them: dashboards and
 * {@code dashboards/metric-names.txt} name these families.
 */
public final class ServiceMeters implements AutoCloseable {
    private final List<AutoCloseable> closeables;

    private ServiceMeters(List<AutoCloseable> closeables) {
        this.closeables = closeables;
    }

    /** Binds the JVM and process binders to {@code registry}; close to stop the GC listener. */
    public static ServiceMeters bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        JvmGcMetrics gc = new JvmGcMetrics();
        List<MeterBinder> binders = List.of(
                new JvmInfoMetrics(),
                new JvmMemoryMetrics(),
                gc,
                new JvmThreadMetrics(),
                new ClassLoaderMetrics(),
                new ProcessorMetrics(),
                new UptimeMetrics(),
                new FileDescriptorMetrics());
        for (MeterBinder b : binders) {
            b.bindTo(registry);
        }
        List<AutoCloseable> closeables = new ArrayList<>();
        closeables.add(gc);
        return new ServiceMeters(closeables);
    }

    @Override
    public void close() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // closing a listener cannot fail in a way the caller could act on
            }
        }
    }
}
