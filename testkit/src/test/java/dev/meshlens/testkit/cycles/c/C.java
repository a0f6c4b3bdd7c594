package dev.meshlens.testkit.cycles.c;

/**
 * Fixture of {@code PackageCyclesTest}: names {@code dev.meshlens.testkit.cycles.a.A} only in this comment,
 * which is no dependency.
 */
public final class C {}
