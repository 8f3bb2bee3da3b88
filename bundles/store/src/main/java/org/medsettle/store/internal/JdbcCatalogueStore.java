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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.medsettle.api.catalogue.CatalogueEntry;
import org.medsettle.api.catalogue.CatalogueStore;
import org.medsettle.api.catalogue.CatalogueVersionInfo;
import org.medsettle.api.catalogue.ChargeClass;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.StoreException;

/** Catalogue versions in {@code catalogue_version} and {@code catalogue_entry}; every change audited in the same transaction. */
final class JdbcCatalogueStore implements CatalogueStore {

    private static final int BATCH = 1000;
    private static final String VERSION_COLUMNS = "version_id, source, imported_at, imported_by, entry_count, active";

    private final DataSource dataSource;
    private final Clock clock;

    JdbcCatalogueStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    @Override
    public CatalogueVersionInfo save(String source, Actor actor, List<CatalogueEntry> entries) {
        Instant now = clock.instant();
        String shortSource = source.length() > 500 ? source.substring(source.length() - 500) : source;
        return Transactions.inTransaction(dataSource, "store the catalogue from " + source, c -> {
            long id;
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO catalogue_version (source, imported_at, imported_by, entry_count, active)"
                    + " VALUES (?, ?, ?, ?, 0)", Statement.RETURN_GENERATED_KEYS)) {
                insert.setString(1, shortSource);
                insert.setTimestamp(2, Timestamp.from(now));
                insert.setString(3, actor.name());
                insert.setInt(4, entries.size());
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO catalogue_entry (version_id, line_no, med_list_codg, name,"
                    + " kind, charge_class, selfpay_prop, price_limit, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int line = 0;
                for (CatalogueEntry e : entries) {
                    insert.setLong(1, id);
                    insert.setInt(2, ++line);
                    insert.setString(3, e.medListCodg());
                    insert.setString(4, e.name());
                    insert.setString(5, e.kind());
                    insert.setString(6, e.chargeClass().name());
                    insert.setBigDecimal(7, e.selfpayProp());
                    insert.setBigDecimal(8, e.priceLimit().orElse(null));
                    insert.setDate(9, Date.valueOf(e.validFrom()));
                    insert.setDate(10, e.validTo().map(Date::valueOf).orElse(null));
                    insert.addBatch();
                    if (line % BATCH == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            JdbcAuditLog.insert(c, new AuditEvent(now, actor.name(), actor.channel(), "CATALOGUE_IMPORTED", "v" + id,
                    entries.size() + " entries from " + shortSource));
            return new CatalogueVersionInfo(id, shortSource, now, actor.name(), entries.size(), false);
        });
    }

    @Override
    public CatalogueVersionInfo activate(long versionId, Actor actor) {
        return Transactions.inTransaction(dataSource, "activate catalogue version v" + versionId, c -> {
            CatalogueVersionInfo target = version(c, versionId)
                    .orElseThrow(() -> new StoreException("no catalogue version v" + versionId));
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE catalogue_version SET active = 0 WHERE active = 1");
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE catalogue_version SET active = 1 WHERE version_id = ?")) {
                p.setLong(1, versionId);
                p.executeUpdate();
            }
            JdbcAuditLog.insert(c, new AuditEvent(clock.instant(), actor.name(), actor.channel(), "CATALOGUE_ACTIVATED",
                    "v" + versionId, target.entries() + " entries from " + target.source()));
            return new CatalogueVersionInfo(target.id(), target.source(), target.importedAt(), target.importedBy(), target.entries(), true);
        });
    }

    @Override
    public List<CatalogueVersionInfo> versions() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + VERSION_COLUMNS + " FROM catalogue_version ORDER BY version_id DESC")) {
            List<CatalogueVersionInfo> list = new ArrayList<>();
            while (rs.next()) {
                list.add(info(rs));
            }
            return list;
        } catch (SQLException e) {
            throw new StoreException("cannot read catalogue versions: " + SchemaMigrator.describe(e), e);
        }
    }

    @Override
    public Optional<CatalogueVersionInfo> active() {
        return versions().stream().filter(CatalogueVersionInfo::active).findFirst();
    }

    @Override
    public List<CatalogueEntry> entries(long versionId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement p = c.prepareStatement("SELECT med_list_codg, name, kind, charge_class, selfpay_prop, price_limit,"
                     + " valid_from, valid_to FROM catalogue_entry WHERE version_id = ? ORDER BY line_no")) {
            p.setLong(1, versionId);
            p.setFetchSize(1000);
            List<CatalogueEntry> entries = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Date to = rs.getDate(8);
                    entries.add(new CatalogueEntry(rs.getString(1), rs.getString(2), rs.getString(3),
                            ChargeClass.valueOf(rs.getString(4).strip()), rs.getBigDecimal(5).stripTrailingZeros(),
                            Optional.ofNullable(rs.getBigDecimal(6)).map(java.math.BigDecimal::stripTrailingZeros),
                            rs.getDate(7).toLocalDate(), Optional.ofNullable(to).map(Date::toLocalDate)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new StoreException("cannot read catalogue version v" + versionId + ": " + SchemaMigrator.describe(e), e);
        }
    }

    private static Optional<CatalogueVersionInfo> version(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + VERSION_COLUMNS + " FROM catalogue_version WHERE version_id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(info(rs)) : Optional.empty();
            }
        }
    }

    private static CatalogueVersionInfo info(ResultSet rs) throws SQLException {
        return new CatalogueVersionInfo(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                rs.getInt(5), rs.getInt(6) == 1);
    }
}
