package io.github.atlasexport.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.util.function.IntSupplier;

import static java.util.Objects.requireNonNull;

/** Which shard this replica is ({@code atlas_export_shard_info}) and how many clusters it watches. */
final class ShardMetrics {

    private ShardMetrics() {
    }

    static void register(PrometheusRegistry registry, int shard, int shards, IntSupplier clusters) {
        requireNonNull(clusters, "clusters must not be null");
        Info.builder()
                .name("atlas_export_shard_info")
                .help("The shard this replica watches, of how many; always 1. Unsharded: shard 0 of 1.")
                .labelNames("shard", "shards")
                .register(registry)
                .setLabelValues(Integer.toString(shard), Integer.toString(shards));
        GaugeWithCallback.builder()
                .name("atlas_export_shard_clusters")
                .help("Clusters this replica watches: those of its shard, discovered ones included.")
                .callback(cb -> cb.call(clusters.getAsInt()))
                .register(registry);
    }
}
