package dev.meshlens.correlator;

/**
 * The time of one input lane of a task, or of the task before it heard from any lane ({@link LaneClocks}): its
 * stream time, moving on at wall-clock pace while the lane is quiet.
 *
 * <p>Stream time only moves when a record arrives on the task's partition, and real meshes have quiet
 * partitions: a single failure of a pair nobody calls again would wait forever for its window to close. So
 * the time goes on from the last stream time by the wall-clock time since it last moved; a busy partition
 * keeps it equal to its stream time. Relative, so the meshes' clocks (event time) and the correlator's (wall
 * time) never need to agree.
 */
final class ExpiryClock {
    private long streamMs = -1;
    private long movedAtWallMs = -1;

    /** Stream time as the task sees it now, at wall time {@code wallMs}. */
    void streamTime(long streamMs, long wallMs) {
        if (streamMs > this.streamMs) {
            this.streamMs = streamMs;
            this.movedAtWallMs = wallMs;
        } else if (movedAtWallMs < 0 && streamMs >= 0) {
            this.streamMs = streamMs; // a restored task: its stream time, from now on
            this.movedAtWallMs = wallMs;
        }
    }

    /** The expiry time at wall time {@code wallMs}; -1 while the task has seen no stream time. */
    long now(long wallMs) {
        return streamMs < 0 ? -1 : streamMs + Math.max(0, wallMs - movedAtWallMs);
    }
}
