package io.github.atlasexport.atlas;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.core.publisher.Mono;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * HTTP Digest (RFC 7616) for the Atlas API keys. Keeps the last challenge and signs every request
 * with it pre-emptively, counting {@code nc} up, so that once a nonce is known each call costs one
 * exchange; only the first call (and one per nonce the server retires) pays for a 401 challenge.
 * Thread-safe: the nonce count is atomic and a new challenge replaces the session in one step.
 */
final class DigestAuthenticator implements RequestAuthorizer {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final String password;
    private final Supplier<String> cnonces;
    private final AtomicReference<Session> session = new AtomicReference<>();

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
    public Mono<String> authorization(String method, String target) {
        return Mono.fromSupplier(() -> header(method, target));
    }

    @Override
    public boolean renew(String sentAuthorization, HttpHeaders responseHeaders) {
        return accept(responseHeaders.getAll(HttpHeaderNames.WWW_AUTHENTICATE));
    }

    /** Takes the best Digest challenge of a 401; false when it offered none we can answer. */
    boolean accept(List<String> wwwAuthenticate) {
        return DigestChallenge.select(wwwAuthenticate)
                .map(challenge -> {
                    // Concurrent 401s often carry the nonce we already hold: keep its count going up.
                    session.updateAndGet(current -> current != null && current.answers(challenge) ? current : newSession(challenge));
                    return true;
                })
                .orElse(false);
    }

    /** The Authorization value for the next request, or null before the first challenge. */
    String header(String method, String uri) {
        Session current = session.get();
        if (current == null) {
            return null;
        }
        DigestChallenge challenge = current.challenge;
        String nc = String.format("%08x", current.nonceCount.incrementAndGet());
        String cnonce = current.sessionCnonce != null ? current.sessionCnonce : cnonces.get();
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

    private Session newSession(DigestChallenge challenge) {
        return new Session(challenge, challenge.algorithm().endsWith("-sess") ? cnonces.get() : null);
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String randomCnonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** What one challenge fixes: nonce, count, and for the -sess algorithms the client nonce the session is keyed on. */
    private static final class Session {
        final DigestChallenge challenge;
        final AtomicLong nonceCount = new AtomicLong();
        final String sessionCnonce;

        Session(DigestChallenge challenge, String sessionCnonce) {
            this.challenge = challenge;
            this.sessionCnonce = sessionCnonce;
        }

        /** Whether this session already answers {@code other}: same nonce, realm and algorithm. */
        boolean answers(DigestChallenge other) {
            return challenge.nonce().equals(other.nonce()) && challenge.realm().equals(other.realm())
                    && challenge.algorithm().equals(other.algorithm());
        }
    }
}
