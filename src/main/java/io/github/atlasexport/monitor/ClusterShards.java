package io.github.atlasexport.monitor;

import io.github.atlasexport.config.MonitorConfig;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * Which shard watches a cluster: FNV-1a 64 over the UTF-8 bytes of {@code groupId + "/" + clusterName},
 * read as an unsigned number, modulo the number of shards. Every replica and every version must agree
 * on it (a cluster that changed shard on an upgrade would be watched twice or not at all), so it is
 * pinned by tests and documented in the README; never change it.
 */
public final class ClusterShards {
    static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    static final long FNV_PRIME = 0x100000001b3L;

    private ClusterShards() {
    }

    /** FNV-1a 64 of {@code groupId/clusterName}. */
    public static long hash(ClusterKey key) {
        requireNonNull(key, "key must not be null");
        long hash = FNV_OFFSET_BASIS;
        for (byte b : (key.groupId() + "/" + key.clusterName()).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

    /** The shard, 0..shards-1, that watches {@code key}. */
    public static int shardOf(ClusterKey key, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1, got " + shards);
        }
        return (int) Long.remainderUnsigned(hash(key), shards);
    }

    /** True if the replica of {@code sharding} watches {@code key}. */
    public static boolean owns(MonitorConfig.Sharding sharding, ClusterKey key) {
        requireNonNull(sharding, "sharding must not be null");
        return sharding.shards() == 1 || shardOf(key, sharding.shards()) == sharding.shard();
    }
}
