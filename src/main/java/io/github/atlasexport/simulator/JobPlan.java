package io.github.atlasexport.simulator;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Duration;

/**
 * The script one export job follows, measured from its {@code createdAt}: it stays {@code Queued}
 * for {@code queuedFor}, then runs for {@code runFor} with {@code exportedCollections} counting up
 * towards {@code collections}, then ends as {@code outcome}. A job that fails, is cancelled or
 * hangs only gets half way through its collections.
 *
 * <p>YAML/JSON: {@code {queuedFor: 10s, runFor: 2m, collections: 40, outcome: Failed,
 * failReason: "...", errorCode: "..."}}; every field is optional.
 *
 * @param queuedFor   time spent Queued [10s]
 * @param runFor      time spent InProgress before the outcome [1m]
 * @param collections totalCollections of the export [20]
 * @param outcome     how the job ends [Successful]
 * @param failReason  message of a Failed job (v2 {@code stateReason.message}, v1.0 {@code errMsg})
 * @param errorCode   v2 {@code stateReason.errorCode} of a Failed job [EXPORT_FAILED]
 */
public record JobPlan(Duration queuedFor, Duration runFor, Integer collections, Outcome outcome,
                      String failReason, String errorCode) {

    /** What a job created through {@code POST .../backup/exports} does unless the scenario says otherwise. */
    public static final JobPlan DEFAULT = succeeding(Duration.ofSeconds(10), Duration.ofMinutes(1), 20);

    public JobPlan {
        queuedFor = queuedFor == null ? Duration.ofSeconds(10) : queuedFor;
        runFor = runFor == null ? Duration.ofMinutes(1) : runFor;
        collections = collections == null ? 20 : collections;
        outcome = outcome == null ? Outcome.SUCCESSFUL : outcome;
        failReason = failReason == null ? "Export failed: the snapshot could not be written to the export bucket" : failReason;
        errorCode = errorCode == null ? "EXPORT_FAILED" : errorCode;
        if (queuedFor.isNegative()) {
            throw new IllegalArgumentException("queuedFor must not be negative, got " + queuedFor);
        }
        if (runFor.isNegative()) {
            throw new IllegalArgumentException("runFor must not be negative, got " + runFor);
        }
        if (collections < 1) {
            throw new IllegalArgumentException("collections must be at least 1, got " + collections);
        }
    }

    public static JobPlan succeeding(Duration queuedFor, Duration runFor, int collections) {
        return new JobPlan(queuedFor, runFor, collections, Outcome.SUCCESSFUL, null, null);
    }

    public static JobPlan failing(Duration queuedFor, Duration runFor, int collections, String failReason) {
        return new JobPlan(queuedFor, runFor, collections, Outcome.FAILED, failReason, null);
    }

    public static JobPlan ending(Outcome outcome, Duration queuedFor, Duration runFor, int collections) {
        return new JobPlan(queuedFor, runFor, collections, outcome, null, null);
    }

    /** How a job's script ends. {@code HANG} stays InProgress forever, {@code HANG_QUEUED} stays Queued forever. */
    public enum Outcome {
        SUCCESSFUL, FAILED, CANCELLED, HANG, HANG_QUEUED;

        @JsonCreator
        public static Outcome parse(String text) {
            return EnumNames.parse(Outcome.class, text, "outcome");
        }

        @JsonValue
        @Override
        public String toString() {
            return EnumNames.display(this);
        }
    }
}
