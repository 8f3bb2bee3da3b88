package org.medsettle.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Who may read the metrics: exactly the addresses and networks listed, IPv4 and IPv6, literals only. */
class AddressRuleTest {

    @Test
    void theDefaultIsThisMachineOnly() {
        AddressRule r = AddressRule.parse(MetricsEndpoint.DEFAULT_ALLOW);
        assertTrue(r.allows("127.0.0.1"));
        assertTrue(r.allows("127.1.2.3"));
        assertTrue(r.allows("0:0:0:0:0:0:0:1"));
        assertTrue(r.allows("[::1]"));
        assertFalse(r.allows("10.0.0.1"));
        assertFalse(r.allows("::2"));
    }

    @Test
    void networksMatchByTheirPrefixBitByBit() {
        AddressRule r = AddressRule.parse("10.20.0.0/14, 192.168.1.15, fd00::/8");
        assertTrue(r.allows("10.23.255.255"));
        assertFalse(r.allows("10.24.0.0"));
        assertTrue(r.allows("192.168.1.15"));
        assertFalse(r.allows("192.168.1.16"));
        assertTrue(r.allows("fd12:3456::1"));
        assertFalse(r.allows("fe80::1"));
        assertEquals("10.20.0.0/14, 192.168.1.15/32, fd00:0:0:0:0:0:0:0/8", r.toString());
    }

    @Test
    void anEmptyListAllowsNobodyAndGarbageIsRefusedNamingTheEntry() {
        assertFalse(AddressRule.parse("").allows("127.0.0.1"));
        assertEquals("nobody", AddressRule.parse(" , ").toString());
        assertFalse(AddressRule.parse("127.0.0.1").allows("localhost"));
        assertFalse(AddressRule.parse("127.0.0.1").allows(null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AddressRule.parse("prometheus.example"))
                .getMessage().contains("'prometheus.example' is not an IPv4 or IPv6 address"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AddressRule.parse("10.0.0.0/33"))
                .getMessage().contains("prefix must be 0 to 32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AddressRule.parse("10.0.0.0/x"))
                .getMessage().contains("not a number"));
        assertThrows(IllegalArgumentException.class, () -> AddressRule.parse("300.1.1.1"));
    }
}
