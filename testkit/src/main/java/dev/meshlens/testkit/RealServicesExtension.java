package dev.meshlens.testkit;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** JUnit 5 side of {@link RequiresRealServices}. Can also be used with {@code @ExtendWith} directly. */
public final class RealServicesExtension implements BeforeAllCallback, ParameterResolver {
    @Override
    public void beforeAll(ExtensionContext context) {
        RequiresRealServices req = context.getTestClass()
                .flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresRealServices.class))
                .orElse(null);
        boolean kafka = req == null || req.kafka();
        boolean es = req == null || req.elasticsearch();
        RealServices.startConcurrently(kafka, es);
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == KafkaService.class || t == ElasticsearchService.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
        Class<?> t = pc.getParameter().getType();
        return t == KafkaService.class ? RealServices.kafka() : RealServices.elasticsearch();
    }
}
