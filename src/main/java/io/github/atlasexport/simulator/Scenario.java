package io.github.atlasexport.simulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The simulated world: projects, their clusters and export jobs, who may log in, limits and
 * faults. Written as YAML (see {@code scenarios/README.md} and {@code scenarios/example.yaml} on
 * the classpath) and read with {@link #load(Path)}; every field is optional except that there must
 * be at least one project or a {@code generate} block.
 *
 * @param projects      hand-written projects
 * @param credentials   who may authenticate [digest key sim-public/sim-private, service account sim-client/sim-secret]
 * @param rateLimit     token bucket per groupId [off]
 * @param nonceLifetime how long a digest nonce stays fresh; older nonces get {@code stale=true} [5m]
 * @param tokenLifetime OAuth access-token lifetime, reported as {@code expires_in} [1h]
 * @param faults        faults active from the start [none]
 * @param generate      a generated bulk of projects for benchmarks, added after {@code projects}
 */
public record Scenario(List<ProjectSpec> projects, Credentials credentials, RateLimit rateLimit,
                       Duration nonceLifetime, Duration tokenLifetime, List<Fault> faults, Generate generate) {

    static final Pattern GROUP_ID = Pattern.compile("^[a-f0-9]{24}$");
    static final Pattern CLUSTER_NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9-]*$");

    public Scenario {
        projects = projects == null ? List.of() : List.copyOf(projects);
        credentials = credentials == null ? Credentials.DEFAULT : credentials;
        rateLimit = rateLimit == null ? RateLimit.OFF : rateLimit;
        nonceLifetime = positive(nonceLifetime, Duration.ofMinutes(5), "nonceLifetime");
        tokenLifetime = positive(tokenLifetime, Duration.ofHours(1), "tokenLifetime");
        faults = faults == null ? List.of() : List.copyOf(faults);
        if (projects.isEmpty() && generate == null) {
            throw new IllegalArgumentException("projects: a scenario needs at least one project or a generate block");
        }
        Set<String> ids = new HashSet<>();
        for (ProjectSpec p : projects) {
            if (p.id() != null && !ids.add(p.id())) {
                throw new IllegalArgumentException("projects: duplicate project id " + p.id());
            }
        }
    }

    /** The lively world of {@code demo} and {@code simulate}: see {@link BuiltInScenario}. */
    public static Scenario builtIn() {
        return BuiltInScenario.create();
    }

    /** Reads a YAML scenario; a {@link ScenarioException} names the file and the bad field. */
    public static Scenario load(Path file) {
        return ScenarioParser.load(file);
    }

    /** Reads YAML text; {@code source} names it in error messages. */
    public static Scenario parse(String yaml, String source) {
        return ScenarioParser.parse(yaml, source);
    }

    public Scenario withProjects(List<ProjectSpec> newProjects) {
        return new Scenario(newProjects, credentials, rateLimit, nonceLifetime, tokenLifetime, faults, generate);
    }

    public Scenario withRateLimit(RateLimit newRateLimit) {
        return new Scenario(projects, credentials, newRateLimit, nonceLifetime, tokenLifetime, faults, generate);
    }

    public Scenario withNonceLifetime(Duration newLifetime) {
        return new Scenario(projects, credentials, rateLimit, newLifetime, tokenLifetime, faults, generate);
    }

    public Scenario withTokenLifetime(Duration newLifetime) {
        return new Scenario(projects, credentials, rateLimit, nonceLifetime, newLifetime, faults, generate);
    }

    public Scenario withFaults(List<Fault> newFaults) {
        return new Scenario(projects, credentials, rateLimit, nonceLifetime, tokenLifetime, newFaults, generate);
    }

    private static Duration positive(Duration value, Duration fallback, String field) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, got " + value);
        }
        return value;
    }

    /**
     * A project. {@code id} must match {@code ^[a-f0-9]{24}$}; when omitted one is derived from the
     * project's position. Without {@code exportBuckets} the project gets one bucket.
     */
    public record ProjectSpec(String id, String name, List<BucketSpec> exportBuckets, List<ClusterSpec> clusters) {
        public ProjectSpec {
            if (id != null && !GROUP_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("id: '" + id + "' does not match ^[a-f0-9]{24}$");
            }
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name: a project needs a name");
            }
            exportBuckets = exportBuckets == null ? List.of() : List.copyOf(exportBuckets);
            clusters = clusters == null ? List.of() : List.copyOf(clusters);
            Set<String> names = new HashSet<>();
            for (ClusterSpec c : clusters) {
                if (!names.add(c.name())) {
                    throw new IllegalArgumentException("clusters: duplicate cluster name " + c.name());
                }
            }
        }
    }

    /** An export bucket ({@code _id}, {@code bucketName}); {@code id} derived when omitted. */
    public record BucketSpec(String id, String name) {
        public BucketSpec {
            if (id != null && !GROUP_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("id: '" + id + "' does not match ^[a-f0-9]{24}$");
            }
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name: an export bucket needs a name");
            }
        }
    }

    /**
     * A cluster and its export jobs.
     *
     * @param type              REPLICASET or SHARDED [REPLICASET]
     * @param shards            shards of a SHARDED cluster, one component per shard in each job [2]
     * @param snapshots         completed snapshots at start, {@code snapshotEvery} apart [3]
     * @param jobs              jobs that exist at start
     * @param churn             new jobs created periodically [none]
     * @param onCreate          plan of jobs created through the API [{@link JobPlan#DEFAULT}]
     * @param snapshotEvery     a new snapshot is taken this often on the clock [1d]
     * @param newestSnapshotAgo age of the newest snapshot at start [since the start of the hour]
     * @param exportBucket      id of the project's bucket the cluster's jobs export to [its first bucket]
     * @param autoExport        the backup schedule's auto-export policy [off]
     */
    public record ClusterSpec(String name, ClusterType type, Integer shards, Integer snapshots,
                              List<JobSpec> jobs, Churn churn, JobPlan onCreate, Duration snapshotEvery,
                              Duration newestSnapshotAgo, String exportBucket, AutoExport autoExport) {
        public ClusterSpec {
            if (name == null || !CLUSTER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name: '" + name + "' does not match ^[a-zA-Z0-9][a-zA-Z0-9-]*$");
            }
            type = type == null ? ClusterType.REPLICASET : type;
            shards = type == ClusterType.REPLICASET ? Integer.valueOf(1) : shards == null ? Integer.valueOf(2) : shards;
            if (shards < 1 || shards > 64) {
                throw new IllegalArgumentException("shards: must be between 1 and 64, got " + shards);
            }
            snapshots = snapshots == null ? 3 : snapshots;
            if (snapshots < 1) {
                throw new IllegalArgumentException("snapshots: must be at least 1, got " + snapshots);
            }
            jobs = jobs == null ? List.of() : List.copyOf(jobs);
            onCreate = onCreate == null ? JobPlan.DEFAULT : onCreate;
            snapshotEvery = positive(snapshotEvery, Duration.ofDays(1), "snapshotEvery");
            if (newestSnapshotAgo != null && newestSnapshotAgo.isNegative()) {
                throw new IllegalArgumentException("newestSnapshotAgo: must not be negative, got " + newestSnapshotAgo);
            }
            if (exportBucket != null && !GROUP_ID.matcher(exportBucket).matches()) {
                throw new IllegalArgumentException("exportBucket: '" + exportBucket + "' does not match ^[a-f0-9]{24}$");
            }
        }

        /** Without the coverage fields: daily snapshots, no auto-export. */
        public ClusterSpec(String name, ClusterType type, Integer shards, Integer snapshots,
                           List<JobSpec> jobs, Churn churn, JobPlan onCreate) {
            this(name, type, shards, snapshots, jobs, churn, onCreate, null, null, null, null);
        }

        public static ClusterSpec replicaSet(String name, List<JobSpec> jobs, Churn churn) {
            return new ClusterSpec(name, ClusterType.REPLICASET, 1, null, jobs, churn, null);
        }

        public static ClusterSpec sharded(String name, int shards, List<JobSpec> jobs, Churn churn) {
            return new ClusterSpec(name, ClusterType.SHARDED, shards, null, jobs, churn, null);
        }

        public ClusterSpec withSnapshots(int count, Duration every, Duration newestAgo) {
            return new ClusterSpec(name, type, shards, count, jobs, churn, onCreate, every, newestAgo, exportBucket, autoExport);
        }

        public ClusterSpec withExportBucket(String bucketId) {
            return new ClusterSpec(name, type, shards, snapshots, jobs, churn, onCreate, snapshotEvery, newestSnapshotAgo,
                    bucketId, autoExport);
        }

        public ClusterSpec withAutoExport(AutoExport policy) {
            return new ClusterSpec(name, type, shards, snapshots, jobs, churn, onCreate, snapshotEvery, newestSnapshotAgo,
                    exportBucket, policy);
        }

        public ClusterSpec withOnCreate(JobPlan plan) {
            return new ClusterSpec(name, type, shards, snapshots, jobs, churn, plan, snapshotEvery, newestSnapshotAgo,
                    exportBucket, autoExport);
        }
    }

    /**
     * The cluster's auto-export policy as its backup schedule reports it. While it runs, each snapshot
     * is exported to the cluster's bucket as it is taken (snapshots at start already were, by jobs that
     * succeeded); {@code stoppedAgo} makes it stop silently that long before start, the schedule still
     * saying it is on.
     *
     * @param enabled    {@code autoExportEnabled} [true]
     * @param frequency  {@code export.frequencyType}: daily, weekly, monthly [daily]
     * @param stoppedAgo exports stopped this long before start [never]
     * @param plan       plan of the jobs it creates on the clock [{@link JobPlan#DEFAULT}]
     */
    public record AutoExport(Boolean enabled, String frequency, Duration stoppedAgo, JobPlan plan) {
        public AutoExport {
            enabled = enabled == null || enabled;
            frequency = frequency == null ? "daily" : frequency;
            if (!List.of("daily", "weekly", "monthly", "yearly").contains(frequency)) {
                throw new IllegalArgumentException("frequency: must be daily, weekly, monthly or yearly, got " + frequency);
            }
            if (stoppedAgo != null && stoppedAgo.isNegative()) {
                throw new IllegalArgumentException("stoppedAgo: must not be negative, got " + stoppedAgo);
            }
            plan = plan == null ? JobPlan.DEFAULT : plan;
        }

        public static AutoExport running(String frequency, JobPlan plan) {
            return new AutoExport(true, frequency, null, plan);
        }

        public static AutoExport stopped(String frequency, Duration stoppedAgo) {
            return new AutoExport(true, frequency, stoppedAgo, null);
        }
    }

    /** A job that exists at start, created {@code createdAgo} before the simulator started [0s]. */
    public record JobSpec(Duration createdAgo, JobPlan plan) {
        public JobSpec {
            createdAgo = createdAgo == null ? Duration.ZERO : createdAgo;
            if (createdAgo.isNegative()) {
                throw new IllegalArgumentException("createdAgo: must not be negative, got " + createdAgo);
            }
            plan = plan == null ? JobPlan.DEFAULT : plan;
        }

        public static JobSpec of(Duration createdAgo, JobPlan plan) {
            return new JobSpec(createdAgo, plan);
        }
    }

    /**
     * New jobs on a timer: the first {@code offset} after start, then every {@code every}, their
     * plans taken from {@code plans} in turn; the cluster keeps only its newest {@code keep} jobs.
     */
    public record Churn(Duration every, Duration offset, Integer keep, List<JobPlan> plans) {
        public Churn {
            if (every == null || every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("every: churn needs a positive interval");
            }
            offset = offset == null ? every : offset;
            keep = keep == null ? 30 : keep;
            if (keep < 1) {
                throw new IllegalArgumentException("keep: must be at least 1, got " + keep);
            }
            plans = plans == null || plans.isEmpty() ? List.of(JobPlan.DEFAULT) : List.copyOf(plans);
        }
    }

    /** Who may log in. Omitted: the built-in key and service account. */
    public record Credentials(List<DigestKey> digestKeys, List<ServiceAccount> serviceAccounts) {
        static final Credentials DEFAULT = new Credentials(
                List.of(new DigestKey("sim-public", "sim-private")),
                List.of(new ServiceAccount("sim-client", "sim-secret")));

        public Credentials {
            digestKeys = digestKeys == null ? List.of() : List.copyOf(digestKeys);
            serviceAccounts = serviceAccounts == null ? List.of() : List.copyOf(serviceAccounts);
        }
    }

    /** @param roles project roles the key holds ({@link ProjectRole} titles); omitted: all of them */
    public record DigestKey(String publicKey, String privateKey, List<String> roles) {
        public DigestKey(String publicKey, String privateKey) {
            this(publicKey, privateKey, null);
        }

        public DigestKey {
            if (publicKey == null || privateKey == null) {
                throw new IllegalArgumentException("digestKeys: publicKey and privateKey are both required");
            }
            roles = checkedRoles(roles, "digestKeys[" + publicKey + "].roles");
        }

        @Override
        public String toString() {
            return "DigestKey[publicKey=" + publicKey + ", privateKey=****, roles=" + roles + "]";
        }
    }

    /** @param roles project roles the account holds ({@link ProjectRole} titles); omitted: all of them */
    public record ServiceAccount(String clientId, String clientSecret, List<String> roles) {
        public ServiceAccount(String clientId, String clientSecret) {
            this(clientId, clientSecret, null);
        }

        public ServiceAccount {
            if (clientId == null || clientSecret == null) {
                throw new IllegalArgumentException("serviceAccounts: clientId and clientSecret are both required");
            }
            roles = checkedRoles(roles, "serviceAccounts[" + clientId + "].roles");
        }

        @Override
        public String toString() {
            return "ServiceAccount[clientId=" + clientId + ", clientSecret=****, roles=" + roles + "]";
        }
    }

    /** Null stays null (every role); otherwise each title must name a {@link ProjectRole}. */
    private static List<String> checkedRoles(List<String> roles, String where) {
        if (roles == null) {
            return null;
        }
        for (String role : roles) {
            try {
                ProjectRole.named(role);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(roles);
    }

    /**
     * Per-groupId token bucket: {@code burst} tokens [= requestsPerMinute], refilled at requestsPerMinute; 0 = off.
     * {@code retryAfter} [true]: whether a 429 carries the {@code Retry-After} header (Atlas may leave it out;
     * the body always names the wait).
     */
    public record RateLimit(Integer requestsPerMinute, Integer burst, Boolean retryAfter) {
        public static final RateLimit OFF = new RateLimit(0, 0);

        public RateLimit(Integer requestsPerMinute, Integer burst) {
            this(requestsPerMinute, burst, null);
        }

        public RateLimit {
            retryAfter = retryAfter == null || retryAfter;
            requestsPerMinute = requestsPerMinute == null ? 0 : requestsPerMinute;
            burst = burst == null || burst == 0 ? requestsPerMinute : burst;
            if (requestsPerMinute < 0 || burst < 0) {
                throw new IllegalArgumentException("requestsPerMinute and burst must not be negative");
            }
        }

        public static RateLimit perMinute(int requestsPerMinute, int burst) {
            return new RateLimit(requestsPerMinute, burst);
        }

        public boolean enabled() {
            return requestsPerMinute > 0;
        }
    }

    /**
     * Bulk projects for benchmarks: {@code projects} x {@code clustersPerProject} clusters with
     * {@code jobsPerCluster} jobs each, spread over the past day in mixed states, deterministic for
     * a {@code seed}. Every {@code 1/shardedFraction}-th cluster is SHARDED.
     */
    public record Generate(Integer projects, Integer clustersPerProject, Integer jobsPerCluster,
                           Double shardedFraction, Long seed, Churn churn) {
        public Generate {
            projects = atLeast(projects, 1, "projects");
            clustersPerProject = atLeast(clustersPerProject, 1, "clustersPerProject");
            jobsPerCluster = jobsPerCluster == null ? 10 : jobsPerCluster;
            if (jobsPerCluster < 0) {
                throw new IllegalArgumentException("jobsPerCluster: must not be negative, got " + jobsPerCluster);
            }
            shardedFraction = shardedFraction == null ? 0.2 : shardedFraction;
            if (shardedFraction < 0 || shardedFraction > 1) {
                throw new IllegalArgumentException("shardedFraction: must be in [0, 1], got " + shardedFraction);
            }
            seed = seed == null ? 1L : seed;
        }

        private static int atLeast(Integer value, int min, String field) {
            if (value == null || value < min) {
                throw new IllegalArgumentException(field + ": must be at least " + min + ", got " + value);
            }
            return value;
        }
    }

    public enum ClusterType {
        REPLICASET, SHARDED;

        @JsonCreator
        public static ClusterType parse(String text) {
            return EnumNames.parse(ClusterType.class, text, "type");
        }

        @JsonValue
        @Override
        public String toString() {
            return name();
        }
    }
}
