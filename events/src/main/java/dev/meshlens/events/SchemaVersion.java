package dev.meshlens.events;

/**
 * The wire schema version of events and findings. Readers accept every version up to
 * {@link #CURRENT}; additive changes (new optional fields) keep the version, removals or
 * meaning changes raise it.
 */
public final class SchemaVersion {
    public static final int CURRENT = 1;

    private SchemaVersion() {}
}
