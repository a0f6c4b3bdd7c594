package dev.meshlens.query.trust;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * "What if …" over the current inventory: the snapshot now, the same snapshot with the changes
 * applied, and the cells that break (or heal) between them, with the reason after the change.
 *
 * @param evaluatedAt the instant judged
 * @param changes the changes, in words
 * @param breaks cells that verify now and fail after the changes
 * @param fixes cells that fail now and verify after the changes
 * @param cells cells compared
 * @param sanBreaks SAN checks that fail after a naming-template change (from the identities clients accepted)
 */
public record WhatIf(
        Instant evaluatedAt,
        List<String> changes,
        List<Break> breaks,
        List<Break> fixes,
        int cells,
        List<SanBreak> sanBreaks) {
    public WhatIf {
        changes = List.copyOf(changes);
        breaks = List.copyOf(breaks);
        fixes = List.copyOf(fixes);
        sanBreaks = List.copyOf(sanBreaks);
    }

    /** Over an inventory without traffic: naming changes find no SAN expectation. */
    public static WhatIf run(TrustInventory inventory, List<Change> changes, Instant now, TrustSettings settings) {
        return run(inventory, List.of(), changes, now, settings);
    }

    /**
     * @param accepted the server identities clients accepted (naming changes are checked against them)
     */
    public static WhatIf run(
            TrustInventory inventory,
            List<AcceptedSan> accepted,
            List<Change> changes,
            Instant now,
            TrustSettings settings) {
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("no change given: rotate, expire, drop_bundle, add_bundle or naming");
        }
        Snapshot before = inventory.at(now, settings.staleAfter());
        Snapshot after = before;
        Set<String> meshes = new TreeSet<>(inventory.meshes().keySet());
        List<String> words = new ArrayList<>();
        for (Change c : changes) {
            after = c.apply(after);
            meshes.addAll(c.meshes());
            words.add(c.describe());
        }
        Diff d = Diff.of(before, after, List.copyOf(meshes), null);
        List<SanBreak> san = new ArrayList<>();
        for (Change c : changes) {
            if (c instanceof Change.Naming n) {
                san.addAll(SanChecks.of(inventory, accepted, n));
            }
        }
        return new WhatIf(now, words, d.breaks(), d.fixes(), d.cells(), san);
    }

    /**
     * A root known anywhere in the current inventory, by its SHA-256 fingerprint or a unique prefix of
     * at least 8 hex digits (colons allowed).
     */
    public static RootRef findRoot(TrustInventory inventory, Instant now, TrustSettings settings, String fingerprint) {
        String fp = DistinguishedNames.hex(fingerprint);
        if (fp == null || fp.length() < 8 || !fp.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException(
                    "'" + fingerprint + "' is not a SHA-256 fingerprint (hex, at least 8 digits)");
        }
        List<RootRef> found = new ArrayList<>();
        Snapshot s = inventory.at(now, settings.staleAfter());
        List<RootRef> all = new ArrayList<>(s.universe());
        for (MeshView v : s.meshes().values()) {
            for (Chain c : v.chains()) {
                c.intermediates().forEach(i -> all.add(RootRef.of(i)));
            }
        }
        for (RootRef r : all) {
            if (r.sha256() != null
                    && r.sha256().startsWith(fp)
                    && found.stream().noneMatch(x -> x.sameAs(r))) {
                found.add(r);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no root or intermediate with SHA-256 fingerprint " + fp + " is in the "
                    + "inventory; give its PEM instead");
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(
                    "fingerprint prefix " + fp + " matches " + found.size() + " certificates; " + "give more digits");
        }
        return found.get(0);
    }

    /** Only the cells a scope may see. */
    public WhatIf filter(Predicate<String> meshVisible) {
        Predicate<Break> keep = b -> meshVisible.test(b.clientMesh()) || meshVisible.test(b.serverMesh());
        return new WhatIf(
                evaluatedAt,
                changes,
                breaks.stream().filter(keep).toList(),
                fixes.stream().filter(keep).toList(),
                cells,
                sanBreaks.stream()
                        .filter(b -> meshVisible.test(b.clientMesh()) || meshVisible.test(b.serverMesh()))
                        .toList());
    }
}
