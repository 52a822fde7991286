package io.github.atlasexport.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The faults in force and the dice that decide whether one hits a request. Counted faults are
 * spent atomically, so "exactly three 503s" holds under concurrent requests.
 */
final class FaultInjector {
    private volatile List<Armed> armed = List.of();

    void set(List<Fault> faults) {
        List<Armed> next = new ArrayList<>();
        faults.forEach(f -> next.add(new Armed(f)));
        armed = List.copyOf(next);
    }

    /** The faults still able to fire, each with the count it has left. */
    List<Fault> active() {
        List<Fault> out = new ArrayList<>();
        for (Armed a : armed) {
            int left = a.remaining.get();
            if (left != 0) {
                out.add(left < 0 ? a.fault : a.fault.times(left));
            }
        }
        return out;
    }

    /**
     * What happens to a request before it is handled: added latency, and at most one failure
     * (error, reset or rate limit), the first in order that fires.
     */
    Decision before(String groupId, String clusterName) {
        Duration latency = Duration.ZERO;
        Fault failure = null;
        for (Armed a : armed) {
            Fault.Kind kind = a.fault.kind();
            if (kind == Fault.Kind.MALFORMED || !a.fault.matches(groupId, clusterName)
                    || (kind != Fault.Kind.LATENCY && failure != null)) {
                continue;
            }
            if (a.fire()) {
                if (kind == Fault.Kind.LATENCY) {
                    latency = latency.plus(a.fault.latency());
                } else {
                    failure = a.fault;
                }
            }
        }
        return new Decision(latency, failure);
    }

    /** Whether a successful answer is to be cut short; asked only for 200s so a count is never spent on a 401. */
    boolean malformed(String groupId, String clusterName) {
        for (Armed a : armed) {
            if (a.fault.kind() == Fault.Kind.MALFORMED && a.fault.matches(groupId, clusterName) && a.fire()) {
                return true;
            }
        }
        return false;
    }

    record Decision(Duration latency, Fault failure) {
    }

    private static final class Armed {
        private final Fault fault;
        /** -1: unlimited. */
        private final AtomicInteger remaining;

        Armed(Fault fault) {
            this.fault = fault;
            this.remaining = new AtomicInteger(fault.count() == null ? -1 : fault.count());
        }

        boolean fire() {
            if (fault.fraction() < 1 && ThreadLocalRandom.current().nextDouble() >= fault.fraction()) {
                return false;
            }
            if (remaining.get() < 0) {
                return true;
            }
            return remaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
        }
    }
}
