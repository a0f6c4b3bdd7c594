package dev.meshlens.query.fix;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshlens.events.fix.Fix;
import dev.meshlens.events.fix.FixPlan;
import dev.meshlens.events.fix.Resource;
import dev.meshlens.query.store.QueryDsl;

/** The JSON of a fix plan ({@code GET /api/v1/findings/{id}/fix}, {@code ./meshlens fix --json}). */
public final class FixJson {
    private FixJson() {}

    public static ObjectNode plan(FixPlan p) {
        ObjectNode o = QueryDsl.obj();
        o.put("finding_id", p.findingId());
        o.put("category", p.category().name());
        o.put("summary", p.summary());
        ArrayNode options = o.putArray("options");
        for (Fix f : p.options()) {
            ObjectNode x = options.addObject();
            x.put("mesh", f.mesh());
            x.put("mesh_kind", f.meshKind());
            x.put("team", f.team());
            x.put("why", f.why());
            x.put("described_only", f.describedOnly());
            ArrayNode rs = x.putArray("resources");
            for (Resource r : f.resources()) {
                ObjectNode j = rs.addObject();
                j.put("kind", r.kind());
                if (r.apiVersion() != null) {
                    j.put("api_version", r.apiVersion());
                }
                j.put("name", r.name());
                if (r.namespace() != null) {
                    j.put("namespace", r.namespace());
                }
                j.put("format", r.format());
                j.put("apply_with", r.applyWith());
                j.put("text", r.text());
            }
            ArrayNode steps = x.putArray("steps");
            f.steps().forEach(steps::add);
        }
        return o;
    }
}
