package org.medsettle.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Admdvs;
import org.medsettle.api.hub.HubDirectory.Node;

class DirectoryChangesTest {

    private static final Instant T = Instant.parse("2026-12-02T08:00:00Z");
    private static final String CERT_A = "a".repeat(64);
    private static final String CERT_B = "b".repeat(64);

    private static Node node(String province, String url, String cert, Instant updated) {
        return new Node(Admdvs.of(province), URI.create(url), cert, updated);
    }

    @Test
    void aReadingLikeTheLastOneShowsNoChange() {
        Map<String, Node> d = Map.of("330000", node("330000", "https://lb:8444", CERT_A, T));
        assertEquals(List.of(), HubComponent.directoryChanges(d, Map.copyOf(d)));
    }

    @Test
    void nodesAddedTakenOutAndGivenANewCertificateAtAnotherInstanceAreEachNamedInProvinceOrder() {
        Map<String, Node> before = Map.of(
                "630000", node("630000", "https://qh:8444", CERT_A, T),
                "130000", node("130000", "https://hb:8444", CERT_B, T));
        Map<String, Node> after = Map.of(
                "630000", node("630000", "https://qh:8444", CERT_B.replace('b', 'c'), T.plusSeconds(9)),
                "330000", node("330000", "https://zj:8444", CERT_A.replace('a', 'd'), T.plusSeconds(3)));
        assertEquals(List.of(
                "130000 taken out: its requests are refused from now on",
                "330000 added at https://zj:8444 (certificate " + "d".repeat(64) + ")",
                "630000 now at https://qh:8444 (certificate " + "c".repeat(64) + "), was " + CERT_A),
                HubComponent.directoryChanges(before, after));
    }

    @Test
    void aNewAddressWithTheSameCertificateDoesNotRepeatIt() {
        Map<String, Node> before = Map.of("330000", node("330000", "https://a:8444", CERT_A, T));
        Map<String, Node> after = Map.of("330000", node("330000", "https://lb:8444", CERT_A, T.plusSeconds(1)));
        assertEquals(List.of("330000 now at https://lb:8444 (certificate " + CERT_A + ")"),
                HubComponent.directoryChanges(before, after));
    }
}
