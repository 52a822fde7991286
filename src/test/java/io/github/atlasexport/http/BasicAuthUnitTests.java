package io.github.atlasexport.http;

import at.favre.lib.crypto.bcrypt.BCrypt;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Basic auth against bcrypt hashes: every check that could reveal a user runs bcrypt, successes are remembered briefly. */
class BasicAuthUnitTests {
    /** "right horse", cost 6: the cost the dummy hash must match. */
    private static final String HASH = BCrypt.withDefaults().hashToString(6, "right horse".toCharArray());

    private final AtomicInteger bcryptRuns = new AtomicInteger();
    private final Scheduler counting = Schedulers.fromExecutor(task -> {
        bcryptRuns.incrementAndGet();
        task.run();
    });
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final BasicAuth auth = new BasicAuth(Map.of("prometheus", HASH), counting, new MovableClock(now));

    @Test
    void theRightPasswordIsLetInAndRememberedForAMinute() {
        assertTrue(allows("prometheus", "right horse"));
        assertTrue(allows("prometheus", "right horse"));
        assertEquals(1, bcryptRuns.get(), "the second check is answered from memory");

        now.set(now.get().plus(BasicAuth.REMEMBER));
        assertTrue(allows("prometheus", "right horse"));
        assertEquals(2, bcryptRuns.get(), "after a minute bcrypt runs again");
        assertEquals(0, auth.failures());
    }

    @Test
    void anUnknownUserCostsABcryptRunLikeAWrongPasswordAndBothCount() throws Exception {
        assertFalse(allows("prometheus", "wrong"));
        assertFalse(allows("nobody", "right horse"));
        assertFalse(allows("nobody", "right horse"), "a refusal is never remembered");

        assertEquals(3, bcryptRuns.get());
        assertEquals(3, auth.failures());
        assertEquals(6, BCrypt.Version.VERSION_2A.parser.parse(auth.dummyHash().getBytes(StandardCharsets.UTF_8)).cost,
                "the dummy hash costs what the users' hashes cost");
    }

    @Test
    void noOrMalformedCredentialsAreRefusedWithoutBcrypt() {
        assertFalse(auth.allows(null).block());
        assertEquals(0, auth.failures(), "no credentials yet is not a failed attempt");
        assertFalse(auth.allows("Basic not-base64!").block());
        assertFalse(auth.allows("Bearer abc").block());
        assertFalse(auth.allows("Basic " + base64("no-colon")).block());
        assertEquals(3, auth.failures());
        assertEquals(0, bcryptRuns.get());
    }

    private boolean allows(String user, String password) {
        return auth.allows("Basic " + base64(user + ":" + password)).block();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final class MovableClock extends Clock {
        private final AtomicReference<Instant> now;

        MovableClock(AtomicReference<Instant> now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }
}
