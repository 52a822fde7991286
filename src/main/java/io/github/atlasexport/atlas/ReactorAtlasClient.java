package io.github.atlasexport.atlas;

import com.fasterxml.jackson.core.JsonProcessingException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.Logger;
import reactor.util.Loggers;
import reactor.util.context.Context;
import reactor.util.retry.Retry;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * {@link AtlasClient} over Reactor Netty. Each exchange waits for its project's budget, then for an
 * in-flight permit, and only then is signed by the {@link RequestAuthorizer}; a 401 that brings a new
 * challenge or retires a token is answered once at once. Failed calls are retried per
 * {@link RetryPolicy}. Arguments are checked before anything is sent: a bad one throws
 * {@link IllegalArgumentException} from the method itself.
 */
final class ReactorAtlasClient implements AtlasClient {
    private static final Logger log = Loggers.getLogger(ReactorAtlasClient.class);
    static final int PAGE_SIZE = 500;
    /** 500,000 items: far beyond any real project; a server that never sends a short page is not followed forever. */
    static final int MAX_PAGES = 1000;
    static final String EXPORTS = "/groups/{groupId}/clusters/{clusterName}/backup/exports";
    static final String EXPORT = EXPORTS + "/{exportId}";
    static final String SNAPSHOT = "/groups/{groupId}/clusters/{clusterName}/backup/snapshots/{snapshotId}";
    static final String GROUPS = "/groups";
    static final String CLUSTERS = "/groups/{groupId}/clusters";
    static final String SCHEDULE = "/groups/{groupId}/clusters/{clusterName}/backup/schedule";
    static final String SNAPSHOTS = "/groups/{groupId}/clusters/{clusterName}/backup/snapshots";
    static final String SHARDED_SNAPSHOTS = SNAPSHOTS + "/shardedClusters";
    static final String EXPORT_BUCKETS = "/groups/{groupId}/backup/exportBuckets";

    private static final Pattern GROUP_ID = AtlasNames.GROUP_ID;
    private static final Pattern CLUSTER_NAME = AtlasNames.CLUSTER_NAME;
    private static final Pattern EXPORT_ID = Pattern.compile("^[a-zA-Z0-9_-]+$"); // Atlas uses 24 hex; anything path-safe will do
    private static final String SHARED_BUCKET = ""; // calls outside a project (a map key cannot be null)
    /** The longest pause a Retry-After imposes on a project: a day-long one (seen in the wild) is not believed. */
    static final Duration MAX_HOLD = Duration.ofHours(1);

    /** How an export job is read, from a list page or alone. */
    static final AtlasPages.ItemReader<ExportJob> EXPORT_JOB = ExportJobReader::read;
    private static final AtlasPages.ItemReader<Project> PROJECT = AtlasPages.bound(Project.class, "id");
    private static final AtlasPages.ItemReader<Cluster> CLUSTER = AtlasPages.bound(Cluster.class, "name");
    private static final AtlasPages.ItemReader<BackupSchedule> SCHEDULE_BODY = parser ->
            AtlasJson.MAPPER.readValue(parser, BackupSchedule.class);
    private static final AtlasPages.ItemReader<Snapshot> SNAPSHOT_BODY = AtlasPages.bound(Snapshot.class, "id");
    private static final AtlasPages.ItemReader<ExportBucket> BUCKET = AtlasPages.bound(ExportBucket.class, "_id");

    private final AtlasClientOptions options;
    private final String apiPrefix;
    private final AtlasTransport transport;
    private final InFlightLimiter limiter;
    private final RequestAuthorizer authorizer;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Set<String> warnedUnreadable = ConcurrentHashMap.newKeySet();
    private final int maxPages;

    ReactorAtlasClient(AtlasClientOptions options) {
        this(options, MAX_PAGES);
    }

    /** {@code maxPages} is a seam for tests, which cannot afford a thousand pages. */
    ReactorAtlasClient(AtlasClientOptions options, int maxPages) {
        this.options = requireNonNull(options, "options must not be null");
        this.maxPages = maxPages;
        String basePath = options.baseUrl().getRawPath() == null ? "" : options.baseUrl().getRawPath().replaceAll("/+$", "");
        this.apiPrefix = basePath + "/api/atlas/" + options.apiVersion().pathSegment();
        this.transport = new AtlasTransport(options.baseUrl(), options.requestTimeout(), options.maxConcurrency(), options.listener());
        this.limiter = new InFlightLimiter(options.maxConcurrency());
        if (options.credentials() instanceof Credentials.Digest digest) {
            this.authorizer = new DigestAuthenticator(digest.publicKey(), digest.privateKey());
        } else {
            this.authorizer = new ServiceAccountAuthorizer((Credentials.ServiceAccount) options.credentials(),
                    basePath + ServiceAccountAuthorizer.ENDPOINT,
                    (request, authorization) -> limiter.run(() -> transport.exchange(request, authorization)),
                    options.retryPolicy().forIdempotent());
        }
    }

    @Override
    public Flux<ExportJob> listExportJobs(String groupId, String clusterName) {
        String path = exportsPath(groupId, clusterName);
        return paged(EXPORTS, path, groupId, EXPORT_JOB, ExportJob::id, unreadable -> {
            warnOnce(path, unreadable);
            options.listener().onUnparsableJob(groupId, clusterName);
        });
    }

    @Override
    public Mono<ExportJob> getExportJob(String groupId, String clusterName, String exportId) {
        String path = exportsPath(groupId, clusterName) + "/" + check(EXPORT_ID, "exportId", exportId);
        AtlasRequest request = AtlasRequest.get(apiPrefix + path, EXPORT, groupId, options.apiVersion().mediaType());
        return send(request).flatMap(response -> one(request, response, EXPORT_JOB));
    }

    @Override
    public Mono<ExportJob> createExportJob(String groupId, String clusterName, CreateExportJobRequest body) {
        String path = exportsPath(groupId, clusterName);
        requireNonNull(body, "request must not be null");
        String json;
        try {
            json = AtlasJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + body, e);
        }
        String mediaType = options.apiVersion().mediaType();
        AtlasRequest request = new AtlasRequest("POST", apiPrefix + path, EXPORTS, groupId, mediaType, mediaType, json, false);
        return send(request).flatMap(response -> one(request, response, EXPORT_JOB));
    }

    @Override
    public Mono<Snapshot> getSnapshot(String groupId, String clusterName, String snapshotId) {
        String path = "/groups/" + check(GROUP_ID, "groupId", groupId)
                + "/clusters/" + check(CLUSTER_NAME, "clusterName", clusterName)
                + "/backup/snapshots/" + check(EXPORT_ID, "snapshotId", snapshotId);
        AtlasRequest request = AtlasRequest.get(apiPrefix + path, SNAPSHOT, groupId, options.apiVersion().mediaType());
        return send(request).flatMap(response -> one(request, response, SNAPSHOT_BODY));
    }

    @Override
    public Flux<Project> listProjects() {
        return paged(GROUPS, GROUPS, null, PROJECT, Project::id, unreadable -> warnOnce(GROUPS, unreadable));
    }

    @Override
    public Flux<Cluster> listClusters(String groupId) {
        String path = "/groups/" + check(GROUP_ID, "groupId", groupId) + "/clusters";
        return paged(CLUSTERS, path, groupId, CLUSTER, Cluster::name, unreadable -> warnOnce(path, unreadable));
    }

    @Override
    public Mono<BackupSchedule> getBackupSchedule(String groupId, String clusterName) {
        String path = clusterPath(groupId, clusterName) + "/backup/schedule";
        AtlasRequest request = AtlasRequest.get(apiPrefix + path, SCHEDULE, groupId, options.apiVersion().mediaType());
        return send(request).flatMap(response -> one(request, response, SCHEDULE_BODY));
    }

    @Override
    public Flux<Snapshot> listSnapshots(String groupId, String clusterName, boolean sharded) {
        String path = clusterPath(groupId, clusterName) + "/backup/snapshots" + (sharded ? "/shardedClusters" : "");
        return paged(sharded ? SHARDED_SNAPSHOTS : SNAPSHOTS, path, groupId, SNAPSHOT_BODY, Snapshot::id,
                unreadable -> warnOnce(path, unreadable));
    }

    @Override
    public Flux<ExportBucket> listExportBuckets(String groupId) {
        String path = "/groups/" + check(GROUP_ID, "groupId", groupId) + "/backup/exportBuckets";
        return paged(EXPORT_BUCKETS, path, groupId, BUCKET, ExportBucket::id, unreadable -> warnOnce(path, unreadable));
    }

    @Override
    public void close() {
        transport.close();
    }

    private static String exportsPath(String groupId, String clusterName) {
        return clusterPath(groupId, clusterName) + "/backup/exports";
    }

    private static String clusterPath(String groupId, String clusterName) {
        return "/groups/" + check(GROUP_ID, "groupId", groupId)
                + "/clusters/" + check(CLUSTER_NAME, "clusterName", clusterName);
    }

    private static String check(Pattern pattern, String name, String value) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " '" + value + "' does not match " + pattern.pattern());
        }
        return value;
    }

    /**
     * The whole list, each item once. A walk whose pages disagree (see {@link AtlasPages.Walk}: the list
     * changed between two page requests) is walked once more at once, and the second walk is taken as
     * it is: the differ and the poller cope with a job missing from one list, not with one every time.
     */
    private <T> Flux<T> paged(String endpoint, String path, String groupId, AtlasPages.ItemReader<T> item,
                              Function<T, String> idOf, Consumer<AtlasPages.Unreadable> skipped) {
        Mono<AtlasPages.Walk<T>> walk = Mono.defer(() -> walk(endpoint, path, groupId, item, idOf));
        return walk
                .flatMap(first -> {
                    if (first.consistent()) {
                        return Mono.just(first);
                    }
                    log.debug("{}: the list changed while its pages were read; reading it again", path);
                    return walk;
                })
                .doOnNext(taken -> taken.unreadable().forEach(skipped))
                .flatMapIterable(AtlasPages.Walk::items);
    }

    /** Every page in turn, each asked for only once the one before came back full. */
    private <T> Mono<AtlasPages.Walk<T>> walk(String endpoint, String path, String groupId,
                                              AtlasPages.ItemReader<T> item, Function<T, String> idOf) {
        return page(endpoint, path, groupId, item, 1)
                .expand(page -> page.body().size() < PAGE_SIZE
                        ? Mono.empty()
                        : following(endpoint, path, groupId, item, page))
                .map(Page::body)
                .collectList()
                .map(pages -> AtlasPages.Walk.of(pages, idOf));
    }

    /** The page after a full one: none past {@code maxPages}, and none that repeats the one before (pageNum ignored). */
    private <T> Mono<Page<T>> following(String endpoint, String path, String groupId, AtlasPages.ItemReader<T> item, Page<T> page) {
        if (page.number() >= maxPages) {
            return Mono.error(pagingStopped(endpoint, "more than " + maxPages + " pages of " + PAGE_SIZE
                    + " (the limit): the list is not read"));
        }
        return page(endpoint, path, groupId, item, page.number() + 1)
                .flatMap(next -> next.body().results().equals(page.body().results())
                        ? Mono.error(pagingStopped(endpoint, "page " + next.number() + " repeats page " + page.number()
                                + ": the server ignores pageNum"))
                        : Mono.just(next));
    }

    /**
     * One warning per list and field: a job that cannot be read is listed again at every poll, and the
     * counter, not the log, says how often.
     */
    private void warnOnce(String path, AtlasPages.Unreadable unreadable) {
        if (warnedUnreadable.add(path + " " + unreadable.field())) {
            log.warn("{}: item {} of a page skipped: its field '{}' is missing or not of the documented type"
                    + " (the rest of the list is read; warned once per list and field)", path, unreadable.index(), unreadable.field());
        }
    }

    private static AtlasApiException pagingStopped(String endpoint, String why) {
        return new AtlasApiException(200, AtlasErrors.PAGING_STOPPED, why, "GET", endpoint, null, null);
    }

    private <T> Mono<Page<T>> page(String endpoint, String path, String groupId, AtlasPages.ItemReader<T> item, int number) {
        // With the count: a count that changes from page to page is how a removal between two pages shows.
        String target = apiPrefix + path + "?pageNum=" + number + "&itemsPerPage=" + PAGE_SIZE + "&includeCount=true";
        AtlasRequest request = AtlasRequest.get(target, endpoint, groupId, options.apiVersion().mediaType());
        return send(request).flatMap(response -> {
            try {
                AtlasPages.ListBody<T> body = AtlasPages.list(response.body(), item);
                return body == null
                        ? Mono.error(AtlasErrors.malformed(request, response.status(), "list response lacks a results array", null))
                        : Mono.just(new Page<>(number, body));
            } catch (IOException | IllegalArgumentException e) {
                return Mono.error(AtlasErrors.malformed(request, response.status(), "list response is not the documented JSON", e));
            }
        });
    }

    private static <T> Mono<T> one(AtlasRequest request, AtlasResponse response, AtlasPages.ItemReader<T> item) {
        try {
            return Mono.just(AtlasPages.one(response.body(), item));
        } catch (IOException | IllegalArgumentException e) {
            return Mono.error(AtlasErrors.malformed(request, response.status(), "response is not the documented JSON", e));
        }
    }

    /** One call: authorized exchanges until a 2xx, or an {@link AtlasApiException} once retries are spent. */
    private Mono<AtlasResponse> send(AtlasRequest request) {
        Retry retry = request.idempotent() ? options.retryPolicy().forIdempotent() : options.retryPolicy().forNonIdempotent();
        return Mono.defer(() -> {
            AtomicInteger attempts = new AtomicInteger(); // per call: the debug log of each exchange names its try
            return Mono.defer(() -> authorizedExchange(request)
                            .contextWrite(Context.of(AtlasTransport.ATTEMPT, attempts.incrementAndGet())))
                    .flatMap(response -> response.successful()
                            ? Mono.just(response)
                            : Mono.error(refused(request, response)))
                    .retryWhen(retry);
        });
    }

    /** A 429 or 503 that names a wait holds back every later call of the project for that long (at most {@link #MAX_HOLD}). */
    private AtlasApiException refused(AtlasRequest request, AtlasResponse response) {
        AtlasApiException error = AtlasErrors.fromResponse(request, response);
        if ((error.status() == 429 || error.status() == 503) && error.retryAfter() != null) {
            bucket(request).holdFor(error.retryAfter().compareTo(MAX_HOLD) > 0 ? MAX_HOLD : error.retryAfter());
        }
        return error;
    }

    private TokenBucket bucket(AtlasRequest request) {
        return buckets.computeIfAbsent(request.groupId() == null ? SHARED_BUCKET : request.groupId(),
                group -> new TokenBucket(options.requestsPerMinute(), Duration.ofMinutes(1), Schedulers.parallel()));
    }

    /** One try, which costs a second exchange when the first is answered by a fresh challenge or a token's end. */
    private Mono<AtlasResponse> authorizedExchange(AtlasRequest request) {
        return authorizer.grant(request.method(), request.target())
                .flatMap(grant -> budgeted(request, grant, false))
                .flatMap(first -> first.again()
                        .flatMap(grant -> budgeted(request, grant, true))
                        .map(Answered::response)
                        .defaultIfEmpty(first.response()));
    }

    /**
     * The budget, then a permit, and only then the Authorization header: signed in the order it is sent.
     * A second try goes ahead of the calls waiting for a permit: it holds the session a challenge just
     * made, which would otherwise sit idle behind them while each of them, finding no session free, pays
     * for a challenge of its own.
     */
    private Mono<Answered> budgeted(AtlasRequest request, RequestAuthorizer.Grant grant, boolean secondTry) {
        TokenBucket bucket = bucket(request);
        Duration held = bucket.heldFor();
        if (held.compareTo(options.retryPolicy().maxRetryAfter()) > 0) {
            grant.abandoned();
            return Mono.error(AtlasErrors.heldBack(request, held));
        }
        Supplier<Mono<Answered>> exchange = () -> Mono.defer(() -> transport.exchange(request, grant.authorization()))
                .doOnNext(response -> heedRateLimitHeaders(request, bucket, response))
                .map(response -> new Answered(response, grant.answered(response)))
                // Given back before the failure goes on, not after: a retry may start at once and must find it idle.
                .doOnError(error -> grant.abandoned())
                .doFinally(signal -> grant.abandoned());
        Mono<Void> pause = held.isZero() ? Mono.empty() : Mono.delay(held, Schedulers.parallel()).then();
        return pause.then(bucket.acquire()).then(secondTry ? limiter.runFirst(exchange) : limiter.run(exchange));
    }

    /**
     * {@code RateLimit-Remaining} (on 200s and 429s alike) is reported and bounds the project's budget, so that
     * a project close to Atlas's limit is paced instead of refused. Requests still in flight may not be counted
     * in it yet: they are taken off too.
     */
    private void heedRateLimitHeaders(AtlasRequest request, TokenBucket bucket, AtlasResponse response) {
        Integer remaining = headerInt(response, "RateLimit-Remaining");
        if (remaining == null) {
            return;
        }
        options.listener().onRateLimitRemaining(request.groupId(), remaining);
        // This exchange still holds its permit: the others in flight are the ones Atlas may not have counted.
        bucket.atlasBudget(headerInt(response, "RateLimit-Limit"), remaining, Math.max(0, limiter.inFlight() - 1));
    }

    private static Integer headerInt(AtlasResponse response, String name) {
        String value = response.headers() == null ? null : response.headers().get(name);
        try {
            return value == null ? null : Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /** An exchange's answer and, when it was a 401 worth answering, the grant to try once more with. */
    private record Answered(AtlasResponse response, Mono<RequestAuthorizer.Grant> again) {
    }

    private record Page<T>(int number, AtlasPages.ListBody<T> body) {
    }
}
