package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.medsettle.api.Money;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.MedicalType;

class EstimateFileTest {

    private static final String GOOD = "{\"insuplc_admdvs\": \"630000\", \"insutype\": \"310\", \"psn_type\": \"retired\","
            + " \"assistance\": null, \"filing_category\": \"LONG_TERM\", \"med_type\": \"21\", \"hosp_lv\": \"3\","
            + " \"setl_date\": \"2026-06-20\", \"acct_used_flag\": \"1\", \"balc\": \"5000.00\","
            + " \"accumulators\": {\"inpatient_admissions\": 1, \"pools\": {\"inpatient\": {\"inscp\": \"18000.00\"}}},"
            + " \"feedetail\": [{\"feedetl_sn\": \"0001\", \"med_list_codg\": \"X\", \"fee_ocur_time\": \"2026-06-10 09:00:00\","
            + " \"pric\": \"12.30\", \"cnt\": \"2\", \"det_item_fee_sumamt\": \"24.60\"}]}";

    private static EstimateFile read(String json) throws IOException {
        return EstimateFile.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCompleteFileReadsIntoAVisit() throws IOException {
        EstimateFile f = read(GOOD);
        assertTrue(f.retired());
        assertEquals(FilingCategory.LONG_TERM_RESIDENT, f.filingCategory());
        assertEquals(MedicalType.INPATIENT, f.medicalType());
        assertEquals(Money.ofYuan("5000"), f.accumulators().accountBalance());
        assertEquals(Money.ofYuan("18000"), f.accumulators().pool("inpatient").inscp());
        assertEquals(1, f.accumulators().inpatientAdmissions());
        assertEquals(Money.ofYuan("24.60"), f.items().get(0).amount());
    }

    @Test
    void aMissingOrMistypedFieldIsNamed() {
        assertEquals("med_type: is required", assertThrows(IllegalArgumentException.class,
                () -> read(GOOD.replace("\"med_type\": \"21\",", ""))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(GOOD.replace("\"2026-06-20\"", "\"20-06-2026\"")))
                .getMessage().startsWith("setl_date:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(GOOD.replace("\"24.60\"", "\"24.605\"")))
                .getMessage().startsWith("feedetail[0].det_item_fee_sumamt:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(GOOD.replace("\"retired\"", "\"veteran\"")))
                .getMessage().startsWith("psn_type:"));
    }

    @Test
    void aTimeOrADayThatDoesNotExistIsRefusedNotMovedToTheEndOfTheMonth() {
        for (String time : new String[] {"2026-02-30 09:00:00", "2026-02-29 09:00:00", "2026-06-10 24:00:00"}) {
            String message = assertThrows(IllegalArgumentException.class,
                    () -> read(GOOD.replace("2026-06-10 09:00:00", time))).getMessage();
            assertTrue(message.startsWith("feedetail[0].fee_ocur_time:") && message.contains(time), message);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> read(GOOD.replace("2026-06-20", "2026-02-30")))
                .getMessage().startsWith("setl_date:"));
    }
}
