package org.medsettle.api.insured;

import java.util.Objects;

import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.model.Person;
import org.medsettle.api.settlement.Accumulators;

/**
 * What a settlement needs from the insured node.
 *
 * @param filingId     the filing that covers the visit
 * @param year         the settlement year
 * @param version      the version of the person's accumulators (and balance) read here
 * @param accumulators the year's accumulators, with the current account balance
 */
public record Coverage(Person person, String filingId, FilingCategory category, int year, long version,
                       Accumulators accumulators) {

    public Coverage {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(filingId, "filingId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(accumulators, "accumulators");
    }
}
