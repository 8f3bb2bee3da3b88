package org.medsettle.engine.internal.osgi;

import java.util.List;

import org.medsettle.api.catalogue.Catalogue;
import org.medsettle.api.model.FeeLine;
import org.medsettle.api.settlement.ItemSplit;
import org.medsettle.api.settlement.SettlementEngine;
import org.medsettle.api.settlement.SettlementInput;
import org.medsettle.api.settlement.SettlementOutcome;
import org.medsettle.engine.internal.RulesEngine;
import org.osgi.service.component.annotations.Component;

/** Publishes the pure calculation as the {@link SettlementEngine} service. */
@Component(service = SettlementEngine.class)
public class EngineComponent implements SettlementEngine {

    private final RulesEngine engine = new RulesEngine();

    @Override
    public SettlementOutcome settle(SettlementInput input) {
        return engine.settle(input);
    }

    @Override
    public List<ItemSplit> classify(List<FeeLine> items, Catalogue catalogue) {
        return engine.classify(items, catalogue);
    }
}
