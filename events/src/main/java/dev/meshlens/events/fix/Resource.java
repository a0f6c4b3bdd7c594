package dev.meshlens.events.fix;

import java.util.Objects;

/**
 * One ready-to-apply piece of configuration: a Kubernetes resource, a Consul config entry, a mesh
 * configuration fragment, a public root certificate, or a command.
 *
 * @param kind what it is ({@code DestinationRule}, {@code service-defaults}, {@code MeshConfig}, ...)
 * @param apiVersion the Kubernetes apiVersion, or null for what is not a Kubernetes object
 * @param name the resource's name (a Consul entry's {@code Name}, a file name for PEM)
 * @param namespace Kubernetes namespace, or null
 * @param format how {@link #text} is written: {@link #YAML}, {@link #HCL}-free JSON ({@link #JSON}),
 *     {@link #PEM} or {@link #SHELL}
 * @param text exactly what to apply or copy
 * @param applyWith the command that applies it (e.g. {@code kubectl apply -f -})
 */
public record Resource(
        String kind, String apiVersion, String name, String namespace, String format, String text, String applyWith) {
    public static final String YAML = "yaml";
    public static final String JSON = "json";
    public static final String PEM = "pem";
    public static final String SHELL = "shell";
    /** Not a format: HCL is never generated (JSON is accepted wherever Consul takes HCL). */
    static final String HCL = "hcl";

    public Resource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(text, "text");
    }
}
