package io.github.atlasexport.atlas;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The parts of a cluster's Cloud Backup schedule ({@code GET .../clusters/{clusterName}/backup/schedule})
 * that say whether and where its snapshots are exported. Unknown fields (the policies, copy settings) are ignored.
 *
 * @param autoExportEnabled null when Atlas left it out: taken as off
 * @param export            the auto-export policy, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupSchedule(String clusterName, Boolean autoExportEnabled, Export export,
                             Boolean useOrgAndGroupNamesInExportPrefix) {

    public boolean autoExport() {
        return Boolean.TRUE.equals(autoExportEnabled);
    }

    /** {@code export}: to which bucket, and how often ({@code daily}, {@code weekly}, {@code monthly}, ...). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Export(String exportBucketId, String frequencyType) {
    }
}
