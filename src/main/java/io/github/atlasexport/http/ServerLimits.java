package io.github.atlasexport.http;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * What the monitor's HTTP server grants one client, so that slow or idle clients cannot hold its
 * descriptors (health checks, scrapes and state saves need them too).
 *
 * @param requestReadTimeout a new connection must deliver a whole request (headers and body) within this
 * @param idleTimeout        a kept-alive connection is closed when its next request is not in within this
 * @param maxConnections     connections open at once; one more is closed as soon as it is accepted
 * @param scrapeReuse        a finished /metrics render answers scrapes with the same Accept header this long
 */
public record ServerLimits(Duration requestReadTimeout, Duration idleTimeout, int maxConnections, Duration scrapeReuse) {

    public ServerLimits {
        requireNonNull(requestReadTimeout, "requestReadTimeout must not be null");
        requireNonNull(idleTimeout, "idleTimeout must not be null");
        requireNonNull(scrapeReuse, "scrapeReuse must not be null");
        if (requestReadTimeout.isZero() || requestReadTimeout.isNegative() || idleTimeout.isZero() || idleTimeout.isNegative() || scrapeReuse.isNegative()) {
            throw new IllegalArgumentException("timeouts must be > 0 and scrapeReuse >= 0, were "
                    + requestReadTimeout + ", " + idleTimeout + ", " + scrapeReuse);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, was " + maxConnections);
        }
    }

    /** 10 s to send a request, 60 s idle keep-alive, 512 connections, a scrape render reused for 1 s. */
    public static ServerLimits defaults() {
        return new ServerLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 512, Duration.ofSeconds(1));
    }
}
