package org.medsettle.treatment.internal.his;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.medsettle.api.Admdvs;
import org.medsettle.api.insured.InsuredPlace;
import org.medsettle.api.link.LinkUnavailableException;
import org.medsettle.api.policy.PolicyRefusal;
import org.medsettle.api.policy.PolicyRegistry;
import org.medsettle.api.policy.PolicyVersion;
import org.medsettle.api.policy.ProvincePolicy;
import org.medsettle.api.store.Actor;
import org.medsettle.engine.internal.Reference;
import org.medsettle.engine.internal.RulesEngine;
import org.medsettle.filings.internal.FilingRegistryService;
import org.medsettle.hospitals.internal.HospitalRegistryService;
import org.medsettle.insured.internal.LocalInsuredPlace;
import org.medsettle.persons.internal.PersonRegistryService;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestIdentities;
import org.medsettle.store.testing.TestStores;

/**
 * Nodes in one JVM, each on its own real (in-memory Derby) store with the real services: treatment nodes with
 * hospitals, the reference catalogue and the reference policies; insured nodes with persons, filings and the
 * insured-place service. Treatment nodes reach an insured node directly, as the link and hub will carry it.
 */
final class Network {

    /**
     * The national link's outbox as the treatment node sees it (the link bundle is not part of these tests): the
     * notice written into {@code link_outbox} within the transaction the node hands over, as the link does.
     */
    static void writeNotice(java.sql.Connection c, org.medsettle.api.link.HubMessage notice) throws java.sql.SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO link_outbox (msg_id, msg_type, from_admdvs, "
                + "to_admdvs, body, created_at, attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP, 0, "
                + "CURRENT_TIMESTAMP)")) {
            ps.setString(1, notice.msgId());
            ps.setString(2, notice.type());
            ps.setString(3, notice.from().code());
            ps.setString(4, notice.to().code());
            ps.setString(5, notice.body());
            ps.executeUpdate();
        }
    }



    static final class InsuredNode {
        final StoreComponent store;
        final PersonRegistryService persons;
        final FilingRegistryService filings;
        final org.medsettle.ledger.internal.LedgerService ledger;
        final LocalInsuredPlace place;
        /** Unreachable for everything. */
        volatile boolean down;
        /** Answers look-ups but not {@code apply}: the link fails in the middle of a settlement. */
        volatile boolean applyDown;
        /**
         * Run once when the next {@code apply} arrives, before it is applied: what other requests do at the treatment
         * node while a settlement waits for the insured place.
         */
        volatile Runnable beforeNextApply;
        /** Answers everything but {@code undo}: a settlement cannot be taken back there now. */
        volatile boolean undoDown;
        /** How many times a treatment node asked this node for coverage (a round trip through the hub each). */
        final java.util.concurrent.atomic.AtomicInteger coverageAsked = new java.util.concurrent.atomic.AtomicInteger();

        /** Its top-ups of the treatment difference (待遇补差), recorded from the notices {@link #deliver}ed to it. */
        final org.medsettle.insured.internal.TopUpBook topUps;

        InsuredNode(String admdvs, PolicyRegistry policies) {
            this(admdvs, freshNodeStore(), Clock.systemUTC(), policies);
        }

        /** The insured node of {@code admdvs} on {@code store} (shared with its treatment node: one node per province). */
        InsuredNode(String admdvs, StoreComponent store, Clock clock, PolicyRegistry policies) {
            this.store = store;
            persons = new PersonRegistryService(store, TestIdentities.node(admdvs));
            filings = new FilingRegistryService(store, store, persons, TestIdentities.node(admdvs));
            ledger = ledgerOn(store);
            ledger.addCheck(new org.medsettle.insured.internal.InsuredLedgerCheck());
            ledger.addCheck(new org.medsettle.insured.internal.TopUpLedgerCheck());
            store.applyOwnSchema(LocalInsuredPlace.class.getClassLoader(), "db/insured", "medsettle-insured");
            // the top-ups read the clearing's lines to know when they are payable
            store.applyOwnSchema(org.medsettle.clearing.internal.ClearingNode.class.getClassLoader(), "db/clearing",
                    "medsettle-clearing");
            place = new LocalInsuredPlace(store, persons, filings, TestIdentities.node(admdvs), store, ledger, clock);
            topUps = new org.medsettle.insured.internal.TopUpBook(store, store, ledger, TestIdentities.node(admdvs),
                    persons, policies, clock);
        }

        /** The person's balance at this insured place now (the running one; the import's before any change). */
        org.medsettle.api.Money balance(String psnNo) {
            return place.accumulators(psnNo, 2026).accountBalance();
        }

        void importPersons(String csv) {
            var result = persons.importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test.csv",
                    Actor.console("test"), n -> { });
            if (!result.accepted()) {
                throw new IllegalStateException(result.problems().toString());
            }
        }
    }

    static final class TreatmentNode {
        final String admdvs;
        final StoreComponent store;
        final HospitalRegistryService hospitals;
        final org.medsettle.ledger.internal.LedgerService ledger;
        final org.medsettle.supervision.internal.SupervisionService supervision;
        final HisService his;
        private final AtomicLong sequence = new AtomicLong();

        TreatmentNode(String admdvs, Network network) {
            this(admdvs, network, freshNodeStore());
        }

        TreatmentNode(String admdvs, Network network, StoreComponent store) {
            this(admdvs, network, store, db -> db);
        }

        /** A node whose transactions go through {@code db} (e.g. one that records them) in front of its store. */
        TreatmentNode(String admdvs, Network network, StoreComponent store,
                      java.util.function.UnaryOperator<org.medsettle.api.store.Transactor> db) {
            this.admdvs = admdvs;
            this.store = store;
            hospitals = new HospitalRegistryService(store, store, TestIdentities.node(admdvs));
            String p = admdvs.substring(0, 2);
            String csv = "fixmedins_code,fixmedins_name,hosp_lv,admdvs\n"
                    + "H" + p + "010000001,社区卫生服务中心,1," + p + "0100\n"
                    + "H" + p + "010000002,区人民医院,2," + p + "0100\n"
                    + "H" + p + "010000003,第一人民医院,3," + p + "0100\n";
            var result = hospitals.importCsv(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "h.csv",
                    Actor.console("test"));
            if (!result.accepted()) {
                throw new IllegalStateException(result.problems().toString());
            }
            ledger = ledgerOn(store);
            ledger.addCheck(new SettlementLedgerCheck());
            store.applyOwnSchema(HisService.class.getClassLoader(), "db/treatment", "medsettle-treatment");
            org.medsettle.api.catalogue.Catalogue catalogue = Reference.catalogue(admdvs);
            supervision = supervisionOn(store, catalogue, network.clock);
            his = new HisService(db.apply(store), TestIdentities.node(admdvs), hospitals, catalogue, new RulesEngine(),
                    network.policies, store, network::insuredPlace, Network::writeNotice, ledger, supervision, network.clock);
            // the reference sequences are of 2025-12 to 2026-07: accept admissions of the last ten years, so that
            // these tests keep passing as the clock moves on (the default window is 400 days)
            his.modified(java.util.Map.of("admissionMaxAgeDays", "3650"));
        }

        String hospital(int level) {
            return "H" + admdvs.substring(0, 2) + "01000000" + level;
        }

        /** A fresh msgid of a hospital: code + yyyyMMddHHmmss + 4-digit sequence. */
        String msgid(String hospital) {
            long n = sequence.incrementAndGet();
            return hospital + String.format("2026%010d", n / 10000) + String.format("%04d", n % 10000);
        }
    }

    /**
     * A new store with the tables of every bundle of a node (the ledger's, the insured place's, the clearing's, the
     * treatment's, the supervision rules'): a copy of a template migrated once ({@link TestStores#fresh(
     * TestStores.OwnSchema...)}), on which the nodes' own {@code applyOwnSchema} below finds nothing left to do.
     */
    static StoreComponent freshNodeStore() {
        return TestStores.fresh(
                TestStores.OwnSchema.of(org.medsettle.ledger.internal.LedgerService.class, "db/ledger", "medsettle-ledger"),
                TestStores.OwnSchema.of(LocalInsuredPlace.class, "db/insured", "medsettle-insured"),
                TestStores.OwnSchema.of(org.medsettle.clearing.internal.ClearingNode.class, "db/clearing",
                        "medsettle-clearing"),
                TestStores.OwnSchema.of(HisService.class, "db/treatment", "medsettle-treatment"),
                TestStores.OwnSchema.of(org.medsettle.supervision.internal.SupervisionService.class, "db/supervision",
                        "medsettle-supervision"));
    }

    /** The real ledger on {@code store}, its own migrations applied as the schema extender applies them. */
    static org.medsettle.ledger.internal.LedgerService ledgerOn(StoreComponent store) {
        store.applyOwnSchema(org.medsettle.ledger.internal.LedgerService.class.getClassLoader(), "db/ledger",
                "medsettle-ledger");
        return new org.medsettle.ledger.internal.LedgerService(store, Clock.systemUTC());
    }

    /** The real supervision rules on {@code store}, their own migrations applied as the schema extender does. */
    static org.medsettle.supervision.internal.SupervisionService supervisionOn(StoreComponent store,
                                                                                 org.medsettle.api.catalogue.Catalogue catalogue,
                                                                                 Clock clock) {
        store.applyOwnSchema(org.medsettle.supervision.internal.SupervisionService.class.getClassLoader(),
                "db/supervision", "medsettle-supervision");
        return org.medsettle.supervision.internal.SupervisionService.of(store, store, catalogue, clock);
    }

    static final PolicyRegistry POLICIES = new PolicyRegistry() {
        public List<ProvincePolicy> provinces() {
            return List.of();
        }

        public Optional<ProvincePolicy> province(Admdvs province) {
            return Optional.empty();
        }

        public PolicyVersion inForce(Admdvs province, LocalDate settlementDate) {
            return new PolicyVersion(Reference.policy(province.code()), "reference " + province);
        }

        public List<PolicyRefusal> refusals() {
            return List.of();
        }
    };

    /** Policies that replace the reference one of their province (e.g. a version that pays a top-up). */
    final Map<String, org.medsettle.api.policy.Policy> policyOverrides = new java.util.concurrent.ConcurrentHashMap<>();

    /** The reference policies, but those of {@link #policyOverrides}: every node's of this network. */
    final PolicyRegistry policies = new PolicyRegistry() {
        public List<ProvincePolicy> provinces() {
            return List.of();
        }

        public Optional<ProvincePolicy> province(Admdvs province) {
            return Optional.empty();
        }

        public PolicyVersion inForce(Admdvs province, LocalDate settlementDate) {
            org.medsettle.api.policy.Policy own = policyOverrides.get(province.province().code());
            return own != null ? new PolicyVersion(own, "test " + province) : POLICIES.inForce(province, settlementDate);
        }

        public List<PolicyRefusal> refusals() {
            return List.of();
        }
    };

    /**
     * Delivers the notices of {@code type} that the treatment node of {@code from} has in its outbox to the insured
     * nodes they are for, as the link does (each once; a repeat is harmless); answers how many.
     */
    int deliver(String from, String type) {
        List<org.medsettle.api.link.HubMessage> notices = treatment(from).store.inTransaction("read the outbox", c -> {
            List<org.medsettle.api.link.HubMessage> list = new java.util.ArrayList<>();
            try (var ps = c.prepareStatement("SELECT msg_id, msg_type, from_admdvs, to_admdvs, body FROM link_outbox "
                    + "WHERE msg_type = ? ORDER BY msg_id")) {
                ps.setString(1, type);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        list.add(new org.medsettle.api.link.HubMessage(rs.getString(1), rs.getString(2),
                                Admdvs.of(rs.getString(3)), Admdvs.of(rs.getString(4)), rs.getString(5)));
                    }
                }
            }
            return list;
        });
        for (org.medsettle.api.link.HubMessage m : notices) {
            insured(m.to().province().code()).topUps.answer(m);
        }
        return notices.size();
    }

    final Map<String, InsuredNode> insured = new HashMap<>();
    final Map<String, TreatmentNode> treatment = new HashMap<>();

    /** The clock of every node (the system's, unless a test sets another before the first node). */
    Clock clock = Clock.systemUTC();
    /** One store per province, shared by its treatment and insured node (as on a real node), if set. */
    private Map<String, StoreComponent> provinceStores;

    /** A network in which each province has one node (one store) for both its roles, on {@code clock}. */
    static Network ofProvinceNodes(Clock clock) {
        Network n = new Network();
        n.clock = clock;
        n.provinceStores = new HashMap<>();
        return n;
    }

    /** The store of a province's node (with {@link #ofProvinceNodes}). */
    StoreComponent store(String admdvs) {
        return provinceStores.computeIfAbsent(admdvs, a -> freshNodeStore());
    }

    InsuredNode insured(String admdvs) {
        return insured.computeIfAbsent(admdvs, a -> provinceStores == null ? new InsuredNode(a, policies)
                : new InsuredNode(a, store(a), clock, policies));
    }

    TreatmentNode treatment(String admdvs) {
        return treatment.computeIfAbsent(admdvs, a -> provinceStores == null ? new TreatmentNode(a, this)
                : new TreatmentNode(a, this, store(a)));
    }

    /** A treatment node on the given store (e.g. a database on disk a test takes away). */
    TreatmentNode treatment(String admdvs, StoreComponent store) {
        return treatment.computeIfAbsent(admdvs, a -> new TreatmentNode(a, this, store));
    }

    InsuredPlace insuredPlace(Admdvs admdvs) {
        InsuredNode node = insured.get(admdvs.province().code());
        if (node == null) {
            throw new LinkUnavailableException("the hub has no node for province " + admdvs + " (test)", null, true);
        }
        // as the national link is: a proxy, which learns at each message that the node is down (the hub's 502 for a
        // node nothing listens at: certainly not delivered)
        return new InsuredPlace() {
            private void reachable() {
                if (node.down) {
                    throw new LinkUnavailableException("the node of " + admdvs + " cannot be reached (test)", null,
                            true);
                }
            }

            public Optional<org.medsettle.api.insured.InsuredPerson> person(org.medsettle.api.insured.PersonQuery q) {
                reachable();
                return node.place.person(q);
            }

            public org.medsettle.api.insured.Coverage coverage(org.medsettle.api.insured.CoverageQuery q) {
                reachable();
                node.coverageAsked.incrementAndGet();
                return node.place.coverage(q);
            }

            public org.medsettle.api.insured.ApplyResult apply(org.medsettle.api.insured.ApplyRequest r) {
                reachable();
                if (node.applyDown) {
                    throw new LinkUnavailableException("insured node " + admdvs + " stopped answering (test)", null);
                }
                Runnable meanwhile = node.beforeNextApply;
                node.beforeNextApply = null;
                if (meanwhile != null) {
                    meanwhile.run();
                }
                return node.place.apply(r);
            }

            public void confirm(Admdvs insured, String setlId) {
                reachable();
                node.place.confirm(insured, setlId);
            }

            public org.medsettle.api.insured.UndoResult undo(Admdvs insured, String setlId, String undoId) {
                reachable();
                if (node.applyDown || node.undoDown) {
                    throw new LinkUnavailableException("insured node " + admdvs + " stopped answering (test)", null);
                }
                return node.place.undo(insured, setlId, undoId);
            }
        };
    }
}
