package io.github.atlasexport.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.IllegalBCryptFormatException;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Checks HTTP basic credentials against bcrypt hashes (the web config's {@code basic_auth_users}).
 * bcrypt is slow on purpose, so it runs on the given bounded scheduler, never on the event loop, and a
 * success is remembered for {@link #REMEMBER} under a SHA-256 of user, password and hash (the password
 * itself is never kept). An unknown user is checked against a dummy hash of the same cost, so the answer
 * takes as long as for a known user with a wrong password.
 */
final class BasicAuth {
    static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final int MAX_REMEMBERED = 1024;
    private static final BCrypt.Verifyer BCRYPT = BCrypt.verifyer(null,
            LongPasswordStrategies.truncate(BCrypt.Version.VERSION_2A)); // as htpasswd: only 72 bytes count

    private final Map<String, String> users;
    private final String dummyHash;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Map<String, Instant> remembered = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();

    BasicAuth(Map<String, String> users, Scheduler scheduler, Clock clock) {
        this.users = Map.copyOf(requireNonNull(users, "users must not be null"));
        this.scheduler = requireNonNull(scheduler, "scheduler must not be null");
        this.clock = requireNonNull(clock, "clock must not be null");
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        dummyHash = BCrypt.withDefaults().hashToString(highestCost(users.values()),
                HexFormat.of().formatHex(random).toCharArray());
    }

    /** Whether any user is configured; without users every request is let in. */
    boolean enabled() {
        return !users.isEmpty();
    }

    /** For tests: the hash an unknown user's password is checked against. */
    String dummyHash() {
        return dummyHash;
    }

    /** Refused attempts so far ({@code atlas_export_http_auth_failures_total}). */
    long failures() {
        return failures.get();
    }

    /** True when {@code authorization} (the header, null when absent) names a user with the right password. */
    Mono<Boolean> allows(String authorization) {
        Credentials credentials = Credentials.parse(authorization);
        if (credentials == null) {
            if (authorization != null) {
                failures.incrementAndGet(); // a first request without credentials is no attempt yet
            }
            return Mono.just(false);
        }
        String hash = users.get(credentials.user());
        String key = cacheKey(credentials, hash);
        Instant until = remembered.get(key);
        if (hash != null && until != null && clock.instant().isBefore(until)) {
            return Mono.just(true);
        }
        return Mono.fromCallable(() -> verify(credentials, hash))
                .subscribeOn(scheduler)
                .doOnNext(ok -> {
                    if (ok) {
                        remember(key);
                    } else {
                        failures.incrementAndGet();
                    }
                });
    }

    private boolean verify(Credentials credentials, String hash) {
        boolean known = hash != null;
        BCrypt.Result result = BCRYPT.verify(credentials.password().getBytes(StandardCharsets.UTF_8),
                (known ? hash : dummyHash).getBytes(StandardCharsets.UTF_8));
        return known && result.verified;
    }

    private void remember(String key) {
        Instant now = clock.instant();
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.values().removeIf(until -> !now.isBefore(until));
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear(); // many users or many passwords: cheaper to verify again than to track
            }
        }
        remembered.put(key, now.plus(REMEMBER));
    }

    private static String cacheKey(Credentials credentials, String hash) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{credentials.user(), credentials.password(), String.valueOf(hash)}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static int highestCost(Iterable<String> hashes) {
        int cost = 4; // bcrypt's minimum
        for (String hash : hashes) {
            try {
                cost = Math.max(cost, BCrypt.Version.VERSION_2A.parser.parse(hash.getBytes(StandardCharsets.UTF_8)).cost);
            } catch (IllegalBCryptFormatException e) {
                throw new IllegalArgumentException("not a bcrypt hash (the web config loader checks them)", e);
            }
        }
        return cost;
    }

    /** The user and password of a {@code Basic} Authorization header; null when there is none or it is malformed. */
    record Credentials(String user, String password) {
        static Credentials parse(String header) {
            if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }

        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=****]";
        }
    }
}
