package dev.meshlens.collector.profiles;

import dev.meshlens.events.mesh.AccessLogPreset;
import dev.meshlens.events.mesh.AdminEndpoints;
import dev.meshlens.events.mesh.MeshProfile;
import dev.meshlens.events.mesh.MeshProfiles;
import dev.meshlens.events.mesh.NamingTemplate;
import dev.meshlens.events.mesh.RemediationDialect;
import dev.meshlens.events.mesh.ServiceNaming;
import dev.meshlens.events.mesh.TrustBundleSource;
import java.util.List;

/**
 * A fourth mesh kind that exists only in this test source set, registered through
 * {@code META-INF/services/dev.meshlens.events.mesh.MeshProfiles$Provider}: the proof that adding a kind touches
 * its profile and its tests, nothing else ({@link FourthKindTest}). Its spellings are made up and unlike any
 * real mesh's, so it cannot claim another kind's names.
 */
public final class TestMeshProfile implements MeshProfiles.Provider {
    public static final String NAME = "testmesh";

    /** Clusters {@code tm~<service>~<port>}, SNI {@code <service>.tm-sni}, the app's cluster {@code tm~self}. */
    static final ServiceNaming NAMING = new ServiceNaming() {
        @Override
        public String serviceOf(String name) {
            if (name.equals("tm~self")) {
                return "";
            }
            if (name.startsWith("tm~")) {
                String[] p = name.split("~");
                return p.length == 3 ? p[1] : "";
            }
            return name.endsWith(".tm-sni") ? name.substring(0, name.length() - ".tm-sni".length()) : null;
        }

        @Override
        public Leg legOf(String cluster) {
            return cluster.equals("tm~self") ? Leg.LOCAL_APP : cluster.startsWith("tm~") ? Leg.OUTBOUND : null;
        }
    };

    public static final MeshProfile PROFILE = new MeshProfile(
            NAME,
            "Test mesh",
            List.of(NamingTemplate.of(NAME, "spiffe://<trust-domain>/workload/<namespace>/<service>", "service")),
            List.of(AccessLogPreset.text(
                    NAME,
                    List.of(),
                    "[%START_TIME%] testmesh %RESPONSE_CODE% %RESPONSE_FLAGS% "
                            + "%UPSTREAM_CLUSTER% %REQUESTED_SERVER_NAME% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\"\n",
                    "test format")),
            List.of(),
            NAMING,
            AdminEndpoints.envoy("http://127.0.0.1:15999", List.of("dynamic_active_secrets"), "test"),
            TrustBundleSource.pem("a test PEM file"),
            RemediationDialect.ENVOY,
            1);

    @Override
    public MeshProfile profile() {
        return PROFILE;
    }
}
