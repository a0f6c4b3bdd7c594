package dev.meshlens.redactor.detect;

/**
 * One family of secret shapes. {@link Detectors} runs an ordered table of them after its pre-pass,
 * skipping a detector whose gate (feature bits of {@link Features}) the pre-pass did not see, so
 * a detector pays nothing on text that cannot hold its shape. Implementations are immutable and
 * allocate nothing unless they find something.
 */
interface Detector {
    /** Feature bits that must all be present for {@link #find} to run (0: none). */
    int requiresAll();

    /** Feature bits of which at least one must be present (0: no such condition). */
    default int requiresAny() {
        return 0;
    }

    /**
     * Adds the spans of this detector's shapes in {@code s} to {@code sp}. Detectors run in table
     * order and may skip text an earlier one already marked ({@link Spans#covers}).
     *
     * @param features the pre-pass's bits for {@code s}
     * @param sp the spans so far, null when none
     * @return {@code sp}, or a new instance on the first hit
     */
    Spans find(String s, int features, Spans sp);
}
