package org.medsettle.api.person;

import java.io.InputStream;
import java.util.Optional;
import java.util.function.IntConsumer;

import org.medsettle.api.Money;
import org.medsettle.api.model.Person;
import org.medsettle.api.store.Actor;

/** The persons insured in this node's province: look-ups and imports of the core system's extracts. */
public interface PersonRegistry {

    Optional<Person> byPsnNo(String psnNo);

    /** As {@link #byPsnNo(String)}, read on the caller's connection, in its transaction. */
    default Optional<Person> byPsnNo(java.sql.Connection connection, String psnNo) throws java.sql.SQLException {
        return byPsnNo(psnNo);
    }

    /**
     * Takes the person's row in the caller's transaction until it ends ({@link PersonStore#hold}): changes for one
     * person made one after another, across instances too. False if there is no such person.
     */
    boolean hold(java.sql.Connection connection, String psnNo) throws java.sql.SQLException;

    /** By ID number ({@code certno}); an {@code x} check digit matches {@code X}. */
    Optional<Person> byCertno(String certno);

    /**
     * The account balance the person was imported with (the core system's extract). The running balance after the
     * settlements applied at this insured place is the insured place's ({@code InsuredLedger}, {@code InsuredPlace}).
     */
    Optional<Money> accountBalance(String psnNo);

    long count();

    /**
     * Reads a person CSV ({@code psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name});
     * if every line is valid, all are applied in one transaction, else nothing changes.
     */
    PersonImportResult importCsv(InputStream csv, String source, Actor actor, IntConsumer progress);
}
