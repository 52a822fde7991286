package io.github.atlasexport.http;

import io.github.atlasexport.config.WebConfig;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

import javax.net.ssl.SSLException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the web config asks of every connection and request, in one place before routing: TLS on the
 * connection, basic auth on every path but {@code /-/healthy} (liveness probes carry no credentials),
 * and the configured response headers on every answer.
 */
final class ServerAccess implements AutoCloseable {
    /** Open without credentials even when users are configured. */
    static final String OPEN_PATH = "/-/healthy";
    private static final int AUTH_THREADS = 2;

    private final Map<String, String> headers;
    private final ServerTls tls;
    private final Scheduler bcrypt;
    private final BasicAuth auth;
    private final Function<HttpServerResponse, Mono<Void>> overloaded;

    /** @throws UncheckedIOException with an {@link SSLException} when the certificate or key cannot be used */
    ServerAccess(WebConfig web, Function<HttpServerResponse, Mono<Void>> overloaded) {
        this.headers = web.headers();
        this.overloaded = overloaded;
        try {
            tls = web.tls().isEmpty() ? null : new ServerTls(web.tls().get(), Schedulers.boundedElastic(), ServerTls.CHECK_EVERY);
        } catch (SSLException e) {
            throw new UncheckedIOException(e);
        }
        bcrypt = web.users().isEmpty() ? null : Schedulers.newBoundedElastic(AUTH_THREADS, 256, "http-auth");
        auth = bcrypt == null ? null : new BasicAuth(web.users(), bcrypt, Clock.systemUTC());
    }

    /** Puts TLS first on a new connection, when configured. */
    void secure(Channel channel) {
        if (tls != null) {
            channel.pipeline().addFirst(NettyPipeline.SslHandler, tls.newHandler(channel.alloc()));
        }
    }

    /** The routes, behind the headers and the auth check. */
    BiFunction<HttpServerRequest, HttpServerResponse, Publisher<Void>> guard(Consumer<HttpServerRoutes> routesBuilder) {
        HttpServerRoutes routes = HttpServerRoutes.newRoutes();
        routesBuilder.accept(routes);
        return (request, response) -> {
            headers.forEach(response::header);
            if (auth == null || OPEN_PATH.equals(request.fullPath())) {
                return routes.apply(request, response);
            }
            return auth.allows(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION))
                    .flatMap(allowed -> allowed ? Mono.from(routes.apply(request, response)) : unauthorized(response))
                    .onErrorResume(RejectedExecutionException.class, busy -> overloaded.apply(response));
        };
    }

    boolean secure() {
        return tls != null;
    }

    long authFailures() {
        return auth == null ? 0 : auth.failures();
    }

    private static Mono<Void> unauthorized(HttpServerResponse response) {
        return response.status(HttpResponseStatus.UNAUTHORIZED)
                .header(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"atlas-export-monitor\", charset=\"UTF-8\"")
                .header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .sendString(Mono.just("Unauthorized\n"))
                .then();
    }

    @Override
    public void close() {
        if (tls != null) {
            tls.close();
        }
        if (bcrypt != null) {
            bcrypt.dispose();
        }
    }
}
