package io.github.atlasexport.http;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Shares /metrics renders: every scrape that arrives while a render for its Accept header runs, or
 * within {@code reuseFor} after it finished, gets that render's bytes. At most {@code maxRenders}
 * run at once; a scrape that would need one more fails with {@link RejectedExecutionException}
 * (the server answers 503). A burst of scrapes thus costs one render, not one each.
 */
final class ScrapeCache {
    /** Distinct Accept headers shared at once; a client inventing new ones gets renders of its own. */
    private static final int MAX_SHARED = 8;

    private final MetricsScraper scraper;
    private final Scheduler renderer;
    private final long reuseForNanos;
    private final int maxRenders;
    private final AtomicInteger running = new AtomicInteger();
    private final Map<String, Render> renders = new ConcurrentHashMap<>();

    ScrapeCache(MetricsScraper scraper, Scheduler renderer, Duration reuseFor, int maxRenders) {
        this.scraper = requireNonNull(scraper, "scraper must not be null");
        this.renderer = requireNonNull(renderer, "renderer must not be null");
        this.reuseForNanos = reuseFor.toNanos();
        this.maxRenders = maxRenders;
    }

    Mono<MetricsScraper.Scrape> scrape(String accept) {
        return Mono.defer(() -> {
            long now = System.nanoTime();
            Render shared = renders.get(accept);
            if (shared != null && shared.usable(now)) {
                return shared.result;
            }
            renders.values().removeIf(render -> !render.usable(now));
            Render fresh = start(accept);
            if (fresh == null) {
                return Mono.error(new RejectedExecutionException("too many /metrics renders at once"));
            }
            Render winner = renders.size() < MAX_SHARED ? renders.merge(accept, fresh,
                    (current, mine) -> current.usable(now) ? current : mine) : fresh;
            if (winner != fresh) {
                fresh.release(); // another scrape started the same render meanwhile: ours was never subscribed
            }
            return winner.result;
        });
    }

    /** A render not yet running (it starts with its first subscriber), or null when {@code maxRenders} hold every slot. */
    private Render start(String accept) {
        if (running.incrementAndGet() > maxRenders) {
            running.decrementAndGet();
            return null;
        }
        return new Render(accept);
    }

    private final class Render {
        final Mono<MetricsScraper.Scrape> result;
        private final AtomicInteger held = new AtomicInteger(1);
        private volatile long finishedAt;
        private volatile boolean finished;

        Render(String accept) {
            this.result = Mono.fromCallable(() -> scraper.scrape(accept))
                    .subscribeOn(renderer)
                    .doOnSuccess(scrape -> {
                        finishedAt = System.nanoTime();
                        finished = true;
                    })
                    .doOnError(error -> renders.remove(accept, this))
                    .doFinally(signal -> release())
                    .cache();
        }

        boolean usable(long now) {
            return !finished || now - finishedAt < reuseForNanos;
        }

        void release() {
            if (held.getAndSet(0) == 1) {
                running.decrementAndGet();
            }
        }
    }
}
