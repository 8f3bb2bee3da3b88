package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/**
 * The HIS requests' meters: counted by transaction, answer and insured province, timed by transaction; tags only of
 * known values, whatever a request says.
 */
@org.junit.jupiter.api.Tag("database")
class HisMetersTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void tagsAreReadFromTheFirstBytesAndKeptToKnownValues() {
        Set<String> served = Set.of("1101", "2304");
        assertEquals(new HisMeters.Request("2304", "630000"),
                HisMeters.Request.of(bytes("{\"infno\": \"2304\",\"insuplc_admdvs\":\"630102\"}"), served));
        assertEquals(new HisMeters.Request("other", "none"),
                HisMeters.Request.of(bytes("{\"infno\":\"9999\",\"insuplc_admdvs\":\"\"}"), served));
        assertEquals(new HisMeters.Request("other", "none"),
                HisMeters.Request.of(bytes("{\"infno\":2304,\"insuplc_admdvs\":\"63x102\"}"), served));
        assertEquals(new HisMeters.Request("other", "none"), HisMeters.Request.of(bytes("not json"), served));
        assertEquals("-2", HisMeters.infcode(bytes("{\"infcode\":\"-2\",\"inf_refmsgid\":\"1\"}")));
        assertEquals("other", HisMeters.infcode(bytes("{\"infcode\":\"7\"}")));
    }

    @Test
    void everyAnswerIsCountedAndTimedAtTheNode() {
        Network network = new Network();
        network.insured("630000").importPersons(HisTransactionsTest.PERSONS);
        Network.TreatmentNode node = network.treatment("330000");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        node.his.setMeters(registry);
        HisClient his = new HisClient(node, node.hospital(3));
        ObjectNode q = HisClient.object();
        q.putObject("data").put("mdtrt_cert_type", "02").put("mdtrt_cert_no", "631303199608106108");
        HisClient.ok(his.call("1101", "630000", q));
        his.call("1101", "630000", HisClient.object());
        his.sendRaw(bytes("{"));
        assertEquals(1.0, registry.get(HisMeters.REQUESTS).tags("infno", "1101", "infcode", "0", "insured", "630000")
                .counter().count());
        assertEquals(1.0, registry.get(HisMeters.REQUESTS).tags("infno", "1101", "infcode", "-2", "insured", "630000")
                .counter().count());
        assertEquals(1.0, registry.get(HisMeters.REQUESTS).tags("infno", "other", "infcode", "-2", "insured", "none")
                .counter().count());
        assertEquals(2, registry.get(HisMeters.LATENCY).tags("infno", "1101").timer().count());
        node.his.unsetMeters(registry);
        HisClient.ok(his.call("1101", "630000", q));
        assertEquals(2, registry.get(HisMeters.LATENCY).tags("infno", "1101").timer().count(), "unbound: not measured");
    }
}
