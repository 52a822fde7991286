package io.github.atlasexport.alert;

import java.util.List;

/** The alert names of SPEC section 6; each is also the {@code alertname} label. */
public final class AlertName {
    public static final String JOB_FAILED = "AtlasExportJobFailed";
    public static final String JOB_CANCELLED = "AtlasExportJobCancelled";
    public static final String JOB_STUCK = "AtlasExportJobStuck";
    public static final String NO_RECENT_SUCCESS = "AtlasExportNoRecentSuccess";
    public static final String TARGET_DOWN = "AtlasExportTargetDown";
    public static final String OVERDUE = "AtlasExportOverdue";
    public static final String BUCKET_FAILING = "AtlasExportBucketFailing";
    /** Every name above, for what is shown per alert name before any alert (delivery counters at 0). */
    public static final List<String> ALL = List.of(JOB_FAILED, JOB_CANCELLED, JOB_STUCK, NO_RECENT_SUCCESS, TARGET_DOWN,
            OVERDUE, BUCKET_FAILING);

    private AlertName() {
    }

    /**
     * One-shot alerts report an event (a job ended badly) rather than a condition: they fire once
     * and are never resolved by the monitor.
     */
    public static boolean isOneShot(String alertname) {
        return JOB_FAILED.equals(alertname) || JOB_CANCELLED.equals(alertname);
    }
}
