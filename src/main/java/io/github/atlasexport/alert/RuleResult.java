package io.github.atlasexport.alert;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** What one evaluation of the rules yields: the state to keep and the notices to deliver. */
public record RuleResult(AlertState next, List<AlertNotice> notices) {
    public RuleResult {
        requireNonNull(next, "next must not be null");
        notices = List.copyOf(notices);
    }
}
