package io.github.atlasexport.monitor;

import io.github.atlasexport.config.MonitorConfig;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The values are pinned: they were computed outside Java (FNV-1a 64 over UTF-8, unsigned mod N), and a
 * change to any of them moves clusters between shards of replicas running different versions.
 */
class ClusterShardsUnitTests {
    private static final ClusterKey CLUSTER0 = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Cluster0");
    private static final ClusterKey SHARDED1 = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "Sharded1");

    @Test
    void hashIsFnv1a64OfGroupIdSlashClusterName() {
        assertEquals(0x3bdd0f99ab04203cL, ClusterShards.hash(CLUSTER0));
        assertEquals(0xd0b4b6f620cd5282L, ClusterShards.hash(SHARDED1));
        assertEquals(0x567e7809b613e725L, ClusterShards.hash(new ClusterKey("aaaaaaaaaaaaaaaaaaaaaaaa", "prod-östra")));
    }

    @Test
    void shardIsTheUnsignedHashModuloShards() {
        assertEquals(1, ClusterShards.shardOf(CLUSTER0, 3));
        assertEquals(60, ClusterShards.shardOf(CLUSTER0, 1024));
        // The top bit of this hash is set: read as signed, the remainder would be negative.
        assertEquals(2, ClusterShards.shardOf(SHARDED1, 3));
        assertEquals(642, ClusterShards.shardOf(SHARDED1, 1024));
        assertEquals(5, ClusterShards.shardOf(SHARDED1, 7));
    }

    @Test
    void exactlyOneShardOwnsEachCluster() {
        for (int n = 1; n <= 5; n++) {
            int shards = n;
            for (int c = 0; c < 50; c++) {
                ClusterKey key = new ClusterKey("5f0a1b2c3d4e5f6a7b8c9d0e", "c" + c);
                long owners = IntStream.range(0, shards)
                        .filter(shard -> ClusterShards.owns(new MonitorConfig.Sharding(shards, shard), key))
                        .count();
                assertEquals(1, owners, key + " of " + shards + " shards");
            }
        }
    }

    @Test
    void oneShardOwnsEverything() {
        assertTrue(ClusterShards.owns(MonitorConfig.Sharding.NONE, CLUSTER0));
        assertTrue(ClusterShards.owns(new MonitorConfig.Sharding(3, 1), CLUSTER0));
        assertFalse(ClusterShards.owns(new MonitorConfig.Sharding(3, 0), CLUSTER0));
    }

    @Test
    void shardingParsesShardSlashShardsAndChecksBounds() {
        assertEquals(new MonitorConfig.Sharding(3, 2), MonitorConfig.Sharding.parse("2/3"));
        assertEquals("2/3", MonitorConfig.Sharding.parse(" 2/3 ").toString());
        assertThrows(IllegalArgumentException.class, () -> MonitorConfig.Sharding.parse("3/3"));
        assertThrows(IllegalArgumentException.class, () -> MonitorConfig.Sharding.parse("0/0"));
        assertThrows(IllegalArgumentException.class, () -> MonitorConfig.Sharding.parse("0/1025"));
        assertThrows(IllegalArgumentException.class, () -> MonitorConfig.Sharding.parse("-1/3"));
        assertThrows(IllegalArgumentException.class, () -> MonitorConfig.Sharding.parse("1"));
        assertThrows(IllegalArgumentException.class, () -> MonitorConfig.Sharding.parse("a/3"));
    }

    @Test
    void eachShardGetsTheCeilingOfItsShareOfTheRequestBudget() {
        assertEquals(60, MonitorConfig.Sharding.NONE.requestsPerMinute(60));
        assertEquals(20, new MonitorConfig.Sharding(3, 0).requestsPerMinute(60));
        assertEquals(21, new MonitorConfig.Sharding(3, 0).requestsPerMinute(61));
        assertEquals(1, new MonitorConfig.Sharding(8, 7).requestsPerMinute(5));
    }
}
