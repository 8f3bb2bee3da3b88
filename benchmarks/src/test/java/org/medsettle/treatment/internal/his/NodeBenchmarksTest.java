package org.medsettle.treatment.internal.his;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medsettle.benchmarks.ClassificationBenchmark;

/** The node's benchmarks still run and do what they claim (never how fast: that is measured by JMH only). */
class NodeBenchmarksTest {

    @Test
    void classificationSplitsThirtyLines() {
        ClassificationBenchmark b = new ClassificationBenchmark();
        b.setUp();
        assertEquals(30, b.classifyThirtyLines().size());
    }

    @Test
    void theEnvelopeBenchmarkReadsThirtyLinesAndWritesAnAnswer() throws Exception {
        EnvelopeBenchmark b = new EnvelopeBenchmark();
        b.setUp();
        assertEquals(30, b.parseAThirtyLineUploadAndReadEveryField());
        assertTrue(new String(b.writeASettlementAnswer(), java.nio.charset.StandardCharsets.UTF_8).contains("\"hifp_pay\":1234.56"));
    }

    @Test
    void theCommitBenchmarkCommitsDurablyAndCleansUp() throws Exception {
        StoreCommitBenchmark b = new StoreCommitBenchmark();
        b.setUp();
        try {
            assertTrue(b.commitASettlement());
            assertTrue(b.commitASettlementWithItsLedgerEntries());
        } finally {
            b.tearDown();
        }
    }
}
