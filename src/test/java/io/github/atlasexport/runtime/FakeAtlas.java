package io.github.atlasexport.runtime;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A scripted Atlas on 127.0.0.1 for what the simulator will not serve: a project listing a cluster
 * whose name breaks Atlas's own pattern, and a project whose cluster list fails. Answers without an
 * auth challenge; every export list is empty. Counts the requests per path.
 */
final class FakeAtlas implements AutoCloseable {
    private static final String PREFIX = "/api/atlas/v2/groups/";

    private final Map<String, List<String>> clusters = new ConcurrentHashMap<>();
    private final Set<String> failingDiscovery = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final DisposableServer server;

    FakeAtlas() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/**", this::handle))
                .bindNow(Duration.ofSeconds(10));
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    void clusters(String groupId, List<String> names) {
        clusters.put(groupId, List.copyOf(names));
    }

    void failDiscovery(String groupId, boolean failing) {
        if (failing) {
            failingDiscovery.add(groupId);
        } else {
            failingDiscovery.remove(groupId);
        }
    }

    /** Export list requests for one cluster so far. */
    long exportLists(String groupId, String clusterName) {
        AtomicLong n = requests.get(PREFIX + groupId + "/clusters/" + clusterName + "/backup/exports");
        return n == null ? 0 : n.get();
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String path = URI.create(request.uri()).getPath();
        requests.computeIfAbsent(path, p -> new AtomicLong()).incrementAndGet();
        String[] parts = path.substring(Math.min(path.length(), PREFIX.length())).split("/");
        if (!path.startsWith(PREFIX)) {
            return json(response, HttpResponseStatus.NOT_FOUND, "{\"error\":404,\"errorCode\":\"NOT_FOUND\"}");
        }
        if (parts.length == 2 && parts[1].equals("clusters")) {
            if (failingDiscovery.contains(parts[0])) {
                return json(response, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "{\"error\":503,\"errorCode\":\"SERVICE_UNAVAILABLE\",\"detail\":\"scripted discovery failure\"}");
            }
            String results = clusters.getOrDefault(parts[0], List.of()).stream()
                    .map(name -> "{\"name\":\"" + name + "\",\"groupId\":\"" + parts[0] + "\"}")
                    .collect(Collectors.joining(","));
            return json(response, HttpResponseStatus.OK, "{\"results\":[" + results + "]}");
        }
        return json(response, HttpResponseStatus.OK, "{\"results\":[],\"totalCount\":0}");
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, String body) {
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(body))
                .then();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
