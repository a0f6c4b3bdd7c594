package dev.meshlens.testkit.cycles.b;

import dev.meshlens.testkit.cycles.a.A;

/** Fixture of {@code PackageCyclesTest}: closes the cycle a → b → a. */
public final class B {
    public A a() {
        return null;
    }
}
