package io.github.atlasexport.http;

import io.github.atlasexport.alert.ActiveAlert;
import io.github.atlasexport.alert.DeadLetter;
import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.atlas.ExportState;
import io.github.atlasexport.coverage.ClusterCoverage;
import io.github.atlasexport.monitor.DiscoveryStatus;
import io.github.atlasexport.monitor.RetryMarker;
import io.github.atlasexport.monitor.TargetStatus;
import io.github.atlasexport.monitor.TrackedJob;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The home page for people: targets, export coverage, jobs by state with progress, active alerts, dead letters.
 * Server-rendered, no scripts.
 */
final class StatusPage {
    /** The jobs table shows active jobs first, then the most recent others, up to this many rows. */
    static final int MAX_JOB_ROWS = 200;

    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1c2733;background:#f5f7f9}
            header{background:#001e2b;color:#fff;padding:14px 28px;display:flex;gap:24px;align-items:baseline}
            header h1{font-size:18px;margin:0;font-weight:600}header a{color:#00ed64;text-decoration:none;margin-right:14px}
            main{padding:18px 28px;max-width:1280px}section{background:#fff;border:1px solid #e1e6ea;border-radius:8px;padding:14px 18px;margin-bottom:18px}
            h2{font-size:15px;margin:0 0 10px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #eef1f3;vertical-align:middle;white-space:nowrap}
            td.detail{white-space:normal;color:#970606}
            th{font-weight:600;color:#5c6c75;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
            .cards{display:flex;gap:12px;flex-wrap:wrap}.card{flex:1;min-width:120px;border-radius:8px;padding:10px 14px;background:#f0f3f5}
            .card b{display:block;font-size:24px}.s{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
            .Successful{background:#e3fcf7;color:#00684a}.Failed{background:#ffeae5;color:#970606}.Cancelled{background:#f0f3f5;color:#5c6c75}
            .InProgress{background:#e1f7ff;color:#016bf8}.Queued{background:#fef7db;color:#944f01}.other{background:#f2e6ff;color:#5e0c9e}
            .up{color:#00684a}.down{color:#970606;font-weight:600}.bar{width:140px;height:8px;background:#eef1f3;border-radius:4px;display:inline-block;vertical-align:middle}
            .bar i{display:block;height:8px;border-radius:4px;background:#016bf8}.muted{color:#89979b}code{font-size:12px}
            """;

    private StatusPage() {
    }

    /**
     * @param projectNames group id to project name, for the projects whose name discovery knows
     * @param coverage     the latest coverage per cluster (empty while coverage is off or not read yet)
     */
    static String render(List<TargetStatus> targets, List<DiscoveryStatus> discoveries, Map<String, String> projectNames,
                         List<ClusterCoverage> coverage, List<ActiveAlert> alerts, List<DeadLetter> dead, boolean ready,
                         Instant now) {
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"10\"><title>Atlas export monitor</title><style>")
                .append(STYLE).append("</style></head><body><header><h1>Atlas export monitor</h1><nav>")
                .append("<a href=\"/metrics\">/metrics</a><a href=\"/api/v1/jobs\">/api/v1/jobs</a>")
                .append("<a href=\"/api/v1/alerts\">/api/v1/alerts</a><a href=\"/api/v1/coverage\">/api/v1/coverage</a>")
                .append("<a href=\"/-/ready\">/-/ready</a></nav>")
                .append("<span class=\"muted\">").append(ready ? "ready" : "starting: not every target tried yet")
                .append("</span></header><main>");
        summary(html, targets);
        alertsSection(html, alerts, now);
        deadLettersSection(html, dead, now);
        discoverySection(html, discoveries, now);
        targetsSection(html, targets, projectNames, now);
        coverageSection(html, coverage, projectNames, now);
        jobsSection(html, targets, projectNames, now);
        return html.append("</main></body></html>").toString();
    }

    private static void summary(StringBuilder html, List<TargetStatus> targets) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        ExportState.DOCUMENTED.forEach(state -> byState.put(state, 0));
        targets.forEach(target -> target.snapshot().jobs().values()
                .forEach(job -> byState.merge(job.state(), 1, Integer::sum)));
        long down = targets.stream().filter(target -> !target.up()).count();
        html.append("<section class=\"cards\">");
        card(html, "Clusters", targets.size() + (down > 0 ? " <small class=\"down\">(" + down + " down)</small>" : ""));
        byState.forEach((state, count) -> card(html, badge(state), String.valueOf(count)));
        html.append("</section>");
    }

    private static void card(StringBuilder html, String label, String value) {
        html.append("<div class=\"card\">").append(label).append("<b>").append(value).append("</b></div>");
    }

    private static void alertsSection(StringBuilder html, List<ActiveAlert> alerts, Instant now) {
        html.append("<section><h2>Active alerts (").append(alerts.size()).append(")</h2>");
        if (alerts.isEmpty()) {
            html.append("<p class=\"muted\">None.</p></section>");
            return;
        }
        html.append("<table><tr><th>Alert</th><th>Severity</th><th>Summary</th><th>Since</th></tr>");
        for (ActiveAlert alert : alerts) {
            html.append("<tr><td>").append(escape(alert.alertname())).append("</td><td>")
                    .append(escape(alert.severity())).append("</td><td>")
                    .append(escape(alert.annotations().getOrDefault("summary", ""))).append("</td><td>")
                    .append(ago(alert.startsAt(), now)).append("</td></tr>");
        }
        html.append("</table></section>");
    }

    /** Shown only when there are some: they need a person (fix the receiver, then re-send). */
    private static void deadLettersSection(StringBuilder html, List<DeadLetter> dead, Instant now) {
        if (dead.isEmpty()) {
            return;
        }
        html.append("<section><h2>Dead letters (").append(dead.size()).append(")</h2><p class=\"muted\">")
                .append("Alerts a sink would not take. Re-send with <code>POST /api/v1/alerts/dead/resend</code> or ")
                .append("<code>POST /api/v1/alerts/dead/{id}/resend</code>; list with ")
                .append("<a href=\"/api/v1/alerts?dead=true\">/api/v1/alerts?dead=true</a>.</p>")
                .append("<table><tr><th>Alert</th><th>Status</th><th>Sink</th><th>Id</th><th>Attempts</th><th>Given up</th>")
                .append("<th>Last answer</th></tr>");
        for (DeadLetter letter : dead) {
            html.append("<tr><td>").append(escape(letter.notice().alertname())).append("</td><td>")
                    .append(escape(letter.notice().status().wire())).append("</td><td>")
                    .append(escape(letter.sink())).append("</td><td><code>")
                    .append(escape(letter.id())).append("</code></td><td>")
                    .append(letter.attempts()).append("</td><td>")
                    .append(ago(letter.deadAt(), now)).append("</td><td class=\"detail\">")
                    .append(escape(letter.lastError() == null ? "" : letter.lastError())).append("</td></tr>");
        }
        html.append("</table></section>");
    }

    /** Projects watched with {@code clusters: "*"}: one whose discovery fails has no cluster row to show it. */
    private static void discoverySection(StringBuilder html, List<DiscoveryStatus> discoveries, Instant now) {
        if (discoveries.isEmpty()) {
            return;
        }
        html.append("<section><h2>Cluster discovery</h2><table><tr><th>Project</th><th>Discovery</th>")
                .append("<th>Last try</th><th>Last success</th><th>Detail</th></tr>");
        for (DiscoveryStatus discovery : discoveries) {
            html.append("<tr><td><code>").append(escape(discovery.groupId())).append("</code></td><td>")
                    .append(discovery.up() ? "<span class=\"up\">up</span>" : "<span class=\"down\">down</span>")
                    .append("</td><td>").append(ago(discovery.lastAttempt(), now))
                    .append("</td><td>").append(ago(discovery.lastSuccess(), now))
                    .append("</td><td class=\"detail\">").append(escape(discovery.lastError())).append("</td></tr>");
        }
        html.append("</table></section>");
    }

    private static void targetsSection(StringBuilder html, List<TargetStatus> targets, Map<String, String> projectNames,
                                       Instant now) {
        html.append("<section><h2>Targets</h2><table><tr><th>Project</th><th>Cluster</th><th>Poll</th>")
                .append("<th>Last poll</th><th>Jobs by state</th><th>Last successful export</th></tr>");
        for (TargetStatus target : targets) {
            html.append("<tr><td>").append(project(target.key().groupId(), projectNames)).append("</td><td>")
                    .append(escape(target.key().clusterName())).append("</td><td>");
            if (target.lastAttempt() == null) {
                html.append("<span class=\"muted\">pending</span>");
            } else if (target.up()) {
                html.append("<span class=\"up\">up</span>");
            } else {
                html.append("<span class=\"down\">down</span> <small class=\"detail\">")
                        .append(escape(target.lastError())).append("</small>");
            }
            html.append("</td><td>").append(ago(target.lastAttempt(), now)).append("</td><td>");
            Map<String, Integer> byState = new TreeMap<>();
            target.snapshot().jobs().values().forEach(job -> byState.merge(job.state(), 1, Integer::sum));
            byState.forEach((state, count) -> html.append(badge(state)).append(' ').append(count).append(" &nbsp;"));
            html.append("</td><td>").append(lastSuccess(target).map(at -> ago(at, now)).orElse("<span class=\"muted\">never</span>"))
                    .append("</td></tr>");
        }
        html.append("</table></section>");
    }

    /** Is a recent copy of each cluster in its bucket: the recovery point against the cluster's own policy. */
    private static void coverageSection(StringBuilder html, List<ClusterCoverage> coverage, Map<String, String> projectNames,
                                        Instant now) {
        if (coverage.isEmpty()) {
            return;
        }
        html.append("<section><h2>Export coverage</h2><table><tr><th>Project</th><th>Cluster</th><th>Policy</th>")
                .append("<th>Recovery point age</th><th>Unexported snapshots</th><th>Bucket</th><th>Verdict</th></tr>");
        for (ClusterCoverage cluster : coverage) {
            html.append("<tr><td>").append(project(cluster.cluster().groupId(), projectNames)).append("</td><td>")
                    .append(escape(cluster.cluster().clusterName())).append("</td><td>")
                    .append(cluster.policy().autoExport() ? "auto-export " + escape(cluster.policy().frequency())
                            : "<span class=\"muted\">no auto-export</span>")
                    .append("</td><td>")
                    .append(cluster.recoveryPoint() == null ? "<span class=\"muted\">nothing exported</span>"
                            : duration(Duration.between(cluster.recoveryPoint(), now)))
                    .append("</td><td>").append(cluster.unexported()).append("</td><td>")
                    .append(cluster.policy().exportBucketId().isEmpty() ? ""
                            : "<code>" + escape(cluster.policy().exportBucketId()) + "</code>")
                    .append("</td><td>").append(verdict(cluster, now)).append("</td></tr>");
        }
        html.append("</table></section>");
    }

    private static String verdict(ClusterCoverage cluster, Instant now) {
        if (cluster.deadline() == null) {
            return "<span class=\"muted\">-</span>";
        }
        return cluster.overdue()
                ? "<span class=\"down\">overdue</span> since " + ago(cluster.deadline(), now)
                : "<span class=\"up\">on time</span>, due in " + duration(Duration.between(now, cluster.deadline()));
    }

    private static void jobsSection(StringBuilder html, List<TargetStatus> targets, Map<String, String> projectNames,
                                    Instant now) {
        record Row(TargetStatus target, TrackedJob job) {
        }
        int total = targets.stream().mapToInt(target -> target.snapshot().jobs().size()).sum();
        List<Row> rows = targets.stream()
                .flatMap(target -> target.snapshot().jobs().values().stream().map(job -> new Row(target, job)))
                .sorted(Comparator.comparing((Row row) -> !ExportState.isActive(row.job().state()))
                        .thenComparing(row -> row.job().stuckClockStart(), Comparator.reverseOrder()))
                .limit(MAX_JOB_ROWS)
                .toList();
        html.append("<section><h2>Jobs <small class=\"muted\">").append(rows.size() < total
                        ? "showing " + count(rows.size()) + " of " + count(total) + ": active first, then the newest"
                        : count(total))
                .append("</small></h2><table><tr><th>Project</th><th>Cluster</th><th>Job</th><th>State</th>")
                .append("<th>Progress</th><th>In state for</th><th>Created</th><th>Detail</th></tr>");
        Map<String, List<String>> retriedAs = RetryMarker.retriedAs(rows.stream().map(row -> row.job().job()).toList());
        for (Row row : rows) {
            ExportJob job = row.job().job();
            html.append("<tr><td>").append(project(row.target().key().groupId(), projectNames)).append("</td><td>")
                    .append(escape(row.target().key().clusterName())).append("</td><td><code>")
                    .append(escape(job.id())).append("</code></td><td>").append(badge(job.state()))
                    .append(row.job().stuck() ? " <span class=\"down\">stuck</span>" : "")
                    .append(retryNote(job, retriedAs.get(job.id()))).append("</td><td>")
                    .append(progress(job)).append("</td><td>")
                    // The stuck check's clock, so "in state for" and the stuck alert never disagree.
                    .append(duration(Duration.between(row.job().stuckClockStart(), now))).append("</td><td>")
                    .append(ago(job.createdAt(), now)).append("</td><td class=\"detail\">")
                    .append(escape(Optional.ofNullable(job.errorMessage()).orElse(""))).append("</td></tr>");
        }
        html.append("</table></section>");
    }

    /** " retried as X" on a job the retry policy re-created, " retry of Y" on the re-creation. */
    private static String retryNote(ExportJob job, List<String> retries) {
        StringBuilder note = new StringBuilder();
        RetryMarker.retryOf(job).ifPresent(original -> note.append(" <span class=\"muted retry\">retry of <code>")
                .append(escape(original)).append("</code></span>"));
        if (retries != null) {
            note.append(" <span class=\"muted retried\">retried as <code>")
                    .append(escape(String.join(", ", retries))).append("</code></span>");
        }
        return note.toString();
    }

    /** "Shop <code>5f0a…</code>" when the name is known, else the group id alone. */
    private static String project(String groupId, Map<String, String> projectNames) {
        String name = projectNames.get(groupId);
        return (name == null ? "" : escape(name) + " ") + "<code>" + escape(groupId) + "</code>";
    }

    /** 12,345: a count people read at a glance. */
    private static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static Optional<Instant> lastSuccess(TargetStatus target) {
        return target.snapshot().jobs().values().stream()
                .map(TrackedJob::job)
                .filter(job -> ExportState.SUCCESSFUL.equals(job.state()) && job.finishedAt() != null)
                .map(ExportJob::finishedAt)
                .max(Comparator.naturalOrder());
    }

    private static String progress(ExportJob job) {
        if (job.exportStatus() == null || job.exportStatus().totalCollections() <= 0) {
            return job.sharded() ? "<span class=\"muted\">" + job.components().size() + " shards</span>" : "";
        }
        int done = job.exportStatus().exportedCollections();
        int total = job.exportStatus().totalCollections();
        int percent = (int) Math.min(100, Math.round(100.0 * done / total));
        return "<span class=\"bar\"><i style=\"width:" + percent + "%\"></i></span> " + done + "/" + total;
    }

    private static String badge(String state) {
        String css = ExportState.DOCUMENTED.contains(state) ? state : "other";
        return "<span class=\"s " + css + "\">" + escape(state) + "</span>";
    }

    private static String ago(Instant at, Instant now) {
        return at == null ? "<span class=\"muted\">-</span>" : duration(Duration.between(at, now)) + " ago";
    }

    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86_400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86_400 + "d " + s % 86_400 / 3600 + "h";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
