package io.github.atlasexport.atlas;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private final DigestAuthenticator rfcClient = new DigestAuthenticator("Mufasa", "Circle of Life", () -> CNONCE);

    @Test
    void md5ResponseMatchesRfc7616Example() {
        assertTrue(rfcClient.accept(List.of(MD5_CHALLENGE)));

        Map<String, String> sent = params(rfcClient.header("GET", "/dir/index.html"));

        assertEquals("8ca523f5e9506fed4657c9700eebdbec", sent.get("response"));
        assertEquals("MD5", sent.get("algorithm"));
        assertEquals("00000001", sent.get("nc"));
        assertEquals("auth", sent.get("qop"));
        assertEquals(CNONCE, sent.get("cnonce"));
        assertEquals(OPAQUE, sent.get("opaque"));
        assertEquals("Mufasa", sent.get("username"));
        assertEquals("/dir/index.html", sent.get("uri"));
    }

    @Test
    void sha256ResponseMatchesRfc7616Example() {
        assertTrue(rfcClient.accept(List.of(SHA256_CHALLENGE)));

        Map<String, String> sent = params(rfcClient.header("GET", "/dir/index.html"));

        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", sent.get("response"));
        assertEquals("SHA-256", sent.get("algorithm"));
    }

    @Test
    void prefersSha256WhenBothAreOffered() {
        assertTrue(rfcClient.accept(List.of(MD5_CHALLENGE, SHA256_CHALLENGE)));

        assertEquals("SHA-256", params(rfcClient.header("GET", "/dir/index.html")).get("algorithm"));
    }

    @Test
    void noHeaderBeforeTheFirstChallenge() {
        assertNull(rfcClient.header("GET", "/"));
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
        assertFalse(rfcClient.accept(List.of()));
    }

    @Test
    void withoutQopUsesTheRfc2069Form() {
        rfcClient.accept(List.of("Digest realm=\"" + REALM + "\", nonce=\"" + NONCE + "\""));

        Map<String, String> sent = params(rfcClient.header("GET", "/dir/index.html"));

        assertNull(sent.get("nc"));
        assertNull(sent.get("qop"));
        assertEquals(md5(md5("Mufasa:" + REALM + ":Circle of Life") + ":" + NONCE + ":" + md5("GET:/dir/index.html")),
                sent.get("response"));
    }

    @Test
    void md5SessKeysTheSessionOnNonceAndCnonce() {
        rfcClient.accept(List.of("Digest realm=\"r\", nonce=\"n\", qop=auth, algorithm=MD5-sess"));

        Map<String, String> sent = params(rfcClient.header("GET", "/x"));

        String ha1 = md5(md5("Mufasa:r:Circle of Life") + ":n:" + CNONCE);
        assertEquals(md5(ha1 + ":n:00000001:" + CNONCE + ":auth:" + md5("GET:/x")), sent.get("response"));
        assertEquals("MD5-sess", sent.get("algorithm"));
    }

    @Test
    void nonceCountGoesUpAcrossThreadsAndRestartsWithANewNonce() {
        DigestAuthenticator client = new DigestAuthenticator("key", "secret");
        client.accept(List.of("Digest realm=\"MMS Public API\", nonce=\"first\", qop=\"auth\""));
        Set<String> counts = ConcurrentHashMap.newKeySet();

        IntStream.range(0, 200).parallel().forEach(i -> counts.add(params(client.header("GET", "/p")).get("nc")));

        assertEquals(200, counts.size(), "every request got its own nc");
        assertTrue(counts.contains("000000c8"));
        assertEquals("000000c9", params(client.header("GET", "/p")).get("nc"));

        // The same nonce again (a concurrent 401) keeps counting; a new one (stale) starts over.
        client.accept(List.of("Digest realm=\"MMS Public API\", nonce=\"first\", qop=\"auth\""));
        assertEquals("000000ca", params(client.header("GET", "/p")).get("nc"));
        client.accept(List.of("Digest realm=\"MMS Public API\", nonce=\"second\", qop=\"auth\", stale=true"));
        Map<String, String> renewed = params(client.header("GET", "/p"));
        assertEquals("second", renewed.get("nonce"));
        assertEquals("00000001", renewed.get("nc"));
    }

    @Test
    void freshCnonceForEveryRequest() {
        DigestAuthenticator client = new DigestAuthenticator("key", "secret");
        client.accept(List.of("Digest realm=\"r\", nonce=\"n\", qop=auth"));
        Set<String> cnonces = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            cnonces.add(params(client.header("GET", "/p")).get("cnonce"));
        }
        assertEquals(10, cnonces.size());
        assertNotEquals(params(client.header("GET", "/a")).get("response"), params(client.header("GET", "/b")).get("response"));
    }

    private static Map<String, String> params(String header) {
        assertTrue(header.startsWith("Digest "), header);
        return DigestVerifier.params(header);
    }

    private static String md5(String text) {
        return DigestVerifier.md5(text);
    }
}
