package io.github.atlasexport.alert;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link DeliveryListener} that records what a dispatcher reports, for tests to wait on and check. */
final class DeliveryProbe implements DeliveryListener {
    /** The sink's name for each notice delivered, in order. */
    final List<String> sent = new CopyOnWriteArrayList<>();
    /** The alertname of each notice delivered, in order. */
    final List<String> sentAlertnames = new CopyOnWriteArrayList<>();
    /** The sink's name for each notice given up on. */
    final List<String> failed = new CopyOnWriteArrayList<>();

    @Override
    public void sent(String sink, String alertname) {
        sent.add(sink);
        sentAlertnames.add(alertname);
    }

    @Override
    public void failed(String sink, String alertname) {
        failed.add(sink);
    }

    @Override
    public void queueSize(String sink, int size) {
    }
}
