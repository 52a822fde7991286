package io.github.atlasexport.alert;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Signs webhook bodies the Standard Webhooks way (standardwebhooks.com): HMAC-SHA256 over
 * {@code id.timestamp.body}. A {@code whsec_} secret carries its key in base64, as the spec's
 * libraries expect; any other secret is used as its UTF-8 bytes.
 *
 * <p>The HMAC is set up once, here, and each signature works on a clone of it: looking up the
 * provider at the first delivery instead failed when that happened to be while file descriptors ran
 * out, and took the delivery loop down with it. A JVM that cannot sign fails at startup, saying so.
 */
public final class StandardWebhooksSigner {
    private static final String PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";
    private final Mac prototype;

    public StandardWebhooksSigner(String secret) {
        requireNonNull(secret, "secret must not be null");
        byte[] bytes;
        if (secret.startsWith(PREFIX)) {
            try {
                bytes = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                // No cause and no text from the secret: the message must not leak it.
                throw new IllegalArgumentException("webhook secret starts with whsec_ but the rest is not base64");
            }
        } else {
            bytes = secret.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException("webhook secret must not be empty");
        }
        this.prototype = initialised(new SecretKeySpec(bytes, ALGORITHM));
    }

    private static Mac initialised(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.clone(); // the provider must support it: every signature clones this one
            return mac;
        } catch (GeneralSecurityException | CloneNotSupportedException | RuntimeException | LinkageError e) {
            // Only the type: nothing of the key reaches the message.
            throw new IllegalStateException("cannot sign webhooks: " + ALGORITHM + " is not usable in this JVM ("
                    + e.getClass().getName() + ")");
        }
    }

    /** The {@code webhook-signature} value: {@code v1,<base64 signature>}. */
    public String signature(String id, long timestampSeconds, byte[] body) {
        try {
            Mac mac = (Mac) prototype.clone(); // the prototype itself is never updated, so clones are thread-safe
            mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("checked at construction", e);
        }
    }

    /** The three Standard Webhooks headers for one delivery attempt. */
    public Map<String, String> headers(String id, long timestampSeconds, byte[] body) {
        return Map.of("webhook-id", id,
                "webhook-timestamp", Long.toString(timestampSeconds),
                "webhook-signature", signature(id, timestampSeconds, body));
    }

    @Override
    public String toString() {
        return "StandardWebhooksSigner[key=****]";
    }
}
