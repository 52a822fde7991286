package io.github.atlasexport.config;

import io.github.atlasexport.config.MonitorConfig.Sink;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps {@code alerts.sinks}: each item has a {@code type} and the keys of that type; {@code headers}
 * (extra HTTP headers) is allowed on every type. Sink URLs and secrets are never quoted in messages:
 * a Slack or webhook URL often carries its token in the path.
 */
final class SinkMapper {

    static final List<String> TYPES = List.of("webhook", "slack", "alertmanager", "pagerduty");

    private SinkMapper() {
    }

    static List<Sink> sinks(Section alerts, SecretReader secrets) {
        List<Sink> sinks = new ArrayList<>();
        for (Section s : alerts.sections("sinks")) {
            sink(s, secrets).ifPresent(sinks::add);
        }
        return sinks;
    }

    private static Optional<Sink> sink(Section s, SecretReader secrets) {
        Optional<String> type = s.required("type").map(String::strip);
        if (type.isEmpty()) {
            return Optional.empty(); // which keys are allowed depends on the type: nothing more to check
        }
        Sink sink = switch (type.get()) {
            case "webhook" -> new Sink("webhook", url(s, null), secrets.read(s, "secret", false).orElse(null),
                    null, headers(s));
            case "slack" -> new Sink("slack", secrets.read(s, "url", true).flatMap(text -> parseUrl(s, text)).orElse(null),
                    null, null, headers(s)); // the webhook URL holds Slack's token: a secret
            case "alertmanager" -> new Sink(type.get(), url(s, null), null, null, headers(s));
            case "pagerduty" -> new Sink("pagerduty", url(s, ConfigDefaults.PAGERDUTY_URL), null,
                    secrets.read(s, "routingKey", true).orElse(null), headers(s));
            default -> {
                String hint = KeyHints.closest(type.get(), TYPES).map(t -> " (did you mean '" + t + "'?)")
                        .orElse(" (expected one of: " + String.join(", ", TYPES) + ")");
                s.problem("type", "unknown sink type " + s.quoted("type", type.get()) + hint);
                yield null;
            }
        };
        if (sink != null) {
            sink = new Sink(sink.type(), sink.url(), sink.secret(), sink.routingKey(), sink.headers(),
                    ConfigMapper.deliveryTimeout(s, null));
            s.finish();
        }
        return Optional.ofNullable(sink);
    }

    private static URI url(Section s, URI fallback) {
        Optional<String> text = fallback == null ? s.required("url") : s.text("url");
        return text.flatMap(t -> parseUrl(s, t)).orElse(fallback);
    }

    private static Optional<URI> parseUrl(Section s, String text) {
        Optional<URI> url = HttpUrls.parse(text);
        if (url.isEmpty()) {
            s.problem("url", "must be an absolute http(s) URL");
        }
        return url;
    }

    /** Header values often hold tokens: checked for line breaks (header injection), never echoed. */
    private static Map<String, String> headers(Section s) {
        Map<String, String> headers = s.stringMap("headers");
        headers.forEach((name, value) -> {
            if (name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
                s.problemAt(KeyPaths.child(s.path("headers"), name), "not a valid HTTP header name");
            } else if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                s.problemAt(KeyPaths.child(s.path("headers"), name), "must not contain line breaks");
            }
        });
        return headers;
    }
}
