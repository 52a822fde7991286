package io.github.atlasexport.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkListEntry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks compile and JMH's annotation processor registered them: {@code bench/run.sh jmh} will find them. */
class BenchmarkListUnitTests {

    @Test
    void everyBenchmarkIsRegisteredWithItsBaseline() throws IOException {
        Set<String> registered;
        try (InputStream list = getClass().getClassLoader().getResourceAsStream("META-INF/BenchmarkList")) {
            assertNotNull(list, "no META-INF/BenchmarkList on the test classpath");
            registered = new String(list.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank())
                    .map(line -> new BenchmarkListEntry(line).getUsername())
                    .collect(Collectors.toSet());
        }
        for (String benchmark : List.of(
                PageCostBenchmark.class.getName() + ".baseline", PageCostBenchmark.class.getName() + ".pipeline",
                ScrapeBenchmark.class.getName() + ".baseline", ScrapeBenchmark.class.getName() + ".scrape")) {
            assertTrue(registered.contains(benchmark), () -> benchmark + " not in " + registered);
        }
    }
}
