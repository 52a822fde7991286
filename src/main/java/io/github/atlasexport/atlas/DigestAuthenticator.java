package io.github.atlasexport.atlas;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;

import java.security.SecureRandom;
import java.util.Deque;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * HTTP Digest (RFC 7616) for the Atlas API keys, signing pre-emptively so that once nonces are known
 * each call costs one exchange.
 *
 * <p>What one challenge fixes (nonce, opaque, algorithm, the client nonce of a -sess algorithm, and a
 * nonce count going up from 1) is a {@link Session}. Sessions wait in a pool, and each is lent to one
 * exchange at a time, from when the exchange holds its in-flight permit and is signed until its answer
 * is in; so each nonce's {@code nc} values reach the server one by one, in order and without gaps,
 * however many calls run at once and however they queue. A strict server accepts that: one that refuses
 * a count not above the last one seen, or, like Apache httpd's {@code AuthDigestNcCheck}, anything but
 * the next one. An exchange that finds the pool empty goes unsigned and the challenge it gets becomes
 * a new session, lent straight to its second try: the pool grows to the number of exchanges in flight
 * at once, one challenge each, and stays there. A session whose nonce is refused (stale or not) is
 * dropped for the one the 401 brings. One whose exchange got no answer goes back to the pool like any
 * other: the server may not have seen its {@code nc}, a gap that servers allow (and that costs one
 * challenge where they do not, as dropping the session would).
 */
final class DigestAuthenticator implements RequestAuthorizer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final String username;
    private final String password;
    private final Supplier<String> cnonces;
    /** Idle sessions, the most recently used first: a burst's extra sessions sink and the busy few stay fresh. */
    private final Deque<Session> idle = new ConcurrentLinkedDeque<>();

    DigestAuthenticator(String username, String password) {
        this(username, password, DigestAuthenticator::randomCnonce);
    }

    /** {@code cnonces} is a seam for the RFC test vectors, which fix the client nonce. */
    DigestAuthenticator(String username, String password, Supplier<String> cnonces) {
        this.username = requireNonNull(username, "username must not be null");
        this.password = requireNonNull(password, "password must not be null");
        this.cnonces = requireNonNull(cnonces, "cnonces must not be null");
    }

    @Override
    public Mono<Grant> grant(String method, String target) {
        return Mono.fromSupplier(() -> new Lease(method, target, null));
    }

    private String header(Session session, String method, String uri) {
        DigestChallenge challenge = session.challenge;
        String nc = HEX.toHexDigits((int) ++session.nonceCount); // 8 hex digits, as RFC 7616 writes nc
        String cnonce = session.sessionCnonce != null ? session.sessionCnonce : cnonces.get();
        String response = DigestHash.response(challenge.algorithm(), username, challenge.realm(), password, method, uri,
                challenge.nonce(), nc, cnonce, challenge.qopAuth() ? "auth" : null);
        StringBuilder header = new StringBuilder("Digest ")
                .append("username=").append(quote(username))
                .append(", realm=").append(quote(challenge.realm()))
                .append(", uri=").append(quote(uri))
                .append(", algorithm=").append(challenge.algorithm())
                .append(", nonce=").append(quote(challenge.nonce()));
        if (challenge.qopAuth()) {
            header.append(", nc=").append(nc)
                    .append(", cnonce=").append(quote(cnonce))
                    .append(", qop=auth");
        }
        header.append(", response=").append(quote(response));
        if (challenge.opaque() != null) {
            header.append(", opaque=").append(quote(challenge.opaque()));
        }
        return header.toString();
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String randomCnonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** One exchange's hold on a session: the one it was given (a second try's), else an idle one, else none. */
    private final class Lease implements Grant {
        private final String method;
        private final String uri;
        private final AtomicReference<Session> held;

        Lease(String method, String uri, Session given) {
            this.method = method;
            this.uri = uri;
            this.held = new AtomicReference<>(given);
        }

        @Override
        public String authorization() {
            Session session = held.get();
            if (session == null) {
                session = idle.pollFirst();
                held.set(session);
            }
            return session == null ? null : header(session, method, uri);
        }

        @Override
        public Mono<Grant> answered(AtlasResponse response) {
            if (response.status() != 401) {
                release();
                return Mono.empty();
            }
            // The session the 401 refused is dropped; a challenge we can answer starts the next one.
            held.set(null);
            return Mono.justOrEmpty(DigestChallenge.select(response.headers().getAll(HttpHeaderNames.WWW_AUTHENTICATE)))
                    .map(challenge -> new Lease(method, uri,
                            new Session(challenge, challenge.algorithm().endsWith("-sess") ? cnonces.get() : null)));
        }

        @Override
        public void abandoned() {
            release();
        }

        private void release() {
            Session session = held.getAndSet(null);
            if (session != null) {
                idle.offerFirst(session);
            }
        }
    }

    /** What one challenge fixes: nonce, count, and for the -sess algorithms the client nonce the session is keyed on. */
    private static final class Session {
        final DigestChallenge challenge;
        final String sessionCnonce;
        /** Touched by one exchange at a time; the pool's hand-over orders the touches. */
        long nonceCount;

        Session(DigestChallenge challenge, String sessionCnonce) {
            this.challenge = challenge;
            this.sessionCnonce = sessionCnonce;
        }
    }
}
