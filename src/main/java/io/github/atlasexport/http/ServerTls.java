package io.github.atlasexport.http;

import io.github.atlasexport.config.WebConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The server's TLS context from the web config, rebuilt when the certificate, key or client CA file
 * changes (cert-manager and the like rotate them in place): each new connection gets the context of
 * that moment, open connections keep theirs. A rotation that cannot be read (a half-written file) keeps
 * the previous context and is tried again at the next change.
 */
final class ServerTls implements AutoCloseable {
    static final Duration CHECK_EVERY = Duration.ofSeconds(5);
    /** The JVM's TLS 1.3 suites: Go does not let {@code cipher_suites} restrict TLS 1.3, and neither do we. */
    private static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final WebConfig.Tls config;
    private final AtomicReference<SslContext> current = new AtomicReference<>();
    private final AtomicReference<List<FileStamp>> loaded = new AtomicReference<>();
    private final Disposable watching;

    /** @throws SSLException when the files do not hold a usable certificate and key */
    ServerTls(WebConfig.Tls config, Scheduler scheduler, Duration checkEvery) throws SSLException {
        this.config = requireNonNull(config, "config must not be null");
        loaded.set(stamps());
        current.set(build(config));
        watching = Flux.interval(checkEvery, checkEvery, scheduler)
                .onBackpressureDrop()
                .subscribe(tick -> reloadIfChanged());
    }

    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = current.get().newHandler(alloc);
        if (config.preferServerCipherSuites()) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setUseCipherSuitesOrder(true);
            engine.setSSLParameters(parameters);
        }
        return handler;
    }

    private void reloadIfChanged() {
        List<FileStamp> now = stamps();
        List<FileStamp> before = loaded.get();
        if (now.equals(before)) {
            return;
        }
        loaded.set(now);
        try {
            current.set(build(config));
            log.info("TLS certificate files changed; new connections use the new certificate ({})", config.certFile());
        } catch (SSLException | RuntimeException e) {
            log.warn("TLS certificate files changed but cannot be used; keeping the previous certificate: {}",
                    e.toString());
        }
    }

    private List<FileStamp> stamps() {
        return Stream.of(config.certFile(), config.keyFile(), config.clientCaFile())
                .filter(Objects::nonNull)
                .map(FileStamp::of)
                .toList();
    }

    /** @throws SSLException when the files do not hold a usable certificate and key */
    static SslContext build(WebConfig.Tls config) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forServer(config.certFile().toFile(), config.keyFile().toFile())
                .protocols(config.protocols());
        if (!config.cipherSuites().isEmpty()) {
            List<String> suites = new ArrayList<>(config.cipherSuites());
            if (config.protocols().contains("TLSv1.3")) {
                suites.addAll(TLS13_SUITES);
            }
            builder.ciphers(suites);
        }
        WebConfig.ClientAuth auth = config.clientAuth();
        if (auth != WebConfig.ClientAuth.NoClientCert) {
            builder.clientAuth(auth.required() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            if (auth.verified()) {
                builder.trustManager(config.clientCaFile().toFile());
            } else {
                builder.trustManager(InsecureTrustManagerFactory.INSTANCE); // Go's Request/RequireAny: not verified
            }
        }
        return builder.build();
    }

    @Override
    public void close() {
        watching.dispose();
    }

    /** What tells a rewritten file: its modification time and size (absent files compare equal to each other). */
    private record FileStamp(Path path, long modified, long size) {
        static FileStamp of(Path path) {
            try {
                return new FileStamp(path, Files.getLastModifiedTime(path).toMillis(), Files.size(path));
            } catch (IOException e) {
                return new FileStamp(path, -1, -1);
            }
        }
    }
}
