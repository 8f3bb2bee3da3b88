package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;

import org.medsettle.api.Admdvs;
import org.medsettle.api.clearing.ClearingHub;
import org.medsettle.api.store.Actor;
import org.medsettle.clearing.internal.ClearingHubComponent;
import org.medsettle.clearing.internal.ClearingNode;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestStores;

/**
 * The real monthly clearing (清算) of some province nodes of a {@link Network#ofProvinceNodes} network: each node's
 * side on its store, and a hub on a store of its own, over an in-process directory (the link's own tests and the
 * process tests carry these messages over mutual TLS).
 */
final class InProcessClearing {

    private final ClearingHubComponent hub;

    InProcessClearing(Network network, Clock clock, String... provinces) {
        MonthlyClearingTest.InProcessHub directory = new MonthlyClearingTest.InProcessHub();
        for (String p : provinces) {
            StoreComponent store = network.store(p);
            store.applyOwnSchema(ClearingNode.class.getClassLoader(), "db/clearing", "medsettle-clearing");
            directory.nodes.put(p, ClearingNode.of(Admdvs.of(p), store, store, network.treatment.containsKey(p)
                    ? network.treatment.get(p).ledger : network.insured(p).ledger, clock));
        }
        StoreComponent hubStore = TestStores.fresh();
        hubStore.applyOwnSchema(ClearingNode.class.getClassLoader(), "db/clearing", "medsettle-clearing");
        hub = ClearingHubComponent.forTests(hubStore, hubStore, directory, clock, Duration.ofMinutes(60), 50);
    }

    /** Clears {@code month} (the clock past its end); the run ends CLEARED. */
    ClearingHub.Run clear(YearMonth month) {
        hub.start(month, Actor.console("finance"));
        for (int i = 0; i < 10 && hub.run(month).orElseThrow().state() != ClearingHub.State.CLEARED; i++) {
            hub.work();
        }
        ClearingHub.Run run = hub.run(month).orElseThrow();
        assertEquals(ClearingHub.State.CLEARED, run.state(), run.toString());
        return run;
    }
}
