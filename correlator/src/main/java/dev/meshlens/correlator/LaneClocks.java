package dev.meshlens.correlator;

import java.util.HashMap;
import java.util.Map;

/**
 * The time against which a correlation task's unpaired halves expire: the slowest of its input lanes.
 *
 * <p>A lane is one input task of the routing step (partition <i>n</i> of every mesh topic), which emits its records in
 * event-time order. A correlation task hears from several lanes, and while a backlog is caught up they run at
 * different speeds: a lane with sparse partitions races minutes ahead of one with a hot partition. The task's stream
 * time follows the fastest lane, so halves from a slow lane would arrive "late" and expire one-sided while their
 * partners were still on the way. Each lane keeps its own {@link ExpiryClock} (its event time, going on at wall-clock
 * pace while it sends nothing, so an idle lane never holds the others back) and the task expires by the earliest.
 * Live, every lane is within a collector's latency of the wall clock, and this is the task's stream time as before.
 *
 * <p>Before any lane has been heard from (a task just assigned or restored) the task's own stream time serves.
 */
final class LaneClocks {
    private final ExpiryClock task = new ExpiryClock();
    private final Map<Integer, ExpiryClock> lanes = new HashMap<>();

    /** The task's stream time as it sees it now, at wall time {@code wallMs}. */
    void streamTime(long streamMs, long wallMs) {
        task.streamTime(streamMs, wallMs);
    }

    /**
     * A record of {@code lane} with event time {@code eventMs} arrived at wall time {@code wallMs}; true when it is the
     * first of its lane.
     */
    boolean heard(int lane, long eventMs, long wallMs) {
        ExpiryClock c = lanes.get(lane);
        boolean first = c == null;
        if (first) {
            c = new ExpiryClock();
            lanes.put(lane, c);
        }
        c.streamTime(eventMs, wallMs);
        return first;
    }

    /** The expiry time at wall time {@code wallMs}; -1 while the task has seen no time at all. */
    long now(long wallMs) {
        if (lanes.isEmpty()) {
            return task.now(wallMs);
        }
        long min = Long.MAX_VALUE;
        for (ExpiryClock c : lanes.values()) {
            min = Math.min(min, c.now(wallMs));
        }
        return min;
    }

    /** Lanes heard from (metrics, tests). */
    int lanes() {
        return lanes.size();
    }
}
