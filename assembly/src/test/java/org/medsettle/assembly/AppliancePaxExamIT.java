package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The built tarball booted by Pax Exam (not a stock Karaf): what runs inside it, checked from inside. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppliancePaxExamIT extends ApplianceTestSupport {

    @Test
    public void everyHealthCheckIsOkOnceBooted() throws Exception {
        org.medsettle.api.health.HealthMonitor monitor = service(org.medsettle.api.health.HealthMonitor.class, null);
        ensureCatalogue();
        await().atMost(WAIT).until(() -> monitor.checkAll().healthy());
        List<String> names = new ArrayList<>();
        monitor.checkAll().entries().forEach(e -> names.add(e.name()));
        assertTrue(names.toString(), names.contains("store"));
        assertTrue(names.toString(), names.contains("components"));
        assertTrue(names.toString(), names.contains("policies"));
        assertTrue(names.toString(), names.contains("catalogue"));
    }

    @Test
    public void noCamelContextOfTheApplianceCachesABodyStreamBeforeItsRouteReadsItWithinItsLimit() throws Exception {
        // every context the bundles run (CamelHost), the HIS adapter's, the filing API's, the link's among them: Camel
        // caches stream bodies by default since 3.17, which read a request whole before any limit was checked
        List<String> names = new ArrayList<>();
        await().atMost(WAIT).until(() -> context.getAllServiceReferences("org.apache.camel.CamelContext", null) != null
                && context.getAllServiceReferences("org.apache.camel.CamelContext", null).length >= 5);
        for (org.osgi.framework.ServiceReference<?> ref : context.getAllServiceReferences("org.apache.camel.CamelContext", null)) {
            Object camel = context.getService(ref);
            try {
                String name = String.valueOf(ref.getProperty("camel.context.name"));
                Object caching = camel.getClass().getMethod("isStreamCaching").invoke(camel);
                assertEquals(name + " caches stream bodies", Boolean.FALSE, caching);
                names.add(name);
            } finally {
                context.ungetService(ref);
            }
        }
        assertTrue(names.toString(), names.contains("medsettle-his-rest"));
        assertTrue(names.toString(), names.contains("medsettle-filing-api"));
        assertTrue(names.toString(), names.contains("medsettle-link"));
    }

    @Test
    public void theDataSourceAnswersAndTheMigrationsRan() throws Exception {
        DataSource ds = service(DataSource.class, "(osgi.jndi.service.name=medsettle)");
        org.medsettle.api.store.Database db = service(org.medsettle.api.store.Database.class, null);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                assertTrue(rs.next());
                assertEquals(db.schemaVersion(), rs.getInt(1));
                assertTrue("V7 (link and hub) shipped", rs.getInt(1) >= 7);
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM link_outbox")) {
                assertTrue(rs.next());
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_event")) {
                assertTrue(rs.next());
            }
        }
        org.medsettle.api.store.AuditLog audit = service(org.medsettle.api.store.AuditLog.class, null);
        await().atMost(WAIT).until(() -> !audit.recent(5, java.util.Optional.of("INSTANCE_STARTED")).isEmpty());
    }

    /**
     * Derby's manifest imports nothing (DynamicImport-Package: *): without the fragment each JDK package it touches
     * first is resolved while a class loads, which failed a boot twice (docs/stack.md, trap 58). With it, the
     * packages are wired when Derby resolves, as static wires of Derby's own wiring.
     */
    @Test
    public void derbyIsWiredToTheJdkPackagesItUsesWhenItResolvesNotWhileItsClassesLoad() throws Exception {
        service(DataSource.class, "(osgi.jndi.service.name=medsettle)");
        org.osgi.framework.Bundle derby = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "derby".equals(b.getSymbolicName())).findFirst().orElseThrow();
        org.osgi.framework.wiring.BundleWiring wiring = derby.adapt(org.osgi.framework.wiring.BundleWiring.class);
        assertTrue("the fragment is attached to Derby",
                wiring.getProvidedWires(org.osgi.framework.namespace.HostNamespace.HOST_NAMESPACE).stream()
                        .anyMatch(w -> "medsettle-derby-imports".equals(w.getRequirer().getSymbolicName())));
        java.util.Set<String> resolved = new java.util.TreeSet<>();
        for (org.osgi.framework.wiring.BundleWire wire
                : wiring.getRequiredWires(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE)) {
            String resolution = wire.getRequirement().getDirectives()
                    .get(org.osgi.framework.namespace.PackageNamespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
            if (!org.osgi.framework.namespace.PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)) {
                resolved.add((String) wire.getCapability().getAttributes()
                        .get(org.osgi.framework.namespace.PackageNamespace.PACKAGE_NAMESPACE));
                assertEquals(wire.toString(), 0, wire.getProvider().getBundle().getBundleId());
            }
        }
        assertTrue(resolved.toString(), resolved.containsAll(java.util.List.of(
                "javax.naming", "javax.naming.spi", "javax.sql", "javax.management", "javax.transaction.xa")));
    }

    @Test
    public void theDatabaseLivesOutsideKarafDataSoCleanCannotDeleteIt() throws Exception {
        org.medsettle.api.store.Database db = service(org.medsettle.api.store.Database.class, null);
        Path location = Path.of(db.location());
        Path data = Path.of(context.getProperty("karaf.data")).toAbsolutePath().normalize();
        Path base = Path.of(context.getProperty("karaf.base")).toAbsolutePath().normalize();
        assertFalse(location + " is under " + data, location.startsWith(data));
        assertEquals(base.resolve("db").resolve("medsettle"), location);
        assertTrue(db.product().startsWith("Apache Derby"));
        assertEquals(db.schemaVersion(), db.migrations().size());
    }

    @Test
    public void theConsoleCommandsRunAsShipped() throws Exception {
        service(org.medsettle.api.health.HealthMonitor.class, null);
        service(org.medsettle.api.store.Database.class, null);
        ensureCatalogue();
        await().atMost(WAIT).until(() -> execute("medsettle:health").contains("HEALTHY"));
        String status = execute("medsettle:status");
        assertTrue(status, status.matches("(?s).*Province\\s+\\|\\s+330000.*"));
        assertTrue(status, status.matches("(?s).*medsettle-store\\s+\\|[^\\n]*\\|\\s+Active.*"));
        assertTrue(execute("medsettle:audit -t INSTANCE_STARTED"), execute("medsettle:audit -t INSTANCE_STARTED").contains("INSTANCE_STARTED"));
    }


    @Test
    public void aCatalogueImportIsAllOrNothingAndAnEarlierVersionCanBeMadeActiveAgain() throws Exception {
        ensureCatalogue();
        org.medsettle.api.catalogue.Catalogue catalogue = service(org.medsettle.api.catalogue.Catalogue.class, null);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("catalogue");
        java.nio.file.Path next = dir.resolve("next.csv");
        java.nio.file.Files.writeString(next, "med_list_codg,name,kind,class,selfpay_prop,price_limit,valid_from,valid_to\n"
                + "PAXEXAM-1,新药,drug,B,0.25,9.5,2026-01-01,\n");
        String before = catalogue.activeVersion();
        String imported = execute("medsettle:catalogue-import " + next);
        assertTrue(imported, imported.contains("Imported 1 entries"));
        assertTrue(catalogue.lookup("PAXEXAM-1", java.time.LocalDate.of(2026, 6, 1)).isPresent());
        assertTrue(execute("medsettle:catalogue-lookup PAXEXAM-1 2026-06-01").contains("B (02)"));

        java.nio.file.Path bad = dir.resolve("bad.csv");
        java.nio.file.Files.writeString(bad, "med_list_codg,name,kind,class,selfpay_prop,price_limit,valid_from,valid_to\n"
                + "OK,a,drug,A,0,,2020-01-01,\nBAD,b,drug,Q,0,,2020-01-01,\n");
        String refused = execute("medsettle:catalogue-import " + bad);
        assertTrue(refused, refused.contains("line 3: class must be A, B or C") && refused.contains("nothing was changed"));
        assertTrue(catalogue.lookup("PAXEXAM-1", java.time.LocalDate.of(2026, 6, 1)).isPresent());

        String versions = execute("medsettle:catalogue-versions");
        String first = before.substring(0, before.indexOf(' '));
        assertTrue(execute("medsettle:catalogue-activate " + first), execute("medsettle:catalogue-activate " + first).contains("Active catalogue: " + first));
        assertTrue(catalogue.lookup("PAXEXAM-1", java.time.LocalDate.of(2026, 6, 1)).isEmpty());
        assertTrue(versions, versions.contains("next.csv"));
    }

    @Test
    public void anEstimateSettlesAConformanceVisitToTheFenAndExplainsIt() throws Exception {
        importSampleCatalogue();
        service(org.medsettle.api.settlement.SettlementEngine.class, null);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("estimate", ".json");
        try (java.io.InputStream in = getClass().getResourceAsStream("/estimate-seq-330000-1-visit-1.json")) {
            java.nio.file.Files.write(file, in.readAllBytes());
        }
        String out = execute("medsettle:estimate " + file);
        // expected answers of seq-330000-1, visit 1 (a Hebei retiree, TEMPORARY filing, emergency outpatient in Zhejiang)
        assertTrue(out, out.matches("(?s).*hifp_pay\\s+\\|\\s+3709\\.78.*"));
        assertTrue(out, out.matches("(?s).*acct_pay\\s+\\|\\s+6565\\.63.*"));
        assertTrue(out, out.matches("(?s).*psn_cash_pay\\s+\\|\\s+724\\.00.*"));
        assertTrue(out, out.contains("TEMPORARY reduction 0.2"));
    }

    @Test
    public void aCatalogueFileDroppedIntoTheImportFolderIsImportedOrRefusedWithAReport() throws Exception {
        ensureCatalogue();
        org.medsettle.api.catalogue.Catalogue catalogue = service(org.medsettle.api.catalogue.Catalogue.class, null);
        java.nio.file.Path folder = java.nio.file.Path.of(context.getProperty("karaf.base"), "import", "catalogue");
        java.nio.file.Files.createDirectories(folder);
        String header = "med_list_codg,name,kind,class,selfpay_prop,price_limit,valid_from,valid_to\n";
        drop(folder, "dropped.csv", header + "DROPPED-1,滴入药,drug,A,0,,2026-01-01,\n");
        await().atMost(WAIT).until(() -> catalogue.lookup("DROPPED-1", java.time.LocalDate.of(2026, 6, 1)).isPresent());
        await().atMost(WAIT).until(() -> reports(folder.resolve("done")).stream().anyMatch(r -> r.startsWith("IMPORTED: 1 entries")));
        // the report is written before the file is moved (the move is the exchange's completion)
        await().atMost(WAIT).until(() -> !java.nio.file.Files.exists(folder.resolve("dropped.csv")));

        String active = catalogue.activeVersion();
        drop(folder, "broken.csv", header + "GOOD,a,drug,A,0,,2020-01-01,\nBROKEN,b,drug,X,0,,2020-01-01,\n");
        await().atMost(WAIT).until(() -> reports(folder.resolve("failed")).stream().anyMatch(r -> r.contains("line 3: class must be A, B or C")));
        assertEquals(active, catalogue.activeVersion());
        assertTrue(execute("camel:route-list"), execute("camel:route-list").contains("catalogue-file-import"));
        // Camel's JMX statistics per route, not per processor (CamelHost): the route counted both files
        javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        java.util.Set<javax.management.ObjectName> routes = jmx.queryNames(new javax.management.ObjectName(
                "org.apache.camel:type=routes,name=\"catalogue-file-import\",*"), null);
        assertEquals(routes.toString(), 1, routes.size());
        Long exchanges = (Long) jmx.getAttribute(routes.iterator().next(), "ExchangesTotal");
        assertTrue("exchanges counted: " + exchanges, exchanges >= 2);
        java.util.Set<javax.management.ObjectName> processors = jmx.queryNames(new javax.management.ObjectName(
                "org.apache.camel:type=processors,*"), null);
        assertTrue(processors.toString(), processors.isEmpty());
    }

    private static void drop(java.nio.file.Path folder, String name, String content) throws java.io.IOException {
        java.nio.file.Path temp = java.nio.file.Files.createTempFile(folder.getParent(), name, ".part");
        java.nio.file.Files.writeString(temp, content);
        java.nio.file.Files.move(temp, folder.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static java.util.List<String> reports(java.nio.file.Path dir) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return java.util.List.of();
        }
        java.util.List<String> reports = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path p : files.filter(f -> f.toString().endsWith(".report.txt")).toList()) {
                reports.add(java.nio.file.Files.readString(p));
            }
        }
        return reports;
    }

    @Test
    public void aPersonExtractIsImportedAllOrNothingAndLookedUpWithoutLoggingPersonalData() throws Exception {
        org.medsettle.api.person.PersonRegistry persons = service(org.medsettle.api.person.PersonRegistry.class, null);
        java.nio.file.Path sample = java.nio.file.Path.of(context.getProperty("karaf.base"), "samples", "persons-330000.csv");
        String imported = execute("medsettle:person-import " + sample);
        assertTrue(imported, imported.contains("Imported 2000 persons"));
        assertEquals(2000, persons.count());
        String again = execute("medsettle:person-import " + sample);
        assertTrue(again, again.contains("0 added, 2000 updated"));

        String first = java.nio.file.Files.readAllLines(sample).get(1);
        String psnNo = first.split(",")[0];
        String certno = first.split(",")[1];
        String name = first.split(",")[2];
        assertEquals(psnNo, persons.byCertno(certno).orElseThrow().psnNo());
        assertEquals("330000", persons.byPsnNo(psnNo).orElseThrow().insuredPlace().code());
        assertTrue(execute("medsettle:person-show " + certno).contains(psnNo));

        java.nio.file.Path bad = java.nio.file.Files.createTempFile("persons", ".csv");
        java.nio.file.Files.writeString(bad, "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n"
                + "NEW1,110101199003070000,张三,1,1990-03-07,310,1101,,0,x\n");
        String refused = execute("medsettle:person-import " + bad);
        assertTrue(refused, refused.contains("line 2: certno is not an 18-character ID number"));
        assertEquals(2000, persons.count());

        java.nio.file.Path log = java.nio.file.Path.of(context.getProperty("karaf.data"), "log", "karaf.log");
        String logText = java.nio.file.Files.readString(log);
        assertFalse("a name reached the log", logText.contains(name));
        assertFalse("an ID number reached the log", logText.contains(certno));
    }

    @Test
    public void aPersonExtractDroppedIntoTheImportFolderIsImportedOrRefusedWithAReport() throws Exception {
        org.medsettle.api.person.PersonRegistry persons = service(org.medsettle.api.person.PersonRegistry.class, null);
        java.nio.file.Path folder = java.nio.file.Path.of(context.getProperty("karaf.base"), "import", "persons");
        java.nio.file.Files.createDirectories(folder);
        String header = "psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name\n";
        drop(folder, "daily.csv", header + "33000000000000099001,11010519491231002X,丁一,2,1949-12-31,390,1501,,0.00,\n");
        await().atMost(WAIT).until(() -> persons.byPsnNo("33000000000000099001").isPresent());
        await().atMost(WAIT).until(() -> reports(folder.resolve("done")).stream().anyMatch(r -> r.startsWith("IMPORTED: 1 persons")));
        long count = persons.count();
        drop(folder, "broken.csv", header + "33000000000000099002,110105194912310021,丁二,2,1949-12-31,390,1501,,0.00,\n");
        await().atMost(WAIT).until(() -> reports(folder.resolve("failed")).stream().anyMatch(r -> r.contains("line 2: certno")));
        assertEquals(count, persons.count());
        assertFalse(reports(folder.resolve("failed")).stream().anyMatch(r -> r.contains("110105194912310021")));
        assertTrue(execute("camel:route-list"), execute("camel:route-list").contains("persons-file-import"));
    }

    /** {@code path} on the node's HTTP port, as a hospital or an agency outside the node reaches it. */
    private String http(String path) {
        org.osgi.framework.ServiceReference<?> ref = context.getServiceReference("org.osgi.service.http.HttpService");
        Object port = ref == null ? null : ref.getProperty("org.osgi.service.http.port");
        return "http://127.0.0.1:" + (port == null ? "8181" : port) + path;
    }

    /** Posts one signed envelope to the node's HIS interface; answers the HTTP status and body. */
    private String[] his(String hospital, String key, String body) throws Exception {
        String url = http("/fsi/api/rsfComIfsService/callService");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(key), "HmacSHA256"));
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String signature = java.util.HexFormat.of().formatHex(mac.doFinal(bytes));
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("X-Medsettle-Hospital", hospital)
                        .header("X-Medsettle-Signature", signature).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new String[] {String.valueOf(r.statusCode()), r.body()};
    }

    /** A GET on the node's HTTP port: the status, the {@code Retry-After} header ("" without) and the body. */
    private String[] get(String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(http(path))).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return new String[] {String.valueOf(r.statusCode()), r.headers().firstValue("Retry-After").orElse(""), r.body()};
    }

    @Test
    public void whileTheFilingApiIsNotThereAnAgencyIsToldToSendAgainNotThatTheFilingDoesNotExist() throws Exception {
        // the API is there: an unsigned request is refused as such
        await().atMost(WAIT).until(() -> "401".equals(get("/medsettle/api/filings/1")[0]));
        org.osgi.framework.Bundle api = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "medsettle-filing-api".equals(b.getSymbolicName())).findFirst().orElseThrow();
        api.stop();
        try {
            // not Jetty's HTML 404, which the API documents as "no such filing": the probe bundle's placeholder
            String[] placeholder = get("/medsettle/api/filings/1");
            assertEquals(placeholder[2], "503", placeholder[0]);
            assertEquals("1", placeholder[1]);
            assertTrue(placeholder[2], placeholder[2].startsWith("{\"error\":\"the node's filing API is not running")
                    && placeholder[2].endsWith(",\"field\":\"\"}"));
            assertEquals("503", get("/medsettle/api/assisted-audits?open=true")[0]);
        } finally {
            api.start();
        }
        await().atMost(WAIT).until(() -> "401".equals(get("/medsettle/api/filings/1")[0]));
        // a path nothing serves is not found, said as JSON; health is the probe's own
        String[] nothing = get("/medsettle/nothing");
        assertEquals("404", nothing[0]);
        assertTrue(nothing[2], nothing[2].startsWith("{\"error\":\"no such path"));
        assertTrue(get("/medsettle/health")[2].startsWith("{\"status\":"));
    }

    @Test
    public void theHisAdapterIsUpdatedStoppedAndStartedWhileTheNodesTransactionsKeepServing() throws Exception {
        ensureCatalogue();
        java.nio.file.Path sample = java.nio.file.Path.of(context.getProperty("karaf.base"), "samples", "hospitals-330000.csv");
        assertTrue(execute("medsettle:hospital-import " + sample).contains("Imported 9 hospitals"));
        org.medsettle.api.hospital.HospitalRegistry hospitals = service(org.medsettle.api.hospital.HospitalRegistry.class, null);
        String key = hospitals.key("H33030000001").orElseThrow();
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Supplier<String> signIn = () -> "{\"infno\":\"9001\",\"msgid\":\"H3303000000120261123120000"
                + String.format("%04d", n.incrementAndGet()) + "\",\"mdtrtarea_admvs\":\"330000\",\"fixmedins_code\":"
                + "\"H33030000001\",\"input\":{\"signIn\":{\"opter_no\":\"001\"}}}";
        await().atMost(WAIT).until(() -> his("H33030000001", key, signIn.get())[1].contains("\"infcode\":\"0\""));
        org.osgi.framework.ServiceReference<?> transactions = context.getServiceReference(org.medsettle.api.his.HisTransactions.class);

        org.osgi.framework.Bundle adapter = java.util.Arrays.stream(context.getBundles())
                .filter(b -> "medsettle-his-rest".equals(b.getSymbolicName())).findFirst().orElseThrow();
        adapter.update();
        await().atMost(WAIT).until(() -> his("H33030000001", key, signIn.get())[1].contains("\"infcode\":\"0\""));
        adapter.stop();
        // no adapter: the national envelope all the same (the probe bundle's placeholder), not Jetty's 404 page
        await().atMost(WAIT).until(() -> "503".equals(his("H33030000001", key, signIn.get())[0]));
        String[] placeholder = his("H33030000001", key, signIn.get());
        assertTrue(placeholder[1], placeholder[1].startsWith("{\"infcode\":\"-1\"")
                && placeholder[1].contains("the node's HIS interface is not running"));
        adapter.start();
        await().atMost(WAIT).until(() -> his("H33030000001", key, signIn.get())[1].contains("\"infcode\":\"0\""));
        assertEquals("the node's transactions were not touched", transactions.getProperty("service.id"),
                context.getServiceReference(org.medsettle.api.his.HisTransactions.class).getProperty("service.id"));
        String[] unsigned = his("H33030000001", java.util.Base64.getEncoder().encodeToString(new byte[32]), signIn.get());
        assertEquals("401", unsigned[0]);
    }
}
