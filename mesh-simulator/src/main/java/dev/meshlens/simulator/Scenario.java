package dev.meshlens.simulator;

import dev.meshlens.events.MeshEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One generated scenario: what each mesh wrote (lines and admin polls, each with its ground-truth
 * event) and the findings meshlens must report.
 *
 * @param seed the seed that reproduces it
 * @param description what was injected, in words
 * @param meshIds the two mesh ids
 * @param lines everything both meshes produced, in true-time order
 * @param expected the ground-truth findings
 */
public record Scenario(
        long seed, String description, List<String> meshIds, List<SimLine> lines, List<ExpectedFinding> expected) {

    /** The log lines one mesh wrote to one file ({@code access.log} or {@code listener.log}), per Envoy. */
    public Map<String, List<String>> logLines(String meshId, String file) {
        Map<String, List<String>> out = new TreeMap<>();
        for (SimLine l : lines) {
            if (l.meshId().equals(meshId) && file.equals(l.file())) {
                out.computeIfAbsent(l.envoy(), k -> new ArrayList<>()).add(l.text());
            }
        }
        return out;
    }

    /** Ground-truth events of one mesh (what its collector publishes), in that mesh's time order. */
    public List<MeshEvent> events(String meshId) {
        return lines.stream()
                .filter(l -> l.meshId().equals(meshId))
                .map(SimLine::expected)
                .sorted(Comparator.comparing(MeshEvent::observedTime))
                .toList();
    }

    /** All ground-truth events in true-time order (the order they were produced). */
    public List<MeshEvent> events() {
        return lines.stream().map(SimLine::expected).toList();
    }
}
