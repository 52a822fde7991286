package io.github.atlasexport.alert;

import reactor.core.publisher.Mono;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;


/**
 * The generic JSON webhook (SPEC section 6). Every request carries {@code webhook-id} and
 * {@code webhook-timestamp} so receivers can drop duplicates; with a secret it is also signed the
 * Standard Webhooks way. The timestamp is taken per attempt, as receivers reject stale ones.
 */
public final class WebhookSink extends HttpSink {
    private final StandardWebhooksSigner signer;

    /** @param secret null for unsigned deliveries */
    WebhookSink(String name, URI url, String secret, Map<String, String> headers, HttpPoster poster) {
        super(name, url, headers, poster);
        this.signer = secret == null || secret.isEmpty() ? null : new StandardWebhooksSigner(secret);
    }

    @Override
    public Mono<DeliveryResult> deliver(AlertNotice notice) {
        return Mono.defer(() -> {
            byte[] body = WebhookPayload.render(notice);
            long timestamp = poster.clock().instant().getEpochSecond();
            Map<String, String> request = new LinkedHashMap<>();
            if (signer != null) {
                request.putAll(signer.headers(notice.id(), timestamp, body));
            } else {
                request.put("webhook-id", notice.id());
                request.put("webhook-timestamp", Long.toString(timestamp));
            }
            return post(url, request, body);
        });
    }
}
