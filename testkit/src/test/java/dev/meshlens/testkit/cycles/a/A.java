package dev.meshlens.testkit.cycles.a;

/** Fixture of {@code PackageCyclesTest}: a uses b, b uses a (a cycle); c is used by a, uses nothing. */
public final class A {
    public dev.meshlens.testkit.cycles.b.B b() {
        return null;
    }

    public dev.meshlens.testkit.cycles.c.C c() {
        return null;
    }
}
