package io.github.atlasexport.runtime;

import io.github.atlasexport.atlas.ExportJob;
import io.github.atlasexport.config.Durations;
import io.github.atlasexport.monitor.JobEvent;

/** One log line per job event, for people tailing the monitor's output. */
final class EventText {
    private EventText() {
    }

    static String describe(JobEvent event) {
        ExportJob job = event.job().job();
        String where = event.cluster() + " job " + job.id();
        if (event instanceof JobEvent.JobSeen seen) {
            return where + (seen.baseline() ? " known, " : " new, ") + job.state();
        }
        if (event instanceof JobEvent.StateChanged changed) {
            return where + " " + changed.previousState() + " -> " + job.state()
                    + (job.errorMessage() != null ? " (" + job.errorMessage() + ")" : "");
        }
        if (event instanceof JobEvent.ProgressChanged) {
            ExportJob.ExportStatus status = job.exportStatus();
            return where + " progress " + (status == null ? "unknown"
                    : status.exportedCollections() + "/" + status.totalCollections());
        }
        if (event instanceof JobEvent.StuckDetected stuck) {
            return where + " stuck in " + job.state() + " for " + Durations.human(stuck.inState());
        }
        return where + " left the list";
    }
}
