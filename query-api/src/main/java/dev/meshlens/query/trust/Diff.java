package dev.meshlens.query.trust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells that change between two snapshots: breaks (verified before, fail after) and fixes.
 *
 * @param breaks cells that get worse
 * @param fixes cells that get better
 * @param cells cells compared
 */
record Diff(List<Break> breaks, List<Break> fixes, int cells) {

    /**
     * @param presenter when not null, only pairs where this mesh presents are compared (the others cannot change)
     */
    static Diff of(Snapshot before, Snapshot after, List<String> meshes, String presenter) {
        List<RootRef> ub = before.universe();
        List<RootRef> ua = after.universe();
        Map<String, Verdict[]> memo = new HashMap<>();
        List<Break> breaks = new ArrayList<>();
        List<Break> fixes = new ArrayList<>();
        int cells = 0;
        for (String c : meshes) {
            for (String s : meshes) {
                if (c.equals(s)) {
                    continue;
                }
                for (Verification dir : Verification.values()) {
                    String v = dir.verifier(c, s);
                    String p = dir.presenter(c, s);
                    cells++;
                    if (presenter != null && !presenter.equals(p)) {
                        continue;
                    }
                    Verdict[] ba = memo.computeIfAbsent(v + '\u0000' + p, k -> new Verdict[] {
                        PairEvaluator.evaluate(before, v, p, ub), PairEvaluator.evaluate(after, v, p, ua)
                    });
                    CellState b = ba[0].state();
                    CellState a = ba[1].state();
                    if (b.breaksTo(a)) {
                        breaks.add(new Break(c, s, dir, v, p, b, a, ba[1].reason()));
                    } else if (a.rank() > b.rank() && b != CellState.UNKNOWN) {
                        fixes.add(new Break(c, s, dir, v, p, b, a, ba[1].reason()));
                    }
                }
            }
        }
        return new Diff(breaks, fixes, cells);
    }
}
