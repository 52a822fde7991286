package io.github.atlasexport.simulator;

import io.github.atlasexport.atlas.DigestHash;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DigestAuthenticatorUnitTests {
    private static final String URI = "/api/atlas/v2/groups?pageNum=1";

    private final SimClock clock = SimClock.startingAt(Instant.parse("2026-11-24T10:00:00Z"));
    private final DigestAuthenticator digest =
            new DigestAuthenticator(Map.of("sim-public", "sim-private"), Duration.ofMinutes(5), clock);

    @Test
    void parsesQuotedTokenAndEscapedParameters() {
        Map<String, String> p = DigestAuthenticator.parseParams(
                "username=\"a\\\"b\", realm=\"MMS Public API\", nc=00000002,qop=auth , uri=\"/x?a=1,b=2\"");
        assertEquals("a\"b", p.get("username"));
        assertEquals("MMS Public API", p.get("realm"));
        assertEquals("00000002", p.get("nc"));
        assertEquals("auth", p.get("qop"));
        assertEquals("/x?a=1,b=2", p.get("uri"));
    }

    @Test
    void challengeOffersMd5AndAuthInTheAtlasRealm() {
        String challenge = digest.challenge(false);
        assertTrue(challenge.startsWith("Digest realm=\"MMS Public API\""), challenge);
        assertTrue(challenge.contains("algorithm=MD5") && challenge.contains("qop=\"auth\"") && challenge.endsWith("stale=false"));
    }

    @Test
    void acceptsTheRightKeyAndReusesANonceWithIncreasingNc() {
        SimHttp.DigestNonce nonce = new SimHttp.DigestNonce(digest.challenge(false));
        assertTrue(digest.verify("GET", URI, nonce.authorization("sim-public", "sim-private", "GET", URI)).accepted());
        DigestAuthenticator.Verdict second = digest.verify("GET", URI, nonce.authorization("sim-public", "sim-private", "GET", URI));
        assertEquals("sim-public", second.user());
    }

    @Test
    void rejectsAReplayedNc() {
        SimHttp.DigestNonce nonce = new SimHttp.DigestNonce(digest.challenge(false));
        String first = nonce.authorizationWithNc("sim-public", "sim-private", "GET", URI, 3);
        assertTrue(digest.verify("GET", URI, first).accepted());
        DigestAuthenticator.Verdict replay = digest.verify("GET", URI, first);
        assertFalse(replay.accepted());
        assertFalse(replay.stale());
        assertEquals("nonce count not above the last one (replayed or out of order)", replay.problem());
    }

    @Test
    void countsMustGoUpButMaySkip() {
        SimHttp.DigestNonce nonce = new SimHttp.DigestNonce(digest.challenge(false));
        assertTrue(verify(nonce, 1).accepted());
        assertTrue(verify(nonce, 3).accepted(), "nc 2 was lost on the way");
        assertFalse(verify(nonce, 2).accepted(), "overtaken by 3: a strict server cannot tell it from a replay");
        assertTrue(verify(nonce, 4).accepted());
        SimHttp.DigestNonce other = new SimHttp.DigestNonce(digest.challenge(false));
        assertTrue(verify(other, 1).accepted(), "every nonce counts on its own");
    }

    @Test
    void rejectsWrongPasswordUnknownKeyForgedNonceAndOtherUri() {
        SimHttp.DigestNonce nonce = new SimHttp.DigestNonce(digest.challenge(false));
        assertEquals("wrong credentials",
                digest.verify("GET", URI, nonce.authorization("sim-public", "nope", "GET", URI)).problem());
        assertEquals("unknown API key",
                digest.verify("GET", URI, nonce.authorization("someone", "sim-private", "GET", URI)).problem());
        assertFalse(digest.verify("GET", "/other", nonce.authorization("sim-public", "sim-private", "GET", URI)).accepted());
        SimHttp.DigestNonce forged = new SimHttp.DigestNonce("Digest nonce=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"");
        assertEquals("nonce not issued here",
                digest.verify("GET", URI, forged.authorization("sim-public", "sim-private", "GET", URI)).problem());
        assertFalse(digest.verify("GET", URI, null).accepted());
        assertFalse(digest.verify("GET", URI, "Basic abc").accepted());
    }

    @Test
    void anExpiredNonceWithTheRightPasswordIsStaleAndWithAWrongOneIsNot() {
        SimHttp.DigestNonce nonce = new SimHttp.DigestNonce(digest.challenge(false));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        DigestAuthenticator.Verdict right = digest.verify("GET", URI, nonce.authorization("sim-public", "sim-private", "GET", URI));
        assertFalse(right.accepted());
        assertTrue(right.stale());
        assertFalse(digest.verify("GET", URI, nonce.authorization("sim-public", "wrong", "GET", URI)).stale());
    }

    @Test
    void acceptsSha256AnswersToo() {
        String nonce = DigestAuthenticator.parseParams(digest.challenge(false).substring(7)).get("nonce");
        String response = DigestHash.response("SHA-256", "sim-public", DigestAuthenticator.REALM, "sim-private",
                "GET", URI, nonce, "00000001", "xyz", "auth");
        String header = "Digest username=\"sim-public\", realm=\"MMS Public API\", nonce=\"" + nonce + "\", uri=\"" + URI
                + "\", algorithm=SHA-256, qop=auth, nc=00000001, cnonce=\"xyz\", response=\"" + response + "\"";
        assertTrue(digest.verify("GET", URI, header).accepted());
    }

    private DigestAuthenticator.Verdict verify(SimHttp.DigestNonce nonce, int nc) {
        return digest.verify("GET", URI, nonce.authorizationWithNc("sim-public", "sim-private", "GET", URI, nc));
    }
}
