package io.github.atlasexport.http;

/** Renders the metrics in the format the scraper's {@code Accept} header asks for. */
@FunctionalInterface
public interface MetricsScraper {

    Scrape scrape(String acceptHeader);

    record Scrape(String contentType, byte[] body) {
    }
}
