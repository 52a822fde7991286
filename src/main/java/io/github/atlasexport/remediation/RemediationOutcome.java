package io.github.atlasexport.remediation;

import java.util.Locale;

/** The {@code outcome} label of {@code atlas_export_remediations_total} (SPEC section 5). */
public enum RemediationOutcome {
    CREATED, DRY_RUN, SKIPPED_EXISTS, SKIPPED_SNAPSHOT_GONE, SKIPPED_ATTEMPTS, ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
