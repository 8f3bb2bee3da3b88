package org.medsettle.treatment.internal.his;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** 5203, the settlement query (结算信息查询): a settlement or reversal of the hospital's own visit, as it was answered. */
final class SettlementQuery {

    private final Deps deps;
    private final Envelopes envelopes;

    SettlementQuery(Deps deps, Envelopes envelopes) {
        this.deps = deps;
        this.envelopes = envelopes;
    }

    /** 5203 settlement query (结算信息查询). */
    byte[] query(Call call) {
        Input data = call.input().object("data");
        String setlId = data.text("setl_id", VisitTransactions.SERIAL, "a settlement id");
        String mdtrtId = data.text("mdtrt_id", VisitTransactions.SERIAL, "a visit number");
        String psnNo = data.text("psn_no", VisitTransactions.SERIAL, "a person number");
        Rows.Settlement s = deps.db().inTransaction("read settlement " + setlId, c -> {
            VisitTransactions.ownVisit(c, call, mdtrtId, psnNo, data.path());
            return TreatmentStore.settlement(c, setlId)
                    .filter(x -> x.mdtrtId().equals(mdtrtId))
                    .filter(x -> List.of("SETTLED", "REVERSED").contains(x.state()))
                    .orElseThrow(() -> HisRefusal.field(data.path() + ".setl_id", "no settlement " + setlId
                            + " of visit " + mdtrtId));
        });
        ObjectNode output = Output.object();
        ObjectNode info = Output.setlinfo(s);
        info.put("setl_stas", s.state());
        output.set("setlinfo", info);
        output.set("setldetail", s.reversal() ? negatedDetail(s.setldetail()) : Output.read(s.setldetail()));
        return envelopes.success(output, "");
    }

    /** A reversal's details: the settlement's, with the amounts the funds paid negated. */
    static com.fasterxml.jackson.databind.JsonNode negatedDetail(String setldetail) {
        com.fasterxml.jackson.databind.node.ArrayNode details =
                (com.fasterxml.jackson.databind.node.ArrayNode) Output.read(setldetail);
        for (com.fasterxml.jackson.databind.JsonNode d : details) {
            ObjectNode o = (ObjectNode) d;
            o.put("inscp_scp_amt", o.get("inscp_scp_amt").decimalValue().negate());
            o.put("fund_payamt", o.get("fund_payamt").decimalValue().negate());
        }
        return details;
    }
}
