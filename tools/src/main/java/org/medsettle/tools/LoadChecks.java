package org.medsettle.tools;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.tools.LoadDriver.Config;

/** The load driver's checks after a run: nothing acknowledged lost or doubled, every balance exact. */
final class LoadChecks {

    private LoadChecks() {
    }

    /** Every acknowledged settlement is at the node once (5203) and every patient's balance adds up (1101). */
    static List<String> check(Config c, Map<String, Clerk.Acknowledged> acknowledged, Map<String, BigDecimal> accountPaid,
                              Map<String, Clerk.Discharged> visitOf, Map<String, BigDecimal> opening) {
        List<String> problems = new ArrayList<>();
        HisClient his = c.hospitals().get(0);
        for (Map.Entry<String, Clerk.Acknowledged> e : acknowledged.entrySet()) {
            Clerk.Discharged d = visitOf.get(e.getKey());
            ObjectNode q = Signed.JSON.createObjectNode();
            q.putObject("data").put("psn_no", e.getValue().psnNo()).put("setl_id", e.getKey()).put("mdtrt_id", d.mdtrtId());
            // asked by the hospital that settled it: a hospital sees only its own visits
            JsonNode a = d.his().call("5203", c.insured(), q);
            if (!"0".equals(a.path("infcode").asText())) {
                problems.add("acknowledged settlement " + e.getKey() + " not found at the node: " + a.path("err_msg").asText());
            }
        }
        for (Map.Entry<String, BigDecimal> e : accountPaid.entrySet()) {
            BigDecimal balance = balance(his, c.insured(), e.getKey());
            BigDecimal expected = opening.getOrDefault(e.getKey(), LoadDriver.OPENING).subtract(e.getValue());
            if (balance == null || expected.compareTo(balance) != 0) {
                problems.add(e.getKey() + ": balance " + balance + " at the insured node, expected " + expected);
            }
        }
        return problems;
    }

    /** A person's account balance at the insured node, asked through the treatment node (1101). */
    static BigDecimal balance(HisClient his, String insured, String psnNo) {
        ObjectNode q = Signed.JSON.createObjectNode();
        q.putObject("data").put("mdtrt_cert_type", "01").put("mdtrt_cert_no", psnNo);
        JsonNode a = his.call("1101", insured, q);
        if (!"0".equals(a.path("infcode").asText())) {
            throw new IllegalStateException("1101 of " + psnNo + " refused: " + a.path("err_msg").asText());
        }
        return a.path("output").path("insuinfo").path(0).path("balc").decimalValue();
    }
}
