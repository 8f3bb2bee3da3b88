package org.medsettle.treatment.internal.his;

import java.util.Optional;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.BusinessClock;

/** Response envelopes, and the recording of answers for msgid idempotency. */
final class Envelopes {

    static final ZoneId CHINA = BusinessClock.ZONE;
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    @FunctionalInterface
    interface Work {
        JsonNode run(Connection connection) throws SQLException;
    }

    private final Deps deps;

    Envelopes(Deps deps) {
        this.deps = deps;
    }

    private LocalDateTime now() {
        return LocalDateTime.now(deps.clock().withZone(CHINA));
    }

    byte[] success(JsonNode output, String warning) {
        return envelope("0", "", warning, output);
    }

    byte[] refusal(String infcode, String message) {
        return envelope(infcode, message, "", null);
    }

    private byte[] envelope(String infcode, String errMsg, String warnMsg, JsonNode output) {
        LocalDateTime now = now();
        ObjectNode o = Output.object();
        o.put("infcode", infcode);
        o.put("inf_refmsgid", deps.node().code() + COMPACT.format(now) + serial());
        o.put("refmsg_time", Output.TIME.format(now));
        o.put("respond_time", Output.TIME.format(now));
        o.put("err_msg", errMsg);
        o.put("warn_msg", warnMsg == null ? "" : warnMsg);
        if (output == null) {
            o.putNull("output");
        } else {
            o.set("output", output);
        }
        try {
            return Output.JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The serial of an answer's {@code inf_refmsgid}: from the store's sequence; when the store cannot give one (its
     * database is down — the answer is then a refusal saying so), a random one, so that the hospital still gets the
     * national envelope.
     */
    private String serial() {
        long n;
        try {
            n = deps.db().nextId("inf_refmsgid") % 10_000_000_000L;
        } catch (org.medsettle.api.store.StoreException e) {
            n = java.util.concurrent.ThreadLocalRandom.current().nextLong(10_000_000_000L);
        }
        String s = Long.toString(n);
        return "0".repeat(10 - s.length()) + s;
    }

    /**
     * Runs a transaction that changes the books and keeps its answer under the request's msgid, in one database
     * transaction: the change and the answer are committed together or not at all.
     */
    byte[] commit(Call call, String what, Work work) {
        return commit(call, what, "", work);
    }

    byte[] commit(Call call, String what, String warning, Work work) {
        try {
            return commitOnce(call, what, warning, work);
        } catch (org.medsettle.api.store.StoreException e) {
            // the same msgid answered at once by another instance sharing the database: its answer was committed
            // first (his_message's key), this request's work rolled back whole — answer what the first one answered
            Optional<byte[]> first = deps.db().inTransaction("read msgid " + call.msgid(),
                    c -> HisService.firstAnswer(call, TreatmentStore.message(c, call.msgid())));
            if (first.isPresent()) {
                return first.get();
            }
            throw e;
        }
    }

    private byte[] commitOnce(Call call, String what, String warning, Work work) {
        return deps.db().inTransaction(what, c -> {
            // a transaction that reads its msgid here (MsgidLookUp.IN_ITS_COMMIT): a repeat gets its first answer
            if (call.msgidLookUp() == MsgidLookUp.IN_ITS_COMMIT) {
                Optional<byte[]> first = HisService.firstAnswer(call, TreatmentStore.message(c, call.msgid()));
                if (first.isPresent()) {
                    return first.get();
                }
            }
            byte[] response = success(work.run(c), warning);
            byte[] zipped = TreatmentStore.zip(response);
            if (zipped.length > TreatmentStore.MAX_STORED_RESPONSE) {
                throw HisRefusal.business("the answer to this request is too large to keep for a repeat: send fewer "
                        + "lines per request");
            }
            TreatmentStore.recordMessage(c, call.msgid(), call.hospital().code(), call.infno(), call.sha256(), "0",
                    zipped, deps.clock().instant(), false);
            return response;
        });
    }
}
