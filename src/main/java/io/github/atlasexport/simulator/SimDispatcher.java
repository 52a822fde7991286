package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.ApiVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The way through for every request: control API, or else faults, auth, rate limit, version
 * negotiation and the resource itself, each exchange counted. Synchronous and cheap, so it runs on
 * the event loop; only injected latency waits, on a timer.
 */
final class SimDispatcher {
    private static final Logger log = LoggerFactory.getLogger(SimDispatcher.class);

    private final Simulation sim;
    private final ControlApi control;

    SimDispatcher(Simulation sim) {
        this.sim = sim;
        this.control = new ControlApi(sim);
    }

    /** Decides the delay up front (latency faults); the answer is computed once it has passed. */
    Prepared prepare(SimRequest request) {
        if (request.path().startsWith(ControlApi.PREFIX) || request.path().equals(ControlApi.ROOT)) {
            return new Prepared(Duration.ZERO, () -> control.handle(request));
        }
        ApiRoute route = ApiRoute.match(request.path());
        if (route == null) {
            return new Prepared(Duration.ZERO, () -> counted(request, RequestLog.UNMATCHED,
                    ApiError.notFound("RESOURCE_NOT_FOUND", "Cannot find resource " + request.path() + ".",
                            request.path()).toResponse()));
        }
        FaultInjector.Decision decision = sim.faults.before(route.groupId(), route.clusterName());
        return new Prepared(decision.latency(),
                () -> counted(request, route.template(), answer(request, route, decision.failure())));
    }

    /**
     * Every answer about a project carries its budget, as Atlas's do: {@code RateLimit-Limit} (requests a
     * minute) and {@code RateLimit-Remaining} (tokens left now).
     */
    private SimResponse answer(SimRequest request, ApiRoute route, Fault failure) {
        SimResponse response = answerOnce(request, route, failure);
        if (route.groupId() == null || !sim.limiter.enabled() || response.reset()) {
            return response;
        }
        return response.withHeader("RateLimit-Limit", Integer.toString(sim.limiter.refillPerMinute()))
                .withHeader("RateLimit-Remaining", Integer.toString(sim.limiter.remaining(route.groupId())));
    }

    private SimResponse answerOnce(SimRequest request, ApiRoute route, Fault failure) {
        try {
            if (failure != null) {
                return injected(failure, route);
            }
            if (route.endpoint() == ApiRoute.Endpoint.OAUTH_TOKEN) {
                requireMethod(request, route);
                admitTokenRequest(route);
                return sim.tokens.token(request);
            }
            if (route.endpoint() == ApiRoute.Endpoint.OAUTH_REVOKE) {
                requireMethod(request, route);
                return sim.tokens.revoke(request);
            }
            List<ProjectRole> roles = authenticate(request);
            requireMethod(request, route);
            Permissions.require(roles, route, request.method());
            admit(route);
            negotiate(request, route);
            SimResponse response = sim.api.handle(request, route);
            if (response.status() == 200 && sim.faults.malformed(route.groupId(), route.clusterName())) {
                return response.withBody(Arrays.copyOf(response.body(), response.body().length / 2));
            }
            return response;
        } catch (ApiError e) {
            return e.toResponse();
        } catch (RuntimeException e) {
            log.error("simulator failed on {} {}", request.method(), route.template(), e);
            return ApiError.of(500, "UNEXPECTED_ERROR", "Unexpected error.").toResponse();
        }
    }

    private SimResponse counted(SimRequest request, String route, SimResponse response) {
        sim.requests.record(request.method(), route, response.status(), response.digestChallenge());
        log.debug("{} {} -> {}", request.method(), route, response.reset() ? "reset" : response.status());
        return response;
    }

    /** The project roles of the caller, once its credentials are good. */
    private List<ProjectRole> authenticate(SimRequest request) {
        String authorization = request.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            String problem = sim.tokens.problemWith(token);
            if (problem != null) {
                throw ApiError.of(401, "INVALID_ACCESS_TOKEN", problem).withHeader("WWW-Authenticate",
                        "Bearer realm=\"" + DigestAuthenticator.REALM + "\", error=\"invalid_token\"");
            }
            return sim.permissions.ofServiceAccount(sim.tokens.clientOf(token));
        }
        DigestAuthenticator.Verdict verdict = sim.digest.verify(request.method(), request.uri(), authorization);
        if (!verdict.accepted()) {
            log.debug("digest rejected: {}", verdict.problem());
            throw ApiError.of(401, "UNAUTHORIZED", "You are not authorized for this resource.")
                    .withHeader("WWW-Authenticate", sim.digest.challenge(verdict.stale()));
        }
        return sim.permissions.ofDigestKey(verdict.user());
    }

    private static void requireMethod(SimRequest request, ApiRoute route) {
        if (!route.endpoint().allows(request.method())) {
            throw ApiError.of(405, "METHOD_NOT_ALLOWED",
                    "Method " + request.method() + " is not allowed on " + route.template() + ".", request.method());
        }
    }

    /** The per-project token bucket; calls outside a project are not limited. */
    private void admit(ApiRoute route) {
        if (route.groupId() == null) {
            return;
        }
        long waitSecs = sim.limiter.acquire(route.groupId());
        if (waitSecs > 0) {
            ApiError limited = tokenBucketRefusal(route, waitSecs, sim.limiter.capacity(), sim.limiter.refillPerMinute());
            throw sim.limiter.sendsRetryAfter() ? limited.withHeader("Retry-After", Long.toString(waitSecs)) : limited;
        }
    }

    /** The token endpoint's own limit: Atlas's {@code RATE_LIMITED}, parameters resource, requests, minutes. */
    private void admitTokenRequest(ApiRoute route) {
        long waitSecs = sim.tokenLimiter.acquire(route.template());
        if (waitSecs > 0) {
            int limit = Simulation.TOKEN_REQUESTS_PER_MINUTE;
            throw ApiError.of(429, "RATE_LIMITED", "Resource " + route.template() + " is limited to " + limit
                            + " requests every 1 minutes.", route.template(), limit, 1)
                    .withHeader("Retry-After", Long.toString(waitSecs));
        }
    }

    /** Atlas's documented 429: positional parameters endpoint, seconds to wait, capacity, refill, period (s). */
    private static ApiError tokenBucketRefusal(ApiRoute route, long waitSecs, int capacity, int refill) {
        String endpoint = route.template().substring(1);
        return ApiError.of(429, "RATE_LIMITED_TOKEN_BUCKET", "Rate limit exceeded for " + endpoint + ". Please retry after "
                + waitSecs + " seconds. Request capacity: " + capacity + ". Refill rate: " + refill + " per 60 seconds.",
                endpoint, waitSecs, capacity, refill, 60);
    }

    private static void negotiate(SimRequest request, ApiRoute route) {
        boolean post = request.method().equals("POST");
        if (route.version() == ApiVersion.V2) {
            if (!MediaTypes.acceptsV2(request.header("Accept"))) {
                throw ApiError.of(406, "INVALID_VERSION_DATE", "Invalid accept header or version date.");
            }
            if (post && !MediaTypes.isV2Body(request.header("Content-Type"))) {
                throw ApiError.of(415, "UNSUPPORTED_MEDIA_TYPE",
                        "Content-Type must be " + ApiVersion.V2.mediaType() + ".");
            }
        } else if (post && !String.valueOf(request.header("Content-Type")).startsWith("application/json")) {
            throw ApiError.of(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json.");
        }
    }

    private SimResponse injected(Fault fault, ApiRoute route) {
        return switch (fault.kind()) {
            case RESET -> SimResponse.connectionReset();
            case RATE_LIMIT -> {
                long secs = Math.max(1, fault.retryAfter().toSeconds());
                yield tokenBucketRefusal(route, secs, 100, 100).withHeader("Retry-After", Long.toString(secs)).toResponse();
            }
            default -> {
                int status = fault.status();
                ApiError error = status == 503
                        ? ApiError.of(503, "SERVICE_UNAVAILABLE", "The service is temporarily unavailable.")
                        : ApiError.of(status, "UNEXPECTED_ERROR", "Unexpected error.");
                yield (fault.retryAfter() == null ? error
                        : error.withHeader("Retry-After", Long.toString(fault.retryAfter().toSeconds()))).toResponse();
            }
        };
    }

    /** An answer to compute after {@code delay}. */
    record Prepared(Duration delay, Supplier<SimResponse> answer) {
    }
}
