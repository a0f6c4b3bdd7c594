package dev.meshlens.correlator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The expiry time of a task is that of its slowest input lane; a quiet lane goes on by the wall clock. */
class LaneClocksTest {

    @Test
    void beforeAnyLaneTheTasksStreamTimeServes() {
        LaneClocks c = new LaneClocks();
        assertEquals(-1, c.now(1_000));
        c.streamTime(50_000, 1_000);
        assertEquals(50_000, c.now(1_000));
        assertEquals(52_000, c.now(3_000), "quiet: on at wall-clock pace");
    }

    @Test
    void aFastLaneDoesNotDriveTheTimeOfASlowOne() {
        LaneClocks c = new LaneClocks();
        c.heard(0, 10_000, 1_000); // a hot partition, minutes of backlog to go
        c.heard(1, 300_000, 1_000); // a sparse one, already at the end of the backlog
        c.streamTime(300_000, 1_000);
        assertEquals(10_000, c.now(1_000));
        c.heard(0, 11_000, 1_100);
        c.heard(1, 301_000, 1_100);
        assertEquals(11_000, c.now(1_100));
    }

    @Test
    void aQuietLaneHoldsNoOneBack() {
        LaneClocks c = new LaneClocks();
        c.heard(0, 10_000, 1_000);
        c.heard(1, 10_000, 1_000);
        for (long wall = 1_000; wall <= 31_000; wall += 1_000) {
            c.heard(1, 10_000 + (wall - 1_000), wall); // lane 1 busy, live
        }
        assertEquals(40_000, c.now(31_000), "lane 0 sent nothing for 30 s: its time went on by the wall clock");
    }
}
