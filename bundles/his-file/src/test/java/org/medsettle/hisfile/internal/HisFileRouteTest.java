package org.medsettle.hisfile.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsettle.api.his.HisEndpoint;
import org.medsettle.api.his.HisTransactions;

/** The file route in a real CamelContext against a real folder; the node's side of the endpoint is a stand-in. */
class HisFileRouteTest {

    private static final String HOSPITAL = "H33010000003";
    private static final byte[] KEY = "the hospital's key".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path exchange;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile boolean nodeDown;
    /** The hospitals registered at the node. */
    private volatile List<String> registered = List.of(HOSPITAL);

    /** The node's transactions: echo the hospital and the request's msgid. */
    private final HisTransactions transactions = new HisTransactions() {
        @Override
        public byte[] call(String hospital, byte[] body) {
            if (nodeDown) {
                throw new IllegalStateException("the database is gone");
            }
            String request = new String(body, StandardCharsets.UTF_8);
            calls.add(hospital + " " + request);
            return ("{\"infcode\":\"0\",\"for\":\"" + hospital + "\",\"request\":" + request + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] refuse(String infcode, String errMsg) {
            return ("{\"infcode\":\"" + infcode + "\",\"err_msg\":\"" + errMsg + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    };

    /** Knows one hospital's key: the signature over the file's bytes is checked as the registry does. */
    private final org.medsettle.support.SignatureCheck signatures =
            (hospital, body, signature) -> HOSPITAL.equals(hospital) && sign(body).equalsIgnoreCase(signature.strip());

    static String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void start() throws Exception {
        for (String sub : new String[] {"in", "out", "done"}) {
            Files.createDirectories(exchange.resolve(HOSPITAL).resolve(sub));
        }
        camel.start();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(HisEndpoint.CONSUMER).bean(transactions, "call(${header." + HisEndpoint.HOSPITAL_HEADER + "}, ${body})");
            }
        });
        camel.addRoutes(new HisFileRoute(exchange, 50, 1024, () -> transactions, signatures, () -> registered, 100));
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private Path in(String name) {
        return exchange.resolve(HOSPITAL).resolve("in").resolve(name);
    }

    /** The answer file, once it is there (it appears whole: written as .part and renamed). */
    private String answer(String name) throws Exception {
        Path answer = exchange.resolve(HOSPITAL).resolve("out").resolve(name);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.exists(answer));
        return Files.readString(answer);
    }

    /** As a hospital does it (README): the request, then its signature under another name, renamed. */
    private void drop(String name, String envelope, String signature) throws Exception {
        Files.writeString(in(name + ".json"), envelope);
        sign(name, signature);
    }

    private void sign(String name, String signature) throws Exception {
        Path part = in(name + ".sig.part");
        Files.writeString(part, signature);
        Files.move(part, in(name + ".sig"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aSignedRequestIsAnsweredBesideItOnceAndMovedToDone() throws Exception {
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenDone(1).create();
        String envelope = "{\"msgid\":\"1\"}";
        drop("0001", envelope, sign(envelope.getBytes(StandardCharsets.UTF_8)));
        assertTrue(done.matches(10, TimeUnit.SECONDS));
        assertEquals("{\"infcode\":\"0\",\"for\":\"" + HOSPITAL + "\",\"request\":" + envelope + "}", answer("0001.json"));
        assertEquals(List.of(HOSPITAL + " " + envelope), calls);
        // moved when the exchange commits, just after it is done
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> Files.exists(exchange.resolve(HOSPITAL).resolve("done").resolve("0001.json")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            try (var files = Files.walk(exchange)) {
                throw new AssertionError("not in done/: " + files.map(Path::toString).toList(), e);
            }
        }
        assertFalse(Files.exists(in("0001.json")));
        assertFalse(Files.exists(in("0001.sig")), "the signature goes with the request");
        assertFalse(Files.exists(exchange.resolve(HOSPITAL).resolve("out").resolve("0001.json.part")));
    }

    @Test
    void aWrongSignatureIsAnsweredMinus2AndNeverReachesTheTransactions() throws Exception {
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenDone(1).create();
        drop("0002", "{\"msgid\":\"2\"}", sign("something else".getBytes(StandardCharsets.UTF_8)));
        assertTrue(done.matches(10, TimeUnit.SECONDS));
        String answer = answer("0002.json");
        assertTrue(answer.contains("\"infcode\":\"-2\"") && answer.contains("not signed by the hospital " + HOSPITAL), answer);
        assertTrue(calls.isEmpty());
    }

    @Test
    void aRequestWithoutItsSignatureFileIsNotTakenUntilTheSignatureIsThere() throws Exception {
        String envelope = "{\"msgid\":\"3\"}";
        Files.writeString(in("0003.json"), envelope);
        NotifyBuilder other = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenDone(1).create();
        String second = "{\"msgid\":\"4\"}";
        drop("0004", second, sign(second.getBytes(StandardCharsets.UTF_8)));
        assertTrue(other.matches(10, TimeUnit.SECONDS));
        assertTrue(Files.exists(in("0003.json")), "still waiting for its .sig");
        assertEquals(1, calls.size());
        sign("0003", sign(envelope.getBytes(StandardCharsets.UTF_8)));
        assertTrue(answer("0003.json").contains("\"msgid\":\"3\""), answer("0003.json"));
    }

    @Test
    void anOversizedRequestIsRefusedWithoutBeingRead() throws Exception {
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenDone(1).create();
        String big = "{\"x\":\"" + "a".repeat(2000) + "\"}";
        drop("0005", big, sign(big.getBytes(StandardCharsets.UTF_8)));
        assertTrue(done.matches(10, TimeUnit.SECONDS));
        assertTrue(answer("0005.json").contains("more than the 1024"), answer("0005.json"));
        assertTrue(calls.isEmpty());
    }

    @Test
    void whenTheNodeCannotAnswerNothingIsWrittenAndTheRequestIsTakenAgainLater() throws Exception {
        nodeDown = true;
        NotifyBuilder failed = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenFailed(1).create();
        String envelope = "{\"msgid\":\"6\"}";
        drop("0006", envelope, sign(envelope.getBytes(StandardCharsets.UTF_8)));
        assertTrue(failed.matches(20, TimeUnit.SECONDS));
        assertTrue(Files.exists(in("0006.json")), "left where it was");
        assertFalse(Files.exists(exchange.resolve(HOSPITAL).resolve("out").resolve("0006.json")));
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenCompleted(1).create();
        nodeDown = false;
        assertTrue(done.matches(20, TimeUnit.SECONDS));
        assertTrue(answer("0006.json").contains("\"msgid\":\"6\""));
        assertEquals(1, calls.size(), "answered once");
    }

    /** A second hospital's folder, as the adapter makes it; its requests are not signed by a key the node knows. */
    private Path otherHospital() throws Exception {
        Path other = exchange.resolve("H33010000009");
        for (String sub : new String[] {"in", "out", "done"}) {
            Files.createDirectories(other.resolve(sub));
        }
        return other;
    }

    /** Waits until the route has handled a request of the second hospital: the folders were polled past then. */
    private void aPollHasPassed(Path other, String name) throws Exception {
        Files.writeString(other.resolve("in").resolve(name + ".json"), "{}");
        Files.writeString(other.resolve("in").resolve(name + ".sig"), "00");
        Path answer = other.resolve("out").resolve(name + ".json");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.exists(answer));
        assertTrue(Files.readString(answer).contains("\"-2\""));
    }

    private static List<Path> filesUnder(Path folder) throws Exception {
        try (var files = Files.walk(folder)) {
            return files.filter(f -> !Files.isDirectory(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    @Test
    void anInFolderThatIsALinkToAnotherFolderIsNotEnteredAndNothingThereIsReadOrMoved() throws Exception {
        // a hospital's in/ pointed at a folder it cannot reach itself (another hospital's in/): the node, which
        // resolves the link, must not take that folder's requests into the linking hospital's done/
        Path elsewhere = Files.createDirectories(exchange.getParent().resolve(exchange.getFileName() + "-elsewhere"));
        String envelope = "{\"msgid\":\"7\",\"certno\":\"somebody else's\"}";
        Files.writeString(elsewhere.resolve("0007.json"), envelope);
        Files.writeString(elsewhere.resolve("0007.sig"), sign(envelope.getBytes(StandardCharsets.UTF_8)));
        Path linking = exchange.resolve(HOSPITAL);
        Files.delete(linking.resolve("in"));
        Files.createSymbolicLink(linking.resolve("in"), elsewhere);

        aPollHasPassed(otherHospital(), "0008");
        aPollHasPassed(otherHospital(), "0009");
        assertEquals(List.of(elsewhere.resolve("0007.json"), elsewhere.resolve("0007.sig")), filesUnder(elsewhere));
        assertEquals(List.of(), filesUnder(linking.resolve("out")));
        assertEquals(List.of(), filesUnder(linking.resolve("done")));
        assertTrue(calls.isEmpty());
    }

    @Test
    void whileAHospitalsOutOrDoneFolderIsALinkItsRequestsWaitAndAreAnsweredOnceItIsAFolderAgain() throws Exception {
        Path elsewhere = Files.createDirectories(exchange.getParent().resolve(exchange.getFileName() + "-answers"));
        Path out = exchange.resolve(HOSPITAL).resolve("out");
        Files.delete(out);
        Files.createSymbolicLink(out, elsewhere);
        String envelope = "{\"msgid\":\"10\"}";
        drop("0010", envelope, sign(envelope.getBytes(StandardCharsets.UTF_8)));
        Path other = otherHospital();
        aPollHasPassed(other, "0011");
        aPollHasPassed(other, "0012");
        assertTrue(Files.exists(in("0010.json")), "left where it was");
        assertEquals(List.of(), filesUnder(elsewhere), "nothing written through the link");
        assertTrue(calls.isEmpty());

        // done/ made a link before out/ is a folder again: at no moment are both real folders
        Path done = exchange.resolve(HOSPITAL).resolve("done");
        Files.delete(done);
        Files.createSymbolicLink(done, elsewhere);
        Files.delete(out);
        Files.createDirectory(out);
        aPollHasPassed(other, "0013");
        assertTrue(Files.exists(in("0010.json")), "left where it was");
        assertEquals(List.of(), filesUnder(elsewhere), "nothing moved through the link");
        assertFalse(Files.exists(out.resolve("0010.json")));

        Files.delete(done);
        Files.createDirectory(done);
        assertTrue(answer("0010.json").contains("\"msgid\":\"10\""));
        assertEquals(1, calls.size());
    }

    @Test
    void aRequestFileThatIsALinkIsRefusedMinus2WithoutReadingItsTargetAndOnlyTheLinkIsMoved() throws Exception {
        Path target = Files.createDirectories(exchange.getParent().resolve(exchange.getFileName() + "-target"))
                .resolve("somebody.json");
        String envelope = "{\"msgid\":\"14\"}";
        Files.writeString(target, envelope);
        Files.createSymbolicLink(in("0014.json"), target);
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenDone(1).create();
        sign("0014", sign(envelope.getBytes(StandardCharsets.UTF_8)));
        assertTrue(done.matches(10, TimeUnit.SECONDS));
        String answer = answer("0014.json");
        assertTrue(answer.contains("\"-2\"") && answer.contains("is a symbolic link"), answer);
        assertTrue(calls.isEmpty());
        assertEquals(envelope, Files.readString(target), "the target is left as it was");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> Files.isSymbolicLink(exchange.resolve(HOSPITAL).resolve("done").resolve("0014.json")));
    }

    @Test
    void aSignatureFileThatIsALinkSignsNothing() throws Exception {
        String envelope = "{\"msgid\":\"15\"}";
        Path signature = Files.createDirectories(exchange.getParent().resolve(exchange.getFileName() + "-sig"))
                .resolve("0015.sig");
        Files.writeString(signature, sign(envelope.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(in("0015.json"), envelope);
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenDone(1).create();
        Files.createSymbolicLink(in("0015.sig"), signature);
        assertTrue(done.matches(10, TimeUnit.SECONDS));
        assertTrue(answer("0015.json").contains("not signed by the hospital " + HOSPITAL), answer("0015.json"));
        assertTrue(calls.isEmpty());
    }

    @Test
    void aPipeNamedAsARequestIsRefusedWithoutWaitingForAWriterAndTheNextRequestIsAnswered() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", in("0016.json").toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo is not available here");
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenDone(2).create();
        sign("0016", "00");
        String envelope = "{\"msgid\":\"17\"}";
        drop("0017", envelope, sign(envelope.getBytes(StandardCharsets.UTF_8)));
        assertTrue(done.matches(10, TimeUnit.SECONDS));
        assertTrue(answer("0016.json").contains("not a plain file"), answer("0016.json"));
        assertTrue(answer("0017.json").contains("\"msgid\":\"17\""), answer("0017.json"));
        assertEquals(1, calls.size());
    }

    @Test
    void aFileNotNamedAsARequestIsLeftAloneAndTheOthersAreAnswered() throws Exception {
        // a ${ in a name is what Camel's file component reads as an expression: it made every poll fail
        String envelope = "{\"msgid\":\"18\"}";
        for (String name : new String[] {"x${sys.user.home}", "x$simple{date:now}", "a b", "请求"}) {
            drop(name, envelope, sign(envelope.getBytes(StandardCharsets.UTF_8)));
        }
        NotifyBuilder done = new NotifyBuilder(camel).fromRoute(HisFileRoute.ROUTE_ID).whenDone(1).create();
        String second = "{\"msgid\":\"19\"}";
        drop("H33010000003202612061200000019", second, sign(second.getBytes(StandardCharsets.UTF_8)));
        assertTrue(done.matches(10, TimeUnit.SECONDS));
        assertTrue(answer("H33010000003202612061200000019.json").contains("\"msgid\":\"19\""));
        aPollHasPassed(otherHospital(), "0020");
        assertEquals(1, calls.size());
        for (String name : new String[] {"x${sys.user.home}", "x$simple{date:now}", "a b", "请求"}) {
            assertTrue(Files.exists(in(name + ".json")), name);
            assertFalse(Files.exists(exchange.resolve(HOSPITAL).resolve("out").resolve(name + ".json")), name);
        }
    }

    @Test
    void aHospitalRegisteredAfterTheAdapterStartedGetsItsFoldersAndOneThatIsALinkIsLeftAsItIs() throws Exception {
        Path linked = exchange.resolve(HOSPITAL).resolve("done");
        Files.delete(linked);
        Path elsewhere = Files.createDirectories(exchange.getParent().resolve(exchange.getFileName() + "-done"));
        Files.createSymbolicLink(linked, elsewhere);
        registered = List.of(HOSPITAL, "H33010000011");
        Path newcomer = exchange.resolve("H33010000011");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> Files.isDirectory(newcomer.resolve("in")) && Files.isDirectory(newcomer.resolve("out"))
                        && Files.isDirectory(newcomer.resolve("done")));
        assertTrue(Files.isSymbolicLink(linked), "a link is not replaced");
        assertEquals(List.of("H33010000012"), HisFileRoute.makeFolders(exchange, List.of(HOSPITAL, "H33010000011",
                "H33010000012")), "only a folder made now is reported");
    }
}
