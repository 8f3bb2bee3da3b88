package org.medsettle.api.insured;

import java.util.Objects;

import org.medsettle.api.Money;
import org.medsettle.api.model.Person;

/** A person as the insured node knows them, with the account balance it keeps. */
public record InsuredPerson(Person person, Money balance) {

    public InsuredPerson {
        Objects.requireNonNull(person, "person");
        Objects.requireNonNull(balance, "balance");
    }
}
