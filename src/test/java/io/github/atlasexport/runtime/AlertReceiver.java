package io.github.atlasexport.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;

/**
 * A webhook receiver as a customer would write it: checks Standard Webhooks signatures with its own
 * code (javax.crypto, not the monitor's signer), records every request and answers what its script
 * says for the n-th request (1-based); a 429 carries {@code Retry-After: 1}.
 */
final class AlertReceiver implements AutoCloseable {
    /** A {@code whsec_} secret: the HMAC key is the base64-decoded rest. */
    static final String SECRET = "whsec_" + Base64.getEncoder()
            .encodeToString("end-to-end-test-key-32-bytes-ok!".getBytes(StandardCharsets.UTF_8));

    /** One request as received, and the status it was answered with. */
    record Delivery(String webhookId, boolean signatureValid, int status, long atNanos, JsonNode body) {
        String id() {
            return body.path("id").asText();
        }

        String alertname() {
            return body.path("alertname").asText();
        }

        /** firing or resolved */
        String alertStatus() {
            return body.path("status").asText();
        }

        String jobId() {
            return body.path("labels").path("job_id").asText();
        }

        /** alertname/status/job: what the delivery is about, independent of the notice id. */
        String what() {
            return alertname() + "/" + alertStatus() + "/" + jobId();
        }

        boolean accepted() {
            return status / 100 == 2;
        }
    }

    private final DisposableServer server;
    private final IntUnaryOperator script;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    private AlertReceiver(int port, IntUnaryOperator script) {
        this.script = script;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes.post("/hook", this::handle))
                .bindNow(Duration.ofSeconds(10));
    }

    static AlertReceiver start(IntUnaryOperator script) {
        return new AlertReceiver(0, script);
    }

    /** On a given port: a receiver that comes back where a dead one was. */
    static AlertReceiver startOn(int port) {
        return new AlertReceiver(port, request -> 200);
    }

    static AlertReceiver alwaysOk() {
        return start(request -> 200);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.port() + "/hook");
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    List<Delivery> accepted() {
        return deliveries.stream().filter(Delivery::accepted).toList();
    }

    /** alertname/status/job of each accepted delivery, with how often it was accepted. */
    Map<String, Long> acceptedCounts() {
        return accepted().stream().collect(Collectors.groupingBy(Delivery::what, Collectors.counting()));
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        // A connection per delivery: disposeNow closes the listening socket but may leave a kept-alive
        // connection open, and a receiver that is closed must not take the next delivery on it.
        response.keepAlive(false);
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
            String id = request.requestHeaders().get("webhook-id");
            boolean valid = verify(id, request.requestHeaders().get("webhook-timestamp"),
                    request.requestHeaders().get("webhook-signature"), body);
            JsonNode json = parse(body);
            int status;
            // Alerts arrive side by side: the script's count and the order of the record must agree.
            synchronized (deliveries) {
                status = script.applyAsInt(requests.incrementAndGet());
                deliveries.add(new Delivery(id, valid, status, System.nanoTime(), json));
            }
            if (status == 429) {
                response.header("Retry-After", "1");
            }
            return response.status(HttpResponseStatus.valueOf(status)).send().then();
        });
    }

    private static JsonNode parse(String body) {
        try {
            return AlertsEndToEnd.JSON.readTree(body);
        } catch (Exception e) {
            return AlertsEndToEnd.JSON.missingNode();
        }
    }

    /**
     * Standard Webhooks: HMAC-SHA256 over "id.timestamp.body" with the decoded secret; any of the
     * space-separated "v1,&lt;base64&gt;" signatures may match; the timestamp must be within 5 minutes.
     */
    static boolean verify(String id, String timestamp, String signatures, String body) {
        if (id == null || timestamp == null || signatures == null
                || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            for (String signature : signatures.split(" ")) {
                if (signature.startsWith("v1,")
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature.substring(3)))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
