package org.medsettle.api.person;

import java.util.List;
import java.util.Optional;

import org.medsettle.api.Money;
import org.medsettle.api.model.Person;
import org.medsettle.api.store.Actor;

/** Durable persons (implemented by the store). */
public interface PersonStore {

    /** Counts of one upsert. */
    record Upserted(int added, int updated) {
    }

    /**
     * Adds new persons with their opening account balance and updates the others' personal data (their balance,
     * kept by this node since, is not overwritten). One transaction, audited.
     */
    Upserted upsert(List<Person> persons, List<Money> openingBalances, String source, Actor actor);

    Optional<Person> byPsnNo(String psnNo);

    /** As {@link #byPsnNo(String)}, read on the caller's connection, in its transaction. */
    default Optional<Person> byPsnNo(java.sql.Connection connection, String psnNo) throws java.sql.SQLException {
        return byPsnNo(psnNo);
    }

    /**
     * Takes person {@code psnNo}'s row in the transaction of {@code connection} until it ends, changing nothing: what
     * is changed for one person in several steps (a filing superseding the person's filings) is then changed one
     * transaction after another, also across instances sharing the database.
     *
     * @return false if there is no such person (nothing taken)
     */
    boolean hold(java.sql.Connection connection, String psnNo) throws java.sql.SQLException;

    Optional<Person> byCertno(String certno);

    /** The account balance the person was imported with (the running balance is the insured place's, table person_account). */
    Optional<Money> accountBalance(String psnNo);

    long count();
}
