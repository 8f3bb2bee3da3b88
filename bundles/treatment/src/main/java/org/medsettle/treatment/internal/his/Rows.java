package org.medsettle.treatment.internal.his;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.OptionalInt;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.SettlementAmounts;

/** The rows of the treatment node's tables, as read. */
final class Rows {

    private Rows() {
    }

    /**
     * A visit's states: OPEN, DISCHARGED (inpatient, after 2402), CANCELLED (2404), SETTLED. {@code feeVersion}: how
     * many fee-detail messages changed its lines; {@code feeRows}: some of its lines are rows of {@code fee_line}
     * (treatment schema V4).
     */
    record Visit(String mdtrtId, String psnNo, String hospital, String insutype, String medType, LocalDateTime begin,
                 Optional<LocalDateTime> end, Admdvs insuredPlace, Admdvs treatmentPlace, String iptOtpNo, String state,
                 Optional<String> setlId, String msgid, Optional<String> priorState, Optional<String> stateMsgid,
                 int feeVersion, boolean feeRows) {

        boolean inpatient() {
            return "21".equals(medType);
        }
    }

    /**
     * A settlement or reversal. States: PENDING (computed, being applied at the insured place), SETTLED, REVERSED
     * (a settlement a reversal took back), CORRECTED (undone by 2601), RELEASING (not committed: being taken back at
     * the insured place), ABANDONED (never took effect).
     */
    record Settlement(String setlId, String kind, Optional<String> reversalOf, String state, String mdtrtId,
                      String psnNo, String psnName, String hospital, Admdvs insuredPlace, String insutype,
                      String psnType, String medType, String msgid, LocalDateTime setlTime, int year, long accVersion,
                      SettlementAmounts amounts, String setldetail, String change, OptionalInt feeVersion) {

        /** A settlement not computed on a visit's bill here (a reversal), or stored before treatment schema V5. */
        Settlement(String setlId, String kind, Optional<String> reversalOf, String state, String mdtrtId,
                   String psnNo, String psnName, String hospital, Admdvs insuredPlace, String insutype,
                   String psnType, String medType, String msgid, LocalDateTime setlTime, int year, long accVersion,
                   SettlementAmounts amounts, String setldetail, String change) {
            this(setlId, kind, reversalOf, state, mdtrtId, psnNo, psnName, hospital, insuredPlace, insutype, psnType,
                    medType, msgid, setlTime, year, accVersion, amounts, setldetail, change, OptionalInt.empty());
        }

        boolean reversal() {
            return "REVERSAL".equals(kind);
        }
    }

    record Message(String msgid, String hospital, String infno, String bodySha256, String infcode, byte[] response,
                   Optional<LocalDateTime> correctedAt) {
    }
}
