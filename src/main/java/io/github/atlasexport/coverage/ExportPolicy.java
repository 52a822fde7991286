package io.github.atlasexport.coverage;

import io.github.atlasexport.atlas.BackupSchedule;

import java.time.Duration;
import java.util.Locale;

/**
 * A cluster's own export policy, as its backup schedule states it: the only source of the overdue
 * threshold (nothing to configure per cluster).
 *
 * @param exportBucketId "" without a policy
 * @param frequency      {@code daily}, {@code weekly}, {@code monthly}, {@code yearly} as Atlas spells it, or ""
 */
public record ExportPolicy(boolean autoExport, String exportBucketId, String frequency) {
    /** No auto-export (or a schedule not read yet). */
    public static final ExportPolicy NONE = new ExportPolicy(false, "", "");

    public ExportPolicy {
        exportBucketId = exportBucketId == null ? "" : exportBucketId;
        frequency = frequency == null ? "" : frequency;
    }

    public static ExportPolicy of(BackupSchedule schedule) {
        if (schedule == null) {
            return NONE;
        }
        BackupSchedule.Export export = schedule.export();
        return new ExportPolicy(schedule.autoExport(), export == null ? null : export.exportBucketId(),
                export == null ? null : export.frequencyType());
    }

    /**
     * How often an export is promised: daily 1 d, weekly 7 d, monthly 31 d (the longest month),
     * yearly 366 d; null without auto-export or for a frequency Atlas may add later (never overdue then).
     */
    public Duration period() {
        if (!autoExport) {
            return null;
        }
        return switch (frequency.toLowerCase(Locale.ROOT)) {
            case "daily" -> Duration.ofDays(1);
            case "weekly" -> Duration.ofDays(7);
            case "monthly" -> Duration.ofDays(31);
            case "yearly" -> Duration.ofDays(366);
            default -> null;
        };
    }
}
