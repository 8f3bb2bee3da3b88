package org.medsettle.store.internal;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.medsettle.api.Admdvs;
import org.medsettle.api.Money;
import org.medsettle.api.model.Assistance;
import org.medsettle.api.model.InsuranceType;
import org.medsettle.api.model.Person;
import org.medsettle.api.model.PersonType;
import org.medsettle.api.person.PersonStore;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.StoreException;

/** Persons in table {@code person}: upserted in one transaction per import, audited without personal data. */
final class JdbcPersonStore implements PersonStore {

    private static final String COLUMNS = "psn_no, certno, psn_name, gend, brdy, insutype, psn_type, assistance, insuplc_admdvs, emp_name";

    private final DataSource dataSource;
    private final Clock clock;

    JdbcPersonStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public Upserted upsert(List<Person> persons, List<Money> openingBalances, String source, Actor actor) {
        if (persons.size() != openingBalances.size()) {
            throw new IllegalArgumentException("one opening balance per person");
        }
        Instant now = clock.instant();
        return Transactions.inTransaction(dataSource, "store the persons from " + source, c -> {
            int added = 0;
            int updated = 0;
            try (PreparedStatement update = c.prepareStatement("UPDATE person SET certno = ?, psn_name = ?, gend = ?, brdy = ?,"
                    + " insutype = ?, psn_type = ?, assistance = ?, insuplc_admdvs = ?, emp_name = ?, updated_at = ? WHERE psn_no = ?");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO person (" + COLUMNS + ", acct_balc, updated_at)"
                         + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < persons.size(); i++) {
                    Person p = persons.get(i);
                    update.setString(1, p.certno());
                    update.setString(2, p.name());
                    update.setString(3, p.gender());
                    update.setDate(4, Date.valueOf(p.birthDate()));
                    update.setString(5, p.insuranceType().code());
                    update.setString(6, p.personType().code());
                    update.setString(7, p.assistance().code());
                    update.setString(8, p.insuredPlace().code());
                    update.setString(9, p.employer());
                    update.setTimestamp(10, Timestamp.from(now));
                    update.setString(11, p.psnNo());
                    if (update.executeUpdate() == 1) {
                        updated++;
                        continue;
                    }
                    insert.setString(1, p.psnNo());
                    insert.setString(2, p.certno());
                    insert.setString(3, p.name());
                    insert.setString(4, p.gender());
                    insert.setDate(5, Date.valueOf(p.birthDate()));
                    insert.setString(6, p.insuranceType().code());
                    insert.setString(7, p.personType().code());
                    insert.setString(8, p.assistance().code());
                    insert.setString(9, p.insuredPlace().code());
                    insert.setString(10, p.employer());
                    insert.setBigDecimal(11, openingBalances.get(i).toYuan());
                    insert.setTimestamp(12, Timestamp.from(now));
                    insert.executeUpdate();
                    added++;
                }
                JdbcAuditLog.insert(c, new AuditEvent(now, actor.name(), actor.channel(), "PERSONS_IMPORTED", "",
                        added + " added, " + updated + " updated from " + (source.length() > 200 ? source.substring(0, 200) : source)));
                return new Upserted(added, updated);
            }
        });
    }

    @Override
    public Optional<Person> byPsnNo(String psnNo) {
        return one("psn_no", psnNo);
    }

    @Override
    public Optional<Person> byCertno(String certno) {
        return one("certno", certno);
    }

    @Override
    public Optional<Person> byPsnNo(Connection c, String psnNo) throws SQLException {
        return one(c, "psn_no", psnNo);
    }

    @Override
    public boolean hold(Connection c, String psnNo) throws SQLException {
        // an update that writes the value it reads: the row's write lock, held until the transaction ends
        try (PreparedStatement p = c.prepareStatement("UPDATE person SET updated_at = updated_at WHERE psn_no = ?")) {
            p.setString(1, psnNo);
            return p.executeUpdate() == 1;
        }
    }

    private Optional<Person> one(String column, String value) {
        try (Connection c = dataSource.getConnection()) {
            return one(c, column, value);
        } catch (SQLException e) {
            throw new StoreException("cannot read a person: " + SchemaMigrator.describe(e), e);
        }
    }

    private static Optional<Person> one(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM person WHERE " + column + " = ?")) {
            p.setString(1, value);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Person(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4).strip(),
                        rs.getDate(5).toLocalDate(), InsuranceType.ofCode(rs.getString(6).strip()),
                        PersonType.ofCode(rs.getString(7).strip()), Assistance.ofCode(rs.getString(8)),
                        Admdvs.of(rs.getString(9)), rs.getString(10)));
            }
        }
    }

    @Override
    public Optional<Money> accountBalance(String psnNo) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT acct_balc FROM person WHERE psn_no = ?")) {
            p.setString(1, psnNo);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(Money.ofYuan(rs.getBigDecimal(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read an account balance: " + SchemaMigrator.describe(e), e);
        }
    }

    @Override
    public long count() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM person")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("cannot count persons: " + SchemaMigrator.describe(e), e);
        }
    }
}
