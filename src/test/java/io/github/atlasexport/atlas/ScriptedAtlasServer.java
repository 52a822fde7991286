package io.github.atlasexport.atlas;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A scripted stand-in for Atlas on 127.0.0.1: checks digest (with nonce counts and retirable nonces)
 * or bearer tokens from its own OAuth endpoint, then answers authorized requests from a queue of
 * scripted replies, else from a handler. Records every exchange it sees.
 */
final class ScriptedAtlasServer implements AutoCloseable {
    static final String REALM = "MMS Public API";

    /** What the server saw; {@code authorized} is false for requests it answered with a 401 itself. */
    record Recorded(String method, String uri, HttpHeaders headers, String body, boolean authorized) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /**
     * One scripted answer; {@code reset} closes the connection unanswered, {@code silent} never answers,
     * {@code bodyStalls} sends the status, the headers and half the body, then nothing more.
     */
    record Reply(int status, Map<String, String> headers, String body, Duration delay, boolean reset, boolean silent,
                 boolean bodyStalls) {
        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body, Duration.ZERO, false, false, false);
        }

        static Reply resetConnection() {
            return new Reply(0, Map.of(), "", Duration.ZERO, true, false, false);
        }

        static Reply noAnswer() {
            return new Reply(0, Map.of(), "", Duration.ZERO, false, true, false);
        }

        Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, more, body, delay, reset, silent, bodyStalls);
        }

        Reply delayed(Duration by) {
            return new Reply(status, headers, body, by, reset, silent, bodyStalls);
        }

        Reply withBodyStalling() {
            return new Reply(status, headers, body, delay, reset, silent, true);
        }
    }

    final List<Recorded> exchanges = new CopyOnWriteArrayList<>();
    final AtomicInteger tokenFetches = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> highestNonceCounts = new ConcurrentHashMap<>();
    private final Set<String> liveTokens = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nonces = new AtomicInteger();
    private final Set<String> liveNonces = ConcurrentHashMap.newKeySet();
    private final DisposableServer server;
    private volatile boolean challengeBodiesStall;
    private volatile Function<Recorded, Reply> handler = request -> Reply.json(404, "{\"error\":404,\"errorCode\":\"RESOURCE_NOT_FOUND\"}");
    private final Credentials credentials;

    ScriptedAtlasServer(Credentials credentials) {
        this.credentials = credentials;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle(this::serve)
                .bindNow();
    }

    /** An export job as Atlas v2 returns it, with a field Atlas might add later. */
    static String jobJson(String id, String state) {
        return "{\"id\":\"" + id + "\",\"snapshotId\":\"66aa00000000000000000001\",\"exportBucketId\":\"66bb00000000000000000002\","
                + "\"createdAt\":\"2024-05-01T10:00:00Z\",\"state\":\"" + state + "\",\"prefix\":\"exported_snapshots/x\","
                + "\"exportStatus\":{\"exportedCollections\":1,\"totalCollections\":3},\"links\":[{\"rel\":\"self\"}],"
                + "\"someFieldAtlasAddsLater\":{\"nested\":true}}";
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    ScriptedAtlasServer handler(Function<Recorded, Reply> handler) {
        this.handler = handler;
        return this;
    }

    /** These replies answer the next authorized requests, in order, before the handler does. */
    ScriptedAtlasServer script(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    /** Every nonce issued so far goes stale: its next use is answered 401 with {@code stale=true} and a new one. */
    void retireNonces() {
        liveNonces.clear();
    }

    /** From now on the server's own 401s send their headers and then stall in the middle of their body. */
    void stallChallengeBodies() {
        challengeBodiesStall = true;
    }

    void revokeTokens() {
        liveTokens.clear();
    }

    List<Recorded> authorized() {
        return exchanges.stream().filter(Recorded::authorized).toList();
    }

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("").flatMap(body -> {
            String authorization = request.requestHeaders().get("Authorization");
            if (request.uri().equals("/api/oauth/token")) {
                exchanges.add(new Recorded(request.method().name(), request.uri(), request.requestHeaders().copy(), body, true));
                return issueToken(authorization, body, response);
            }
            String refusal = refusal(request.method().name(), authorization);
            Recorded recorded = new Recorded(request.method().name(), request.uri(), request.requestHeaders().copy(), body, refusal == null);
            exchanges.add(recorded);
            if (refusal != null && challengeBodiesStall) {
                return answer(Reply.json(401, "{\"error\":401,\"errorCode\":\"UNAUTHORIZED\"}")
                        .withHeader("WWW-Authenticate", refusal).withBodyStalling(), response);
            }
            if (refusal != null) {
                return response.status(401).header("WWW-Authenticate", refusal)
                        .sendString(Mono.just("{\"error\":401,\"errorCode\":\"UNAUTHORIZED\"}")).then();
            }
            Reply reply = script.poll();
            return answer(reply != null ? reply : handler.apply(recorded), response);
        });
    }

    /** Null when authorized, else the WWW-Authenticate value to send (or "Bearer" for OAuth). */
    private String refusal(String method, String authorization) {
        if (credentials instanceof Credentials.ServiceAccount) {
            return authorization != null && liveTokens.contains(authorization.replaceFirst("^Bearer ", "")) ? null : "Bearer";
        }
        Credentials.Digest digest = (Credentials.Digest) credentials;
        Map<String, String> params = DigestVerifier.params(authorization);
        if (!DigestVerifier.valid(params, method, digest.publicKey(), digest.privateKey())) {
            return challenge();
        }
        String nonce = params.get("nonce");
        if (!liveNonces.contains(nonce)) {
            return challenge() + ", stale=true";
        }
        // Strict: each nonce's counts must go up; a replay, or a count overtaken by a higher one, is refused.
        long nc = Long.parseLong(params.get("nc"), 16);
        boolean[] above = new boolean[1];
        highestNonceCounts.compute(nonce, (key, highest) -> (above[0] = highest == null || nc > highest) ? nc : highest);
        return above[0] ? null : challenge();
    }

    /** Like Atlas, a fresh nonce with every challenge. */
    private String challenge() {
        String nonce = "nonce-" + nonces.incrementAndGet();
        liveNonces.add(nonce);
        return "Digest realm=\"" + REALM + "\", domain=\"\", nonce=\"" + nonce + "\", algorithm=MD5, qop=\"auth\"";
    }

    private Mono<Void> issueToken(String authorization, String form, HttpServerResponse response) {
        Credentials.ServiceAccount account = (Credentials.ServiceAccount) credentials;
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (account.clientId() + ":" + account.clientSecret()).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(authorization) || !"grant_type=client_credentials".equals(form)) {
            return answer(Reply.json(401, "{\"error\":\"invalid_client\"}"), response);
        }
        String token = "tok-" + tokenFetches.incrementAndGet();
        liveTokens.add(token);
        // Slow enough that concurrent callers really overlap with the fetch.
        return answer(Reply.json(200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                .delayed(Duration.ofMillis(100)), response);
    }

    private Mono<Void> answer(Reply reply, HttpServerResponse response) {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        Mono<Void> send;
        if (reply.reset()) {
            send = Mono.fromRunnable(() -> response.withConnection(connection -> connection.channel().close()));
        } else if (reply.silent()) {
            send = Mono.never();
        } else if (reply.bodyStalls()) {
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            response.status(HttpResponseStatus.valueOf(reply.status()));
            reply.headers().forEach(response::header);
            response.header("Content-Length", Integer.toString(body.length));
            send = response.sendByteArray(Flux.just(Arrays.copyOf(body, body.length / 2)).concatWith(Flux.never())).then();
        } else {
            response.status(HttpResponseStatus.valueOf(reply.status()));
            reply.headers().forEach(response::header);
            send = response.sendString(Mono.just(reply.body())).then();
        }
        // Out of the count before the answer is written: the client may send its next request as soon as
        // it has the answer, before this pipeline has seen the write complete.
        AtomicBoolean counted = new AtomicBoolean(true);
        Runnable leave = () -> {
            if (counted.getAndSet(false)) {
                inFlight.decrementAndGet();
            }
        };
        return Mono.delay(reply.delay()).then(Mono.fromRunnable(leave)).then(send).doFinally(signal -> leave.run());
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
