package io.github.atlasexport.atlas;

import io.github.atlasexport.atlas.RequestAuthorizer.Grant;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestAuthenticatorUnitTests {
    // RFC 7616 section 3.9.1.
    private static final String REALM = "http-auth@example.org";
    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    private static final String SHA256_CHALLENGE = "Digest realm=\"" + REALM + "\", qop=\"auth, auth-int\", algorithm=SHA-256, "
            + "nonce=\"" + NONCE + "\", opaque=\"" + OPAQUE + "\"";
    private static final String MD5_CHALLENGE = "Digest realm=\"" + REALM + "\", qop=\"auth, auth-int\", algorithm=MD5, "
            + "nonce=\"" + NONCE + "\", opaque=\"" + OPAQUE + "\"";
    private static final String RFC_URI = "/dir/index.html";
    private static final AtlasResponse OK = new AtlasResponse(200, EmptyHttpHeaders.INSTANCE, "{}".getBytes(StandardCharsets.UTF_8));

    private final DigestAuthenticator rfcClient = new DigestAuthenticator("Mufasa", "Circle of Life", () -> CNONCE);
    private final DigestAuthenticator client = new DigestAuthenticator("key", "secret");

    @Test
    void md5ResponseMatchesRfc7616Example() {
        Map<String, String> sent = params(challenged(rfcClient, RFC_URI, MD5_CHALLENGE).authorization());

        assertEquals("8ca523f5e9506fed4657c9700eebdbec", sent.get("response"));
        assertEquals("MD5", sent.get("algorithm"));
        assertEquals("00000001", sent.get("nc"));
        assertEquals("auth", sent.get("qop"));
        assertEquals(CNONCE, sent.get("cnonce"));
        assertEquals(OPAQUE, sent.get("opaque"));
        assertEquals("Mufasa", sent.get("username"));
        assertEquals(RFC_URI, sent.get("uri"));
    }

    @Test
    void sha256ResponseMatchesRfc7616Example() {
        Map<String, String> sent = params(challenged(rfcClient, RFC_URI, SHA256_CHALLENGE).authorization());

        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", sent.get("response"));
        assertEquals("SHA-256", sent.get("algorithm"));
    }

    @Test
    void prefersSha256WhenBothAreOffered() {
        assertEquals("SHA-256", params(challenged(rfcClient, RFC_URI, MD5_CHALLENGE, SHA256_CHALLENGE).authorization()).get("algorithm"));
    }

    @Test
    void noHeaderBeforeTheFirstChallenge() {
        rfcClient.grant("GET", "/").as(StepVerifier::create)
                .assertNext(grant -> assertNull(grant.authorization()))
                .verifyComplete();
    }

    @Test
    void parsesQuotedUnquotedAndEscapedValuesAndStale() {
        DigestChallenge challenge = DigestChallenge.select(List.of(
                "Basic realm=\"other\", Digest realm=\"MMS \\\"Public\\\" API\",nonce=abc123,algorithm=md5, qop=\"auth\", stale=TRUE"))
                .orElseThrow();

        assertEquals("MMS \"Public\" API", challenge.realm());
        assertEquals("abc123", challenge.nonce());
        assertEquals("MD5", challenge.algorithm());
        assertTrue(challenge.qopAuth());
        assertTrue(challenge.stale());
        assertNull(challenge.opaque());
    }

    @Test
    void ignoresWhatItCannotAnswer() {
        assertTrue(DigestChallenge.select(List.of("Basic realm=\"x\"")).isEmpty());
        assertTrue(DigestChallenge.select(List.of("Digest realm=\"x\", nonce=\"n\", qop=\"auth-int\"")).isEmpty());
        assertTrue(DigestChallenge.select(List.of("Digest realm=\"x\", nonce=\"n\", algorithm=SHA-512-256")).isEmpty());
        assertTrue(DigestChallenge.select(List.of("Digest realm=\"x\"")).isEmpty());
        assertTrue(DigestChallenge.select(List.of("Negotiate abc==, Bearer")).isEmpty());
        // A 401 without a challenge we can answer is final.
        unsigned(rfcClient).answered(unauthorized()).as(StepVerifier::create).verifyComplete();
        unsigned(rfcClient).answered(unauthorized("Basic realm=\"x\"")).as(StepVerifier::create).verifyComplete();
    }

    @Test
    void withoutQopUsesTheRfc2069Form() {
        Map<String, String> sent = params(challenged(rfcClient, RFC_URI, "Digest realm=\"" + REALM + "\", nonce=\"" + NONCE + "\"")
                .authorization());

        assertNull(sent.get("nc"));
        assertNull(sent.get("qop"));
        assertEquals(md5(md5("Mufasa:" + REALM + ":Circle of Life") + ":" + NONCE + ":" + md5("GET:" + RFC_URI)),
                sent.get("response"));
    }

    @Test
    void md5SessKeysTheSessionOnNonceAndCnonce() {
        Map<String, String> sent = params(challenged(rfcClient, "/x", "Digest realm=\"r\", nonce=\"n\", qop=auth, algorithm=MD5-sess")
                .authorization());

        String ha1 = md5(md5("Mufasa:r:Circle of Life") + ":n:" + CNONCE);
        assertEquals(md5(ha1 + ":n:00000001:" + CNONCE + ":auth:" + md5("GET:/x")), sent.get("response"));
        assertEquals("MD5-sess", sent.get("algorithm"));
    }

    @Test
    void aSessionServesOneExchangeAtATimeAndGoesBackToThePoolWhenAnswered() {
        Grant first = challenged(client, "/p", challenge("n1"));
        assertEquals("n1 00000001", nonceAndCount(first.authorization()));

        Grant concurrent = unsigned(client); // n1 is lent to the first exchange: the pool is empty
        Grant concurrentAgain = concurrent.answered(unauthorized(challenge("n2"))).block();
        assertEquals("n2 00000001", nonceAndCount(concurrentAgain.authorization()));

        first.answered(OK).as(StepVerifier::create).verifyComplete();
        concurrentAgain.answered(OK).as(StepVerifier::create).verifyComplete();
        // The most recently returned session is lent first; each counts on from where it stopped.
        assertEquals("n2 00000002", nonceAndCount(client.grant("GET", "/p").block().authorization()));
        assertEquals("n1 00000002", nonceAndCount(client.grant("GET", "/p").block().authorization()));
        assertNull(client.grant("GET", "/p").block().authorization(), "two sessions, both lent");
    }

    @Test
    void aRefusedSessionIsDroppedForTheOneThe401Brings() {
        Grant first = challenged(client, "/p", challenge("n1"));
        first.authorization();
        answer(first, OK);
        Grant refused = client.grant("GET", "/p").block();
        assertEquals("n1 00000002", nonceAndCount(refused.authorization()));

        Grant again = refused.answered(unauthorized(challenge("n2") + ", stale=true")).block();
        assertEquals("n2 00000001", nonceAndCount(again.authorization()));
        answer(again, OK);

        assertEquals("n2 00000002", nonceAndCount(client.grant("GET", "/p").block().authorization()));
        assertNull(client.grant("GET", "/p").block().authorization(), "n1 is gone, n2 is lent");
    }

    @Test
    void aSessionGoesBackToThePoolHoweverItsExchangeEndsUnlessRefused() {
        Grant throttled = challenged(client, "/p", challenge("n1"));
        throttled.authorization();
        answer(throttled, new AtlasResponse(429, EmptyHttpHeaders.INSTANCE, new byte[0]));
        throttled.abandoned(); // the end of every exchange: no effect once answered

        Grant lost = client.grant("GET", "/p").block();
        assertEquals("n1 00000002", nonceAndCount(lost.authorization()));
        lost.abandoned(); // timed out: the server may or may not have seen nc 2, and either is fine

        assertEquals("n1 00000003", nonceAndCount(signed(client)));
        assertEquals("n1 00000004", nonceAndCount(signed(client)), "still the only session");
    }

    @Test
    void eachNonceCountsOneByOneInSigningOrderWhateverTheConcurrency() throws Exception {
        int threads = 8;
        int callsPerThread = 500;
        AtomicInteger nonces = new AtomicInteger();
        Map<String, List<Long>> countsByNonce = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        Grant grant = client.grant("GET", "/p").block();
                        String header = grant.authorization();
                        if (header == null) {
                            grant = grant.answered(unauthorized(challenge("n" + nonces.incrementAndGet()))).block();
                            header = grant.authorization();
                        }
                        Map<String, String> sent = params(header);
                        // Recorded while the session is lent, so in the order its counts were signed (and sent).
                        countsByNonce.computeIfAbsent(sent.get("nonce"), n -> new ArrayList<>())
                                .add(Long.parseLong(sent.get("nc"), 16));
                        answer(grant, OK);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertTrue(countsByNonce.size() <= threads, "one session per exchange in flight at most: " + countsByNonce.size());
        assertEquals(threads * callsPerThread, countsByNonce.values().stream().mapToInt(List::size).sum());
        countsByNonce.forEach((nonce, counts) -> assertEquals(
                IntStream.rangeClosed(1, counts.size()).asLongStream().boxed().toList(), counts, "nc of " + nonce));
    }

    @Test
    void freshCnonceForEveryRequestExceptWithinASessSession() {
        Grant first = challenged(client, "/p", challenge("n1"));
        first.authorization();
        answer(first, OK);
        Set<String> cnonces = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            cnonces.add(params(signed(client)).get("cnonce"));
        }
        assertEquals(10, cnonces.size());
        assertNotEquals(params(signed(client, "/a")).get("response"), params(signed(client, "/b")).get("response"));

        DigestAuthenticator sessClient = new DigestAuthenticator("key", "secret");
        Grant sess = challenged(sessClient, "/p", "Digest realm=\"r\", nonce=\"s\", qop=auth, algorithm=SHA-256-sess");
        String sessionCnonce = params(sess.authorization()).get("cnonce");
        answer(sess, OK);
        Map<String, String> second = params(signed(sessClient));
        assertEquals(sessionCnonce, second.get("cnonce"));
        assertEquals("00000002", second.get("nc"));
    }

    /** The grant a first, unsigned exchange of {@code uri} gets from a 401 carrying {@code challenges}. */
    private static Grant challenged(DigestAuthenticator client, String uri, String... challenges) {
        Grant first = client.grant("GET", uri).block();
        assertNull(first.authorization(), "expected an empty pool");
        return first.answered(unauthorized(challenges)).block();
    }

    /** A grant that finds the pool empty. */
    private static Grant unsigned(DigestAuthenticator client) {
        Grant grant = client.grant("GET", "/p").block();
        assertNull(grant.authorization());
        return grant;
    }

    /** One exchange of GET /p signed and answered 200; its Authorization header. */
    private static String signed(DigestAuthenticator client) {
        return signed(client, "/p");
    }

    private static String signed(DigestAuthenticator client, String uri) {
        Grant grant = client.grant("GET", uri).block();
        String header = grant.authorization();
        answer(grant, OK);
        return header;
    }

    private static void answer(Grant grant, AtlasResponse response) {
        assertNull(grant.answered(response).block());
    }

    private static String challenge(String nonce) {
        return "Digest realm=\"MMS Public API\", nonce=\"" + nonce + "\", algorithm=MD5, qop=\"auth\"";
    }

    private static AtlasResponse unauthorized(String... challenges) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (String challenge : challenges) {
            headers.add(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
        }
        return new AtlasResponse(401, headers, "{\"error\":401}".getBytes(StandardCharsets.UTF_8));
    }

    private static String nonceAndCount(String header) {
        Map<String, String> sent = params(header);
        return sent.get("nonce") + " " + sent.get("nc");
    }

    private static Map<String, String> params(String header) {
        assertTrue(header != null && header.startsWith("Digest "), String.valueOf(header));
        return DigestVerifier.params(header);
    }

    private static String md5(String text) {
        return DigestVerifier.md5(text);
    }
}
