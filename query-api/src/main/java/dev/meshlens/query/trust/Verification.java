package dev.meshlens.query.trust;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The two checks of one mutual-TLS handshake between a client mesh and a server mesh. */
public enum Verification {
    /** The server's mesh verifies the client's certificate: the server's bundle must hold the client's roots. */
    SERVER_VERIFIES_CLIENT,
    /** The client's mesh verifies the server's certificate: the client's bundle must hold the server's roots. */
    CLIENT_VERIFIES_SERVER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Verification parse(String s) {
        for (Verification v : values()) {
            if (v.wireName().equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unknown direction '" + s + "'; expected server_verifies_client or " + "client_verifies_server");
    }

    String verifier(String clientMesh, String serverMesh) {
        return this == SERVER_VERIFIES_CLIENT ? serverMesh : clientMesh;
    }

    String presenter(String clientMesh, String serverMesh) {
        return this == SERVER_VERIFIES_CLIENT ? clientMesh : serverMesh;
    }
}
