package org.medsettle.link.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;

/** The hub reads a message's envelope without its body, with the checks of a whole read. */
class WireEnvelopeTest {

    private static byte[] message() {
        ObjectNode body = WireJson.object();
        body.putArray("setldetail").addObject().put("fund_pay_type", "310100").put("fund_payamt", 1234.56);
        body.put("psn_no", "63000000000000000001");
        return Wire.message("330000-1", "APPLY", Admdvs.of("330000"), Admdvs.of("630000"), body);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theEnvelopeReadsAsTheWholeMessageDoesWithoutItsBody() {
        byte[] m = message();
        Wire.Received whole = Wire.read(m);
        Wire.Received envelope = Wire.readEnvelope(m);
        assertEquals(new Wire.Received(whole.msgId(), whole.type(), whole.from(), whole.to(), null, whole.sentAt(),
                whole.nonce()), envelope);
        assertNull(envelope.body());
    }

    @Test
    void whatAWholeReadRefusesTheEnvelopeRefusesToo() {
        String ok = new String(message(), StandardCharsets.UTF_8);
        ObjectNode n = (ObjectNode) WireJson.parse(message());
        ObjectNode withoutBody = n.deepCopy();
        withoutBody.remove("body");
        ObjectNode withoutNonce = n.deepCopy();
        withoutNonce.remove("nonce");
        ObjectNode shortNonce = n.deepCopy().put("nonce", "abc");
        ObjectNode badTime = n.deepCopy().put("sent_at", "yesterday");
        ObjectNode nullTo = n.deepCopy().putNull("to");
        for (byte[] bad : new byte[][] {WireJson.bytes(withoutBody), WireJson.bytes(withoutNonce),
                WireJson.bytes(shortNonce), WireJson.bytes(badTime), WireJson.bytes(nullTo), json("[1, 2]"),
                json(ok.replace("\"setldetail\":[", "\"setldetail\":[[")), json("not json")}) {
            assertThrows(IllegalArgumentException.class, () -> Wire.read(bad), new String(bad, StandardCharsets.UTF_8));
            assertThrows(IllegalArgumentException.class, () -> Wire.readEnvelope(bad),
                    new String(bad, StandardCharsets.UTF_8));
        }
    }

    @Test
    void anEnvelopeFieldThatIsNotAScalarOrContentAfterTheMessageIsRefused() {
        String ok = new String(message(), StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> Wire.readEnvelope(json(ok + " {}")));
        ObjectNode n = (ObjectNode) WireJson.parse(message());
        n.putObject("type").put("nested", "APPLY");
        assertThrows(IllegalArgumentException.class, () -> Wire.readEnvelope(WireJson.bytes(n)));
    }
}
