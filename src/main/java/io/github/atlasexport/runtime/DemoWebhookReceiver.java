package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.atlasexport.alert.StandardWebhooksSigner;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import java.io.PrintWriter;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/** The demo's webhook sink: receives the monitor's alerts on loopback, checks the signature, prints them. */
public final class DemoWebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DisposableServer server;

    public DemoWebhookReceiver(String secret, PrintWriter out) {
        StandardWebhooksSigner signer = new StandardWebhooksSigner(secret);
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post("/hooks/atlas-export", (request, response) -> request.receive()
                        .aggregate()
                        .asByteArray()
                        .map(body -> {
                            String id = request.requestHeaders().get("webhook-id", "");
                            long timestamp = Long.parseLong(request.requestHeaders().get("webhook-timestamp", "0"));
                            String expected = signer.signature(id, timestamp, body);
                            String given = request.requestHeaders().get("webhook-signature", "");
                            boolean valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                                    given.getBytes(StandardCharsets.UTF_8));
                            print(out, body, valid);
                            return valid;
                        })
                        .flatMap(valid -> response.status(valid ? 204 : 401).send().then())
                        .then(Mono.empty())))
                .bindNow();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port() + "/hooks/atlas-export");
    }

    private static synchronized void print(PrintWriter out, byte[] body, boolean signatureValid) {
        try {
            JsonNode alert = JSON.readTree(body);
            out.printf("[webhook] %-8s %-26s %-8s %s%n", alert.path("status").asText().toUpperCase(java.util.Locale.ROOT),
                    alert.path("alertname").asText(), alert.path("severity").asText(),
                    alert.path("annotations").path("summary").asText());
            if (!signatureValid) {
                out.println("[webhook] WARNING: signature did not verify");
            }
        } catch (java.io.IOException e) {
            out.println("[webhook] unreadable body: " + e.getMessage());
        }
        out.flush();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
