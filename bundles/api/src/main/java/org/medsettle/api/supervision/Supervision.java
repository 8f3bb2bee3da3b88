package org.medsettle.api.supervision;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.medsettle.api.his.VisitFees;
import org.medsettle.api.store.Actor;

/**
 * The rules a treatment node runs on every settlement (就医地管理, funds.md "Large amounts and supervision"): the same
 * person in hospital in two places at once, the same fee item settled twice, a stay with days without fees (挂床),
 * an item billed beyond a plausible quantity, a person whose identity check failed. Each rule flags (the settlement
 * goes through and the flag waits for review — the default), blocks (the settlement is refused, and the refusal is
 * recorded) or is off, as {@code etc/org.medsettle.supervision.cfg} says. Flags are kept in the tables of the
 * {@code medsettle-supervision} bundle, which alone writes them; a settlement's flags are committed in the
 * settlement's own transaction.
 */
public interface Supervision {

    /**
     * The rules' verdict on visit {@code mdtrtId} as it would be settled at {@code asOf} (China time), read in the
     * caller's transaction: the visit, its fee lines, the person's other visits at this node and the identity checks
     * that failed. Writes nothing.
     *
     * @throws IllegalArgumentException no such visit
     */
    Verdict check(Connection transaction, String mdtrtId, LocalDateTime asOf) throws SQLException;

    /**
     * As {@link #check(Connection, String, LocalDateTime)}, with the visit's active fee lines the caller has just
     * read in the same transaction ({@code VisitFees.lines(transaction, mdtrtId, true)}), so that a settlement reads
     * them once.
     */
    default Verdict check(Connection transaction, String mdtrtId, LocalDateTime asOf,
                          List<VisitFees.Line> activeLines) throws SQLException {
        return check(transaction, mdtrtId, asOf);
    }

    /**
     * A visit as the rules see it, e.g. as the caller has just read it in the same transaction (its row of table
     * {@code visit}), so that a settlement reads it once. {@code end}: the discharge of an inpatient stay (empty while
     * the patient is in hospital), the registration time of an outpatient visit.
     */
    record Stay(String mdtrtId, String psnNo, String hospital, boolean inpatient, LocalDateTime begin,
                Optional<LocalDateTime> end, String state) {
    }

    /** As {@link #check(Connection, String, LocalDateTime, List)}, with the visit the caller has just read. */
    default Verdict check(Connection transaction, Stay visit, LocalDateTime asOf, List<VisitFees.Line> activeLines)
            throws SQLException {
        return check(transaction, visit.mdtrtId(), asOf, activeLines);
    }

    /**
     * Records a verdict's findings (those not {@link Mode#OFF}) in the caller's transaction: with {@code setlId}, the
     * settlement they were flagged on (outcome {@link Outcome#SETTLED}); without, a settlement the blocking rules
     * refused ({@link Outcome#REFUSED}).
     */
    void record(Connection transaction, Verdict verdict, Optional<String> setlId) throws SQLException;

    /**
     * A person information request (1101) found {@code check}'s person: compares what the hospital gave (name, ID
     * number) with the insured record. A mismatch is a failed identity check: recorded (its own transaction) and
     * answered as a finding of {@link Rule#IDENTITY_CHECK_FAILED}, whose mode says whether the request is refused.
     */
    Optional<Finding> identityCheck(IdentityCheck check);

    /** The flags recorded here, newest first, as {@code query} selects. */
    List<Flag> flags(FlagQuery query);

    /** One flag, by its id. */
    Optional<Flag> flag(long flagId);

    /**
     * Records the review of a flag (an administrator): confirmed (the finding holds: a matter for the agency) or
     * dismissed (explained), with a comment; committed with its audit record.
     *
     * @throws IllegalArgumentException no such flag, reviewed already, no comment or longer than 1,000 characters
     */
    Flag review(long flagId, Review review, String comment, Actor actor);

    /** Every rule with its mode and settings now in force. */
    List<RuleSetting> rules();

    /** The rules, by the name their settings and flags use. */
    enum Rule {
        /** 同一人同期多地住院: in hospital elsewhere (or settled at another hospital) during the stay. */
        OVERLAPPING_STAY("overlapping-stay"),
        /** 重复收费: the same item at the same time billed twice, in this visit or settled in another. */
        REPEATED_FEE_ITEM("repeated-fee-item"),
        /** 挂床: an inpatient stay with consecutive days on which nothing was billed. */
        IDLE_STAY("idle-stay"),
        /** 超量: an item billed in a quantity beyond what the days of the visit make plausible. */
        IMPLAUSIBLE_QUANTITY("implausible-quantity"),
        /** 身份核验未通过: a person information request with a name or ID number the insured record does not have. */
        IDENTITY_CHECK_FAILED("identity-check-failed");

        private final String key;

        Rule(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Optional<Rule> ofKey(String key) {
            for (Rule r : values()) {
                if (r.key.equals(key)) {
                    return Optional.of(r);
                }
            }
            return Optional.empty();
        }
    }

    /** What a rule does when it finds something. */
    enum Mode {
        /** Not run. */
        OFF,
        /** Recorded for review; the settlement goes through (the default). */
        FLAG,
        /** The settlement (or the identity check) is refused, and the refusal recorded. */
        BLOCK
    }

    /** What became of the settlement a flag was found on. */
    enum Outcome {
        SETTLED, REFUSED
    }

    /** A flag's review. */
    enum Review {
        OPEN, CONFIRMED, DISMISSED
    }

    /** One rule's finding on a visit, in words a hospital clerk and an agency's auditor can check. */
    record Finding(Rule rule, Mode mode, String detail) {
    }

    /** The rules' findings on one visit. */
    record Verdict(String mdtrtId, String psnNo, String hospital, List<Finding> findings) {

        public Verdict {
            findings = List.copyOf(findings);
        }

        /** The findings of rules that block. */
        public List<Finding> blocking() {
            return findings.stream().filter(f -> f.mode() == Mode.BLOCK).toList();
        }

        /** The findings, one sentence each, for a warning to the hospital. */
        public String summary() {
            return String.join("; ", findings.stream().map(f -> f.rule().key() + ": " + f.detail()).toList());
        }
    }

    /**
     * A person information request: who asked, the person found, and what the hospital gave ({@code givenName},
     * {@code givenCertno}: empty if it gave none).
     */
    record IdentityCheck(String hospital, String psnNo, String recordName, String recordCertno,
                         Optional<String> givenName, Optional<String> givenCertno, LocalDateTime time) {
    }

    /** A recorded flag. {@code setlId} is empty for a refused settlement. */
    record Flag(long id, LocalDateTime flaggedAt, Rule rule, Mode mode, Outcome outcome, String hospital,
                String mdtrtId, String psnNo, Optional<String> setlId, String detail, Review review,
                Optional<LocalDateTime> reviewedAt, Optional<String> reviewedBy, Optional<String> reviewComment) {
    }

    /** Which flags: by rule, hospital, person, visit, review state, flagging date (China), at most {@code limit}. */
    record FlagQuery(Optional<Rule> rule, Optional<String> hospital, Optional<String> psnNo, Optional<String> mdtrtId,
                     Optional<Review> review, Optional<LocalDate> from, Optional<LocalDate> to, int limit) {

        public static FlagQuery all(int limit) {
            return new FlagQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), limit);
        }
    }

    /** A rule's mode and its settings (name = value), as in force. */
    record RuleSetting(Rule rule, Mode mode, String settings) {
    }
}
