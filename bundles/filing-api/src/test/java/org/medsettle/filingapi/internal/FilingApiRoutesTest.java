package org.medsettle.filingapi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.store.Actor;
import org.medsettle.filings.internal.FilingRegistryService;
import org.medsettle.persons.internal.PersonRegistryService;
import org.medsettle.store.internal.StoreComponent;
import org.medsettle.store.testing.TestIdentities;
import org.medsettle.store.testing.TestStores;

/**
 * The filing API's routes in a real Camel context, behind them the real filing registry and client store on a real
 * (in-memory) Derby database; requests come in at the routes' {@code direct:} endpoints with the headers Camel's
 * servlet sets (the REST DSL on the servlet is exercised across processes by the assembly's tests).
 */
@org.junit.jupiter.api.Tag("database")
class FilingApiRoutesTest {

    static final String PERSONS = """
            psn_no,certno,psn_name,gend,brdy,insutype,psn_type,assistance,acct_balc,emp_name
            63000000000000000001,631303199608106108,成杰,2,1996-08-10,310,1101,,46000.00,市第一中学
            """;
    static final String PSN = "63000000000000000001";
    static final ObjectMapper JSON = new ObjectMapper();

    private StoreComponent store;
    private DefaultCamelContext camel;
    private ProducerTemplate template;
    private byte[] key;
    private volatile FilingRegistry registry;
    private org.medsettle.assistedaudit.internal.AssistedAuditService audits;
    /** The notices the assisted audits commit for the treatment node (the link carries them; here they are kept). */
    private final org.medsettle.store.testing.RecordingLink notices = new org.medsettle.store.testing.RecordingLink();
    private final java.util.List<org.medsettle.api.link.HubMessage> sent = notices.notices;

    record Answer(int status, JsonNode body, Map<String, Object> headers) {
    }

    /** Whether the instance is the national hub. */
    private volatile boolean hub;

    @BeforeEach
    void start() throws Exception {
        store = TestStores.fresh();
        PersonRegistryService persons = new PersonRegistryService(store, TestIdentities.node("630000"));
        persons.importCsv(new ByteArrayInputStream(PERSONS.getBytes(StandardCharsets.UTF_8)), "persons.csv",
                Actor.console("clerk"), n -> { });
        registry = new FilingRegistryService(store, store, persons, TestIdentities.node("630000"));
        ApiClientsService clients = new ApiClientsService(store, store);
        key = Base64.getDecoder().decode(clients.add("counter", Actor.console("admin")).keyBase64());
        camel = new DefaultCamelContext();
        store.applyOwnSchema(org.medsettle.assistedaudit.internal.AssistedAuditService.class.getClassLoader(),
                "db/assisted-audit", "medsettle-assisted-audit");
        audits = org.medsettle.assistedaudit.internal.AssistedAuditService.of(org.medsettle.api.Admdvs.of("630000"),
                store, store, notices, Clock.systemUTC());
        camel.addRoutes(new FilingApiRoutes(null, "test", () -> registry, () -> audits, clients, Clock.systemUTC(),
                () -> hub));
        camel.start();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private Answer call(String endpoint, String method, String path, String query, String body) {
        return call(endpoint, method, path, query, body, h -> { });
    }

    /** A request signed as a client signs it; {@code change} may alter the headers after signing. */
    private Answer call(String endpoint, String method, String path, String query, String body,
                        Consumer<Map<String, Object>> change) {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        String nonce = UUID.randomUUID().toString().replace("-", "");
        String target = path + (query == null ? "" : "?" + query);
        Map<String, Object> headers = new HashMap<>();
        headers.put(Exchange.HTTP_METHOD, method);
        headers.put(Exchange.HTTP_URI, path);
        if (query != null) {
            headers.put(Exchange.HTTP_QUERY, query);
        }
        headers.put(Exchange.CONTENT_LENGTH, (long) bytes.length);
        headers.put(FilingApiRoutes.CLIENT_HEADER, "counter");
        headers.put(FilingApiRoutes.TIMESTAMP_HEADER, timestamp);
        headers.put(FilingApiRoutes.NONCE_HEADER, nonce);
        headers.put(FilingApiRoutes.SIGNATURE_HEADER, FilingApiRoutes.sign(key, method, target, timestamp, nonce, bytes));
        change.accept(headers);
        Exchange done = template.send(endpoint, e -> {
            e.getIn().setHeaders(headers);
            e.getIn().setBody(new ByteArrayInputStream(bytes));
        });
        try {
            return new Answer(done.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class),
                    JSON.readTree(done.getMessage().getBody(byte[].class)), done.getMessage().getHeaders());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String filing(String extra) {
        return "{\"psn_no\":\"" + PSN + "\",\"category\":\"TEMPORARY\",\"mdtrtarea_admvs\":\"330000\",\"valid_from\":\""
                + LocalDate.now() + "\",\"evidence\":\"个人承诺\",\"operator\":\"clerk-7\"" + extra + "}";
    }

    private Answer post(String body) {
        return call(FilingApiRoutes.FILE, "POST", "/medsettle/api/filings", null, body);
    }

    private int filingsOfThePerson() {
        Answer list = call(FilingApiRoutes.LIST, "GET", "/medsettle/api/filings", "psn_no=" + PSN, null);
        assertEquals(200, list.status(), list.body().toString());
        return list.body().path("filings").size();
    }

    @Test
    void aFilingSentWithoutValidFromStartsOnTheDateInChinaNotInTheServersZone() {
        // 2026-12-31 17:30 in UTC is 2027-01-01 01:30 in China
        Clock utcServer = Clock.fixed(java.time.Instant.parse("2026-12-31T17:30:00Z"), java.time.ZoneOffset.UTC);
        LocalDate today = org.medsettle.api.BusinessClock.today(utcServer);
        assertEquals(LocalDate.of(2027, 1, 1), today);
        FilingJson.FilingInput noStart = new FilingJson.FilingInput(PSN, "TEMPORARY", "330000", null, null, "个人承诺",
                null, null, "clerk-7");
        assertEquals(LocalDate.of(2027, 1, 1), FilingApiRoutes.request(noStart, today).validFrom());
        FilingJson.FilingInput started = new FilingJson.FilingInput(PSN, "TEMPORARY", "330000", "2026-12-20", null,
                "个人承诺", null, null, "clerk-7");
        assertEquals(LocalDate.of(2026, 12, 20), FilingApiRoutes.request(started, today).validFrom());
    }

    @Test
    void atTheNationalHubEveryOperationIsAnswered404WithWhereAnAgencySendsInsteadAndNothingIsFiled() {
        hub = true;
        for (Answer a : List.of(post(filing("")),
                call(FilingApiRoutes.LIST, "GET", "/medsettle/api/filings", "psn_no=" + PSN, null),
                call(FilingApiRoutes.AUDIT_LIST, "GET", "/medsettle/api/assisted-audits", null, null),
                call(FilingApiRoutes.FILE, "POST", "/medsettle/api/filings", null, filing(""),
                        h -> h.remove(FilingApiRoutes.SIGNATURE_HEADER)))) {
            assertEquals(404, a.status(), a.body().toString());
            assertTrue(a.body().path("error").asText().contains("national hub")
                    && a.body().path("error").asText().contains("参保地"), a.body().toString());
        }
        hub = false;
        assertEquals(0, filingsOfThePerson(), "nothing was filed at the hub");
        assertEquals(201, post(filing("")).status(), "the same request at a node is filed");
    }

    @Test
    void aSignedFilingIsFiledListedShownWithItsHistoryAndCancelled() {
        Answer filed = post(filing(""));
        assertEquals(201, filed.status(), filed.body().toString());
        String id = filed.body().path("filing_id").asText();
        assertEquals(PSN, filed.body().path("psn_no").asText());
        assertEquals("330000", filed.body().path("mdtrtarea_admvs").asText());
        assertEquals("ACTIVE", filed.body().path("state").asText(), filed.body().toString());
        assertTrue(filed.body().has("valid_to"), "every field present: " + filed.body());
        assertEquals(1, filingsOfThePerson());

        Answer shown = call(FilingApiRoutes.SHOW, "GET", "/medsettle/api/filings/" + id, null, null);
        assertEquals(200, shown.status(), shown.body().toString());
        assertEquals("个人承诺", shown.body().path("evidence").asText());
        assertTrue(shown.body().path("superseded_by").isNull());
        JsonNode change = shown.body().path("history").get(0);
        assertEquals("counter/clerk-7", change.path("operator").asText(), shown.body().toString());
        assertEquals("FILING_API", change.path("channel").asText());

        Answer cancelled = call(FilingApiRoutes.CANCEL, "POST", "/medsettle/api/filings/" + id + "/cancel", null,
                "{\"reason\":\"moved\",\"moved_back\":false,\"operator\":\"clerk-7\"}");
        assertEquals(200, cancelled.status(), cancelled.body().toString());
        assertEquals("CANCELLED", cancelled.body().path("state").asText(), cancelled.body().toString());
        assertFalse(cancelled.headers().containsKey(FilingApiRoutes.SIGNATURE_HEADER),
                "nothing of the request goes back as a response header");
    }

    @Test
    void anUnknownFieldTextThatIsANumberAndADateThatDoesNotExistAreRefusedNamingTheFieldAndNothingIsFiled() {
        Answer unknown = post(filing(",\"valid_too\":\"2027-01-01\""));
        assertEquals(400, unknown.status());
        assertEquals("valid_too", unknown.body().path("field").asText(), unknown.body().toString());
        assertTrue(unknown.body().path("error").asText().contains("valid_to"), "the known fields are named");

        Answer number = post("{\"psn_no\":63000000000000000001,\"category\":\"TEMPORARY\",\"mdtrtarea_admvs\":\"330000\"}");
        assertEquals(400, number.status());
        assertEquals("psn_no", number.body().path("field").asText(), number.body().toString());
        assertEquals("psn_no: must be a string", number.body().path("error").asText());

        Answer impossible = post(filing(",\"valid_to\":\"2027-02-30\""));
        assertEquals(400, impossible.status());
        assertEquals("valid_to", impossible.body().path("field").asText(), impossible.body().toString());

        Answer category = post(filing("").replace("TEMPORARY", "FOREVER"));
        assertEquals("category", category.body().path("field").asText(), category.body().toString());

        Answer province = post(filing("").replace("\"330000\"", "\"999999\""));
        assertEquals("mdtrtarea_admvs", province.body().path("field").asText(), province.body().toString());

        Answer movedBack = call(FilingApiRoutes.CANCEL, "POST", "/medsettle/api/filings/F1/cancel", null,
                "{\"moved_back\":\"yes\"}");
        assertEquals(400, movedBack.status());
        assertEquals("moved_back: must be true or false", movedBack.body().path("error").asText());

        assertEquals(0, filingsOfThePerson());
    }

    @Test
    void textWithControlOrDirectionCharactersIsRefusedNamingTheFieldAndNothingIsFiledOrOpened() {
        // an escape that would start a terminal sequence on the console that lists it, a line break that would
        // show a row nobody wrote, a right-to-left override that shows text reversed, a NUL
        Answer escape = post(filing(",\"reason\":\"moved \\u001b[2J\""));
        assertEquals(400, escape.status(), escape.body().toString());
        assertEquals("reason", escape.body().path("field").asText());
        assertEquals("reason: U+001B (a control character) at character 7; text may hold only characters meant to "
                + "be read, on one line", escape.body().path("error").asText());
        Answer newline = post(filing("").replace("个人承诺", "个人承诺\\n| F1 | ACTIVE |"));
        assertEquals("evidence", newline.body().path("field").asText(), newline.body().toString());
        assertTrue(newline.body().path("error").asText().startsWith("evidence: U+000A (a control character) at "
                + "character 5;"), newline.body().toString());
        Answer override = post(filing("").replace("clerk-7", "clerk\\u202e7-"));
        assertEquals("operator", override.body().path("field").asText(), override.body().toString());
        assertTrue(override.body().path("error").asText().contains("U+202E (a mark that changes the direction"),
                override.body().toString());
        Answer nul = call(FilingApiRoutes.CANCEL, "POST", "/medsettle/api/filings/F1/cancel", null,
                "{\"reason\":\"a\\u0000b\",\"operator\":\"clerk-7\"}");
        assertEquals(400, nul.status(), nul.body().toString());
        assertEquals("reason", nul.body().path("field").asText());
        Answer question = call(FilingApiRoutes.AUDIT_OPEN, "POST", "/medsettle/api/assisted-audits", null,
                "{\"setl_id\":\"S1\",\"question\":\"why\\u2028so much\",\"operator\":\"clerk-7\"}");
        assertEquals(400, question.status(), question.body().toString());
        assertEquals("question", question.body().path("field").asText());
        assertEquals(0, filingsOfThePerson());

        Answer chinese = post(filing(",\"reason\":\"随子女异地居住 — 已提交承诺书（2026年）\""));
        assertEquals(201, chinese.status(), chinese.body().toString());
    }

    @Test
    void aBodyThatIsNotOneJsonObjectOrTooLargeIsRefused() {
        assertEquals(400, post("[1,2]").status());
        assertEquals("the body must be one JSON object", post("[1,2]").body().path("error").asText());
        Answer broken = post("{\"psn_no\":");
        assertEquals(400, broken.status());
        assertTrue(broken.body().path("error").asText().startsWith("the body is not valid JSON"), broken.body().toString());
        assertEquals(400, post(filing("") + "{}").status(), "a second JSON value after the object");
        assertEquals(400, post("").status());
        Answer large = post(filing(",\"evidence\":\"" + "x".repeat(70_000) + "\""));
        assertEquals(413, large.status(), large.body().toString());
        assertEquals(0, filingsOfThePerson());
    }

    @Test
    void aReplayedNonceAStaleTimestampAWrongSignatureAndAnUnknownClientAreRefused() {
        Map<String, Object> first = new HashMap<>();
        Answer once = call(FilingApiRoutes.FILE, "POST", "/medsettle/api/filings", null, filing(""), first::putAll);
        assertEquals(201, once.status());
        Answer again = call(FilingApiRoutes.FILE, "POST", "/medsettle/api/filings", null, filing(""),
                h -> h.putAll(first));
        assertEquals(401, again.status());
        assertTrue(again.body().path("error").asText().contains("nonce was used before"), again.body().toString());

        Answer stale = call(FilingApiRoutes.FILE, "POST", "/medsettle/api/filings", null, filing(""), h -> {
            String ts = Long.toString(System.currentTimeMillis() / 1000 - 600);
            h.put(FilingApiRoutes.TIMESTAMP_HEADER, ts);
            h.put(FilingApiRoutes.SIGNATURE_HEADER, FilingApiRoutes.sign(key, "POST", "/medsettle/api/filings", ts,
                    (String) h.get(FilingApiRoutes.NONCE_HEADER), filing("").getBytes(StandardCharsets.UTF_8)));
        });
        assertEquals(401, stale.status());
        assertTrue(stale.body().path("error").asText().contains("s from this node's clock"), stale.body().toString());

        Answer otherPath = call(FilingApiRoutes.CANCEL, "POST", "/medsettle/api/filings/F1/cancel", null, "{}",
                h -> h.put(Exchange.HTTP_URI, "/medsettle/api/filings/F2/cancel"));
        assertEquals(401, otherPath.status(), "the signature covers the path");
        Answer stranger = call(FilingApiRoutes.FILE, "POST", "/medsettle/api/filings", null, filing(""),
                h -> h.put(FilingApiRoutes.CLIENT_HEADER, "stranger"));
        assertEquals(401, stranger.status());
        assertEquals(1, filingsOfThePerson());
    }

    @Test
    void thePersonOfAListComesFromTheSignedQueryNeverFromAHeader() {
        Answer list = call(FilingApiRoutes.LIST, "GET", "/medsettle/api/filings", null, null,
                h -> h.put("psn_no", PSN));
        assertEquals(400, list.status());
        assertEquals("psn_no", list.body().path("field").asText());
    }

    @Test
    void withoutTheFilingRegistryRequestsAreAnswered503AndANoSuchFiling404() {
        Answer none = call(FilingApiRoutes.SHOW, "GET", "/medsettle/api/filings/F-NOPE", null, null);
        assertEquals(404, none.status(), none.body().toString());
        registry = null;
        Answer down = post(filing(""));
        assertEquals(503, down.status());
        assertTrue(down.body().path("error").asText().contains("not running"), down.body().toString());
    }

    private static FilingApiRoutes.ApiError elsewhere(DefaultCamelContext camel, String method, String uri) {
        Exchange e = new org.apache.camel.support.DefaultExchange(camel);
        e.getIn().setHeader(Exchange.HTTP_METHOD, method);
        e.getIn().setHeader(Exchange.HTTP_URI, uri);
        return org.junit.jupiter.api.Assertions.assertThrows(FilingApiRoutes.ApiError.class,
                () -> FilingApiRoutes.elsewhere(e));
    }

    @Test
    void aRequestNoOperationTakesIsAnswered405ForAKnownPathAnd404Elsewhere() {
        FilingApiRoutes.ApiError delete = elsewhere(camel, "DELETE", "/medsettle/api/filings");
        assertEquals(405, delete.status);
        assertTrue(delete.getMessage().contains("allowed: GET (?psn_no=), POST"), delete.getMessage());
        assertEquals(405, elsewhere(camel, "PUT", "/medsettle/api/filings/F1/cancel").status);
        assertEquals(405, elsewhere(camel, "POST", "/medsettle/api/filings/F1").status);
        assertEquals(404, elsewhere(camel, "GET", "/medsettle/api/nothing").status);
        assertEquals(404, elsewhere(camel, "GET", "/medsettle/api/filings/F1/history").status);
    }

    @org.junit.jupiter.api.Test
    void theAgencyOpensListsAndReadsAssistedAuditsAndBadRequestsAreRefusedNamingTheField() {
        store.inTransaction("a stay applied here", c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO insured_settlement (setl_id, psn_no, "
                    + "mdtrt_id, mdtrtarea_admvs, fixmedins_code, med_type, setl_time, setl_year, state, change_data, "
                    + "medfee_sumamt, fund_pay_sumamt, hifp_pay, hifmi_pay, hifob_pay, maf_pay, acct_pay, psn_cash_pay, "
                    + "applied_at) VALUES ('S-BIG', ?, 'M1', '330100', 'H33010000003', '21', CURRENT_TIMESTAMP, 2026, "
                    + "'CONFIRMED', '{}', 52000.00, 40000.00, 40000.00, 0, 0, 0, 0, 12000.00, CURRENT_TIMESTAMP)")) {
                ps.setString(1, PSN);
                ps.executeUpdate();
            }
            return null;
        });
        String base = "/medsettle/api/assisted-audits";
        Answer opened = call(FilingApiRoutes.AUDIT_OPEN, "POST", base, null,
                "{\"setl_id\":\"S-BIG\",\"question\":\"the drug lines, please\",\"days\":10,\"operator\":\"auditor-3\"}");
        org.junit.jupiter.api.Assertions.assertEquals(201, opened.status(), opened.toString());
        String id = opened.body().path("case_id").asText();
        org.junit.jupiter.api.Assertions.assertEquals("OPEN", opened.body().path("state").asText());
        org.junit.jupiter.api.Assertions.assertEquals("52000.00", opened.body().path("medfee_sumamt").asText());
        org.junit.jupiter.api.Assertions.assertEquals("330000", opened.body().path("mdtrtarea_admvs").asText());
        org.junit.jupiter.api.Assertions.assertEquals(1, sent.size(), "the treatment node is told");
        Answer list = call(FilingApiRoutes.AUDIT_LIST, "GET", base, "open=true", null);
        org.junit.jupiter.api.Assertions.assertEquals(id, list.body().path("cases").get(0).path("case_id").asText());
        Answer one = call(FilingApiRoutes.AUDIT_SHOW, "GET", base + "/" + id, null, null);
        org.junit.jupiter.api.Assertions.assertEquals("counter/auditor-3", one.body().path("opened_by").asText());

        Answer twice = call(FilingApiRoutes.AUDIT_OPEN, "POST", base, null,
                "{\"setl_id\":\"S-BIG\",\"question\":\"again\"}");
        org.junit.jupiter.api.Assertions.assertEquals(400, twice.status());
        org.junit.jupiter.api.Assertions.assertTrue(twice.body().path("error").asText().contains("has its case already"));
        Answer days = call(FilingApiRoutes.AUDIT_OPEN, "POST", base, null,
                "{\"setl_id\":\"S-BIG\",\"question\":\"q\",\"days\":\"10\"}");
        org.junit.jupiter.api.Assertions.assertEquals(400, days.status());
        org.junit.jupiter.api.Assertions.assertEquals("days", days.body().path("field").asText());
        Answer missing = call(FilingApiRoutes.AUDIT_OPEN, "POST", base, null, "{\"question\":\"q\"}");
        org.junit.jupiter.api.Assertions.assertEquals("setl_id", missing.body().path("field").asText());
        Answer none = call(FilingApiRoutes.AUDIT_SHOW, "GET", base + "/630000-nothing", null, null);
        org.junit.jupiter.api.Assertions.assertEquals(404, none.status());
        Answer badQuery = call(FilingApiRoutes.AUDIT_LIST, "GET", base, "open=maybe", null);
        org.junit.jupiter.api.Assertions.assertEquals(400, badQuery.status());
        for (String badLimit : new String[] {"limit=0", "limit=1001", "limit=ten", "limit=-1", "limit=99999"}) {
            Answer refused = call(FilingApiRoutes.AUDIT_LIST, "GET", base, badLimit, null);
            org.junit.jupiter.api.Assertions.assertEquals(400, refused.status(), badLimit);
            org.junit.jupiter.api.Assertions.assertEquals("limit", refused.body().path("field").asText(), badLimit);
        }
        Answer one1 = call(FilingApiRoutes.AUDIT_LIST, "GET", base, "limit=1", null);
        org.junit.jupiter.api.Assertions.assertEquals(1, one1.body().path("cases").size(), one1.toString());
        Answer unsigned = call(FilingApiRoutes.AUDIT_LIST, "GET", base, null, null,
                h -> h.put(FilingApiRoutes.SIGNATURE_HEADER, "00"));
        org.junit.jupiter.api.Assertions.assertEquals(401, unsigned.status());
        org.junit.jupiter.api.Assertions.assertEquals(1, audits.cases(false, 200).size(), "the refusals changed nothing");
        org.junit.jupiter.api.Assertions.assertEquals(1, sent.size());
    }
}
