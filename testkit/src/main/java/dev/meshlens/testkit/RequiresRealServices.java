package dev.meshlens.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs real services. Before the class runs, the ones it asks for are
 * started (concurrently, once per JVM, see {@link RealServices}); test and lifecycle methods can
 * then take {@link KafkaService} and {@link ElasticsearchService} parameters. Tagged
 * {@code real-services}.
 *
 * <pre>{@code
 * @RequiresRealServices
 * class IndexerIT {
 *     @Test
 *     void indexes(KafkaService kafka, ElasticsearchService es) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RealServicesExtension.class)
@Tag("real-services")
public @interface RequiresRealServices {
    /** Start Kafka before the class. */
    boolean kafka() default true;

    /** Start Elasticsearch before the class. */
    boolean elasticsearch() default true;
}
