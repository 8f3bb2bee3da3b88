package org.medsettle.api.his;

/**
 * The national interface's transactions (his-interface.md), behind every HIS adapter. An adapter carries
 * envelopes (the request's JSON bytes, as the hospital sent them) and proves which hospital sent them; this
 * service parses, checks, runs the transaction and answers with the response envelope. It never throws for bad
 * input: every refusal is an envelope with {@code infcode} -2 (or -1 when the outcome is uncertain).
 */
public interface HisTransactions {

    /**
     * @param hospital the {@code fixmedins_code} the adapter authenticated; the envelope must name the same one
     * @param body     the request envelope as received (UTF-8 JSON)
     * @return the response envelope (UTF-8 JSON)
     */
    byte[] call(String hospital, byte[] body);

    /** A response envelope refusing a request that never reached parsing (too large, not signed, ...). */
    byte[] refuse(String infcode, String errMsg);
}
