package io.github.atlasexport.atlas;

import java.net.URI;
import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * Everything an {@link AtlasClient} is built from; immutable.
 *
 * @param baseUrl           {@code https://cloud.mongodb.com}, or a simulator; a path here prefixes every request
 * @param requestTimeout    bound on each exchange, from connect to the last body byte
 * @param maxConcurrency    exchanges in flight at once, across all callers of the client
 * @param requestsPerMinute client-side budget per project (groupId); discovery calls share one more budget
 * @param retryPolicy       how transient failures (429, 5xx, timeouts, resets) are retried
 * @param listener          told about every exchange, auth challenges and retries included
 */
public record AtlasClientOptions(URI baseUrl, ApiVersion apiVersion, Credentials credentials, Duration requestTimeout,
                                 int maxConcurrency, int requestsPerMinute, RetryPolicy retryPolicy,
                                 ExchangeListener listener) {
    public static final URI DEFAULT_BASE_URL = URI.create("https://cloud.mongodb.com");
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CONCURRENCY = 8;
    public static final int DEFAULT_REQUESTS_PER_MINUTE = 60;

    public AtlasClientOptions {
        requireNonNull(baseUrl, "baseUrl must not be null");
        requireNonNull(apiVersion, "apiVersion must not be null");
        requireNonNull(credentials, "credentials must not be null");
        requireNonNull(requestTimeout, "requestTimeout must not be null");
        requireNonNull(retryPolicy, "retryPolicy must not be null");
        requireNonNull(listener, "listener must not be null");
        if ((!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, was " + baseUrl);
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
        }
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("maxConcurrency must be >= 1, was " + maxConcurrency);
        }
        if (requestsPerMinute < 1) {
            throw new IllegalArgumentException("requestsPerMinute must be >= 1, was " + requestsPerMinute);
        }
    }

    /** API v2, 30 s timeout, 8 in flight, 60 requests per minute per project, {@link RetryPolicy#defaults()}. */
    public static AtlasClientOptions create(URI baseUrl, Credentials credentials) {
        return new AtlasClientOptions(baseUrl, ApiVersion.V2, credentials, DEFAULT_REQUEST_TIMEOUT,
                DEFAULT_MAX_CONCURRENCY, DEFAULT_REQUESTS_PER_MINUTE, RetryPolicy.defaults(), ExchangeListener.NONE);
    }

    public AtlasClientOptions withApiVersion(ApiVersion value) {
        return new AtlasClientOptions(baseUrl, value, credentials, requestTimeout, maxConcurrency, requestsPerMinute, retryPolicy, listener);
    }

    public AtlasClientOptions withRequestTimeout(Duration value) {
        return new AtlasClientOptions(baseUrl, apiVersion, credentials, value, maxConcurrency, requestsPerMinute, retryPolicy, listener);
    }

    public AtlasClientOptions withMaxConcurrency(int value) {
        return new AtlasClientOptions(baseUrl, apiVersion, credentials, requestTimeout, value, requestsPerMinute, retryPolicy, listener);
    }

    public AtlasClientOptions withRequestsPerMinute(int value) {
        return new AtlasClientOptions(baseUrl, apiVersion, credentials, requestTimeout, maxConcurrency, value, retryPolicy, listener);
    }

    public AtlasClientOptions withRetryPolicy(RetryPolicy value) {
        return new AtlasClientOptions(baseUrl, apiVersion, credentials, requestTimeout, maxConcurrency, requestsPerMinute, value, listener);
    }

    public AtlasClientOptions withListener(ExchangeListener value) {
        return new AtlasClientOptions(baseUrl, apiVersion, credentials, requestTimeout, maxConcurrency, requestsPerMinute, retryPolicy, value);
    }
}
