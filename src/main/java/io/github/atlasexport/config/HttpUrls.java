package io.github.atlasexport.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** Parsing of the http(s) URLs the config holds (Atlas base URL, sink URLs). */
final class HttpUrls {

    private HttpUrls() {
    }

    /** An absolute {@code http} or {@code https} URI with a host; empty for anything else. */
    static Optional<URI> parse(String text) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme();
            boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
            return http && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
