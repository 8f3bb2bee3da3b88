package org.medsettle.api.settlement;

import org.medsettle.api.Money;

/** One {@code setldetail} line: what one fund paid on the visit's in-scope amount. */
public record FundPayment(String fundPayType, String fundPayTypeName, Money inscpScpAmt, Money fundPayamt) {
}
