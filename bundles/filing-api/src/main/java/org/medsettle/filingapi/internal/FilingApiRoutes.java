package org.medsettle.filingapi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.medsettle.api.Admdvs;
import org.medsettle.api.JsonErrors;
import org.medsettle.api.PlainText;
import org.medsettle.api.filing.FilingRefusedException;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.health.FailureLog;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.StoreException;
import org.medsettle.filingapi.internal.FilingJson.AssistedAuditInput;
import org.medsettle.filingapi.internal.FilingJson.AssistedAuditList;
import org.medsettle.filingapi.internal.FilingJson.AssistedAuditOutput;
import org.medsettle.filingapi.internal.FilingJson.CancelInput;
import org.medsettle.filingapi.internal.FilingJson.DetailsOutput;
import org.medsettle.filingapi.internal.FilingJson.ErrorOutput;
import org.medsettle.filingapi.internal.FilingJson.FilingInput;
import org.medsettle.filingapi.internal.FilingJson.FilingList;
import org.medsettle.filingapi.internal.FilingJson.FilingOutput;

/**
 * The filing API (README "The filing API") in Camel's REST DSL on Camel's servlet: four operations, each a route in
 * steps — {@code authenticate} (the body read up to {@value #MAX_BODY} bytes; a registered client's signature over
 * method, path?query, timestamp, nonce and body; the timestamp within the window; the nonce never used before),
 * {@code read} (the body to its record through Jackson databind, validated), the registry's operation, the answer.
 * A step refuses by throwing; the builder's {@code onException}s answer {@code {"error","field"}} with the status
 * that says why (400 bad input, 401 not signed or replayed, 404 no such filing, 413 too large, 503 database or
 * registry not there, 500 anything else — never a stack trace).
 * <p>
 * Requests are signed by a registered client: {@code X-Medsettle-Client: <name>},
 * {@code X-Medsettle-Timestamp: <seconds since 1970>}, {@code X-Medsettle-Nonce: <16-64 letters, digits, - _>} and
 * {@code X-Medsettle-Signature: hex(HMAC-SHA256(key, METHOD + " " + path?query + "\n" + timestamp + "\n" + nonce
 * + "\n" + body))}. Everything a route acts on comes from what was signed (the path and the query, never a header
 * the servlet copied from the request).
 */
public class FilingApiRoutes extends RouteBuilder {

    static final String CLIENT_HEADER = "X-Medsettle-Client";
    static final String SIGNATURE_HEADER = "X-Medsettle-Signature";
    static final String TIMESTAMP_HEADER = "X-Medsettle-Timestamp";
    static final String NONCE_HEADER = "X-Medsettle-Nonce";
    static final int MAX_BODY = 64 * 1024;
    /** Where the REST paths begin: the servlet's alias. */
    static final String BASE = "/medsettle/api";
    static final String FILE = "direct:filing-api-file";
    static final String LIST = "direct:filing-api-list";
    static final String SHOW = "direct:filing-api-show";
    static final String CANCEL = "direct:filing-api-cancel";
    static final String AUDIT_OPEN = "direct:assisted-audit-api-open";
    static final String AUDIT_LIST = "direct:assisted-audit-api-list";
    static final String AUDIT_SHOW = "direct:assisted-audit-api-show";

    private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final Pattern SECONDS = Pattern.compile("\\d{1,12}");
    private static final Pattern FILING_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String CLIENT = "MedsettleFilingClient";
    private static final String INPUT = "MedsettleFilingInput";
    private static final String REQUEST = "MedsettleFilingRequest";

    /** A refusal: the HTTP status, the field at fault ("" if none) and the message. */
    static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String field;

        ApiError(int status, String field, String message) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
        }
    }

    private final String restComponent;
    private final String servletName;
    private final Supplier<FilingRegistry> filings;
    private final Supplier<org.medsettle.api.supervision.AssistedAudits> audits;
    private final ApiClientsService clients;
    private final Clock clock;
    private final ObjectMapper json = FilingJson.mapper();
    private final FailureLog failures = new FailureLog((line, cause) -> log.error(line, cause), Duration.ofMinutes(1),
            Clock.systemUTC());
    private volatile Duration window = FilingApi.DEFAULT_WINDOW;
    private final java.util.function.BooleanSupplier atHub;

    /** What an agency that sends to the national hub is told. */
    static final String AT_HUB = "this is the national hub, not a province's node: it keeps no filing and no assisted "
            + "audit. An agency files with the node of the province where the person is insured (参保地), and opens "
            + "an assisted audit there (its HTTP port, the same path); nothing was done";

    /**
     * @param restComponent the component serving the REST paths ({@code servlet}), or null for the operations'
     *                      routes alone (tests send to their {@code direct:} endpoints)
     * @param servletName   the name of Camel's servlet the REST consumers bind to
     */
    FilingApiRoutes(String restComponent, String servletName, Supplier<FilingRegistry> filings,
                    ApiClientsService clients, Clock clock) {
        this(restComponent, servletName, filings, () -> null, clients, clock, () -> false);
    }

    /** @param atHub whether this instance is the national hub, which files nothing and opens no audit */
    FilingApiRoutes(String restComponent, String servletName, Supplier<FilingRegistry> filings,
                    Supplier<org.medsettle.api.supervision.AssistedAudits> audits, ApiClientsService clients,
                    Clock clock, java.util.function.BooleanSupplier atHub) {
        this.atHub = atHub;
        this.restComponent = restComponent;
        this.servletName = servletName;
        this.filings = filings;
        this.audits = audits;
        this.clients = clients;
        this.clock = clock;
    }

    void window(Duration window) {
        this.window = window;
    }

    Duration window() {
        return window;
    }

    @Override
    public void configure() {
        onException(ApiError.class).handled(true).process(e -> {
            ApiError error = e.getProperty(Exchange.EXCEPTION_CAUGHT, ApiError.class);
            error(e, error.status, error.field, error.getMessage());
        });
        onException(FilingRefusedException.class).handled(true).process(e -> {
            FilingRefusedException refused = e.getProperty(Exchange.EXCEPTION_CAUGHT, FilingRefusedException.class);
            error(e, refused.getMessage().contains("no filing") ? 404 : 400, refused.field(), refused.getMessage());
        });
        onException(StoreException.class).handled(true).process(e -> {
            StoreException failed = e.getProperty(Exchange.EXCEPTION_CAUGHT, StoreException.class);
            failures.report("store", "Filing API requests fail: the database failed (" + failed.getMessage() + ")",
                    failed.getCause());
            error(e, 503, "", "the node cannot use its database at the moment: nothing was changed; send the "
                    + "request again in a few minutes (signed anew)");
            e.getMessage().setHeader("Retry-After", "5");
        });
        onException(Exception.class).handled(true).process(e -> {
            Exception failed = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            failures.report("internal " + failed.getClass().getName(), "Filing API request failed", failed);
            error(e, 500, "", "internal error at the node: nothing was changed; the operator has the details in "
                    + "the log");
        });

        if (restComponent != null) {
            restConfiguration().component(restComponent).bindingMode(RestBindingMode.off)
                    .endpointProperty("servletName", servletName)
                    // the body stays a stream, read once with a limit; forms are not parsed; no stack traces out
                    .endpointProperty("disableStreamCache", "true")
                    .endpointProperty("mapHttpMessageFormUrlEncodedBody", "false")
                    .endpointProperty("muteException", "true");
            rest("/filings").description("filings (备案) of this node's insured persons")
                    .post().id("filing-api-file-rest").description("file").to(FILE)
                    .get().id("filing-api-list-rest").description("a person's filings, ?psn_no=").to(LIST)
                    .get("/{filing_id}").id("filing-api-show-rest").description("one filing with its history").to(SHOW)
                    .post("/{filing_id}/cancel").id("filing-api-cancel-rest").description("cancel").to(CANCEL);
            rest("/assisted-audits").description("assisted audits (费用协查) of this node's insured persons' stays elsewhere")
                    .post().id("assisted-audit-api-open-rest").description("open a case").to(AUDIT_OPEN)
                    .get().id("assisted-audit-api-list-rest").description("the newest cases; query open, limit").to(AUDIT_LIST)
                    .get("/{case_id}").id("assisted-audit-api-show-rest").description("one case").to(AUDIT_SHOW);
            // what no REST path takes (another path, another method) comes here, and is answered in JSON too
            from("servlet:/?servletName=" + servletName + "&matchOnUriPrefix=true&disableStreamCache=true"
                    + "&muteException=true").routeId("filing-api-elsewhere")
                    .process(FilingApiRoutes::elsewhere).id("elsewhere");
        }

        from(FILE).routeId("filing-api-file")
                .process(this::authenticate).id("file-authenticate")
                .process(e -> {
                    FilingInput in = read(e, FilingInput.class);
                    e.setProperty(INPUT, in);
                    e.setProperty(REQUEST, request(in, chinaToday()));
                }).id("file-read")
                .process(e -> {
                    FilingInput in = e.getProperty(INPUT, FilingInput.class);
                    answer(e, 201, FilingOutput.of(registry().file(e.getProperty(REQUEST, FilingRequest.class),
                            actor(e, in.operator()), Optional.ofNullable(in.reason()).orElse("")), chinaToday()));
                }).id("file");
        from(LIST).routeId("filing-api-list")
                .process(this::authenticate).id("list-authenticate")
                .process(e -> {
                    String psnNo = query(e, "psn_no").orElseThrow(() -> new ApiError(400, "psn_no",
                            "psn_no: required (GET " + BASE + "/filings?psn_no=…)"));
                    LocalDate today = chinaToday();
                    answer(e, 200, new FilingList(registry().forPerson(psnNo).stream()
                            .map(f -> FilingOutput.of(f, today)).toList()));
                }).id("list");
        from(SHOW).routeId("filing-api-show")
                .process(this::authenticate).id("show-authenticate")
                .process(e -> {
                    String id = filingId(e);
                    answer(e, 200, DetailsOutput.of(registry().details(id).orElseThrow(
                            () -> new ApiError(404, "filing_id", "no filing " + id)), chinaToday()));
                }).id("show");
        from(CANCEL).routeId("filing-api-cancel")
                .process(this::authenticate).id("cancel-authenticate")
                .process(e -> e.setProperty(INPUT, read(e, CancelInput.class))).id("cancel-read")
                .process(e -> {
                    CancelInput in = e.getProperty(INPUT, CancelInput.class);
                    answer(e, 200, FilingOutput.of(registry().cancel(filingId(e), actor(e, in.operator()),
                            Optional.ofNullable(in.reason()).orElse(""), Boolean.TRUE.equals(in.movedBack())),
                            chinaToday()));
                }).id("cancel");

        from(AUDIT_OPEN).routeId("assisted-audit-api-open")
                .process(this::authenticate).id("audit-open-authenticate")
                .process(e -> e.setProperty(INPUT, read(e, AssistedAuditInput.class))).id("audit-open-read")
                .process(e -> {
                    AssistedAuditInput in = e.getProperty(INPUT, AssistedAuditInput.class);
                    try {
                        answer(e, 201, AssistedAuditOutput.of(assistedAudits().open(required(in.setlId(), "setl_id"),
                                required(in.question(), "question"), in.days() == null ? 15 : in.days(),
                                actor(e, in.operator())), chinaToday()));
                    } catch (IllegalArgumentException refused) {
                        throw new ApiError(400, refused.getMessage().contains("deadline") ? "days" : "setl_id",
                                refused.getMessage());
                    }
                }).id("audit-open");
        from(AUDIT_LIST).routeId("assisted-audit-api-list")
                .process(this::authenticate).id("audit-list-authenticate")
                .process(e -> {
                    String open = query(e, "open").orElse("false");
                    if (!open.equals("true") && !open.equals("false")) {
                        throw new ApiError(400, "open", "open: true or false");
                    }
                    String given = query(e, "limit").orElse("200");
                    int limit = given.matches("[0-9]{1,4}") ? Integer.parseInt(given) : 0;
                    if (limit < 1 || limit > org.medsettle.api.supervision.AssistedAudits.MAX_LIST) {
                        throw new ApiError(400, "limit", "limit: a whole number from 1 to "
                                + org.medsettle.api.supervision.AssistedAudits.MAX_LIST);
                    }
                    LocalDate today = chinaToday();
                    answer(e, 200, new AssistedAuditList(assistedAudits().cases(Boolean.parseBoolean(open), limit)
                            .stream()
                            .map(k -> AssistedAuditOutput.of(k, today)).toList()));
                }).id("audit-list");
        from(AUDIT_SHOW).routeId("assisted-audit-api-show")
                .process(this::authenticate).id("audit-show-authenticate")
                .process(e -> {
                    String id = pathId(e, "/assisted-audits/", "case_id");
                    answer(e, 200, AssistedAuditOutput.of(assistedAudits().get(id).orElseThrow(
                            () -> new ApiError(404, "case_id", "no assisted audit " + id)), chinaToday()));
                }).id("audit-show");
    }

    private org.medsettle.api.supervision.AssistedAudits assistedAudits() {
        org.medsettle.api.supervision.AssistedAudits a = audits.get();
        if (a == null) {
            throw new ApiError(503, "", "the assisted audits are not running on this node (medsettle:health)");
        }
        return a;
    }

    /**
     * The date in China on this API's clock: the registry checks a filing's dates against it, a filing sent without
     * {@code valid_from} starts on it, and a filing's {@code state} in an answer is its state on it.
     */
    private LocalDate chinaToday() {
        return org.medsettle.api.BusinessClock.today(clock);
    }

    /** The id after {@code segment} in the signed path (never from a header). */
    private static String pathId(Exchange exchange, String segment, String field) {
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        String prefix = BASE + segment;
        String rest = uri != null && uri.startsWith(prefix) ? uri.substring(prefix.length()) : "";
        String id = URLDecoder.decode(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest,
                StandardCharsets.UTF_8);
        if (!FILING_ID.matcher(id).matches()) {
            throw new ApiError(404, field, "no such " + field + ": " + id);
        }
        return id;
    }

    // ---- steps

    /**
     * Step {@code authenticate}: at the national hub, a refusal (404) before anything is read; at a node, the body read
     * with its limit, the signature, the timestamp and the nonce.
     */
    void authenticate(Exchange exchange) throws IOException {
        Message in = exchange.getIn();
        if (atHub.getAsBoolean()) {
            failures.report("at-hub", "Filing API request refused: this instance is the national hub (claimed client "
                    + Optional.ofNullable(in.getHeader(CLIENT_HEADER, String.class)).map(String::strip)
                    .map(c -> org.medsettle.api.PlainText.shownCut(c, 40))
                    .orElse("none") + "); agencies send to their province's node", null);
            throw new ApiError(404, "", AT_HUB);
        }
        Long length = in.getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (length != null && length > MAX_BODY) {
            throw new ApiError(413, "", "the body is larger than " + MAX_BODY + " bytes");
        }
        byte[] body;
        try (InputStream stream = in.getBody(InputStream.class)) {
            body = stream == null ? new byte[0] : stream.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) {
            throw new ApiError(413, "", "the body is larger than " + MAX_BODY + " bytes");
        }
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        String target = in.getHeader(Exchange.HTTP_URI, String.class) + (query == null || query.isEmpty() ? ""
                : "?" + query);
        String client = in.getHeader(CLIENT_HEADER, String.class);
        String signature = in.getHeader(SIGNATURE_HEADER, String.class);
        String timestamp = Optional.ofNullable(in.getHeader(TIMESTAMP_HEADER, String.class)).map(String::strip).orElse("");
        String nonce = Optional.ofNullable(in.getHeader(NONCE_HEADER, String.class)).map(String::strip).orElse("");
        byte[] key = client == null ? null : clients.key(client.strip()).orElse(null);
        if (key == null || signature == null || !SECONDS.matcher(timestamp).matches() || !NONCE.matcher(nonce).matches()
                || !MessageDigest.isEqual(sign(key, method, target, timestamp, nonce, body)
                        .getBytes(StandardCharsets.US_ASCII),
                signature.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiError(401, "", "not signed by a registered filing client: send " + CLIENT_HEADER + ", "
                    + TIMESTAMP_HEADER + " (seconds since 1970), " + NONCE_HEADER + " (16-64 letters, digits, - or _, "
                    + "new for every request) and " + SIGNATURE_HEADER + " (hex HMAC-SHA256 of METHOD + ' ' + "
                    + "path?query + newline + timestamp + newline + nonce + newline + body)");
        }
        String name = client.strip();
        long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
        if (skew > window.toSeconds()) {
            log.warn("Filing API request of client {} refused: its timestamp is {} s from this node's clock", name, skew);
            throw new ApiError(401, "", "the request's timestamp is " + skew + " s from this node's clock (at most "
                    + window.toSeconds() + " s): sign it again now, with a new nonce (check the client's clock)");
        }
        if (!clients.firstUse(name, nonce, window)) {
            log.warn("Filing API request of client {} refused: its nonce was used before (a replayed request)", name);
            throw new ApiError(401, "", "this nonce was used before: a request is accepted once; sign it again with a "
                    + "new nonce");
        }
        exchange.setProperty(CLIENT, name);
        in.setBody(body);
    }

    /** What a client signs. */
    static String sign(byte[] key, String method, String target, String timestamp, String nonce, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((method + " " + target + "\n" + timestamp + "\n" + nonce + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body as a {@code type} through Jackson databind; what is wrong with it named, with its field. */
    <T> T read(Exchange exchange, Class<T> type) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new ApiError(400, "", "the body must be one JSON object; it is empty");
        }
        T value;
        try {
            value = json.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ApiError(400, e.getPropertyName(), e.getPropertyName() + ": not a field of this request (fields: "
                    + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")");
        } catch (MismatchedInputException e) {
            String field = field(e);
            if (field.isEmpty()) {
                throw new ApiError(400, "", "the body must be one JSON object");
            }
            Class<?> target = e.getTargetType();
            throw new ApiError(400, field, field + ": must be " + (target == Boolean.class ? "true or false"
                    : target == Integer.class ? "a whole number" : "a string"));
        } catch (JsonProcessingException e) {
            throw new ApiError(400, field(e), "the body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")")
                    + ": " + JsonErrors.plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ApiError(400, "", "the body is not valid JSON");
        }
        plainText(value);
        return value;
    }

    /** Every text field of a request is plain text ({@link PlainText}): the first that is not is refused, named. */
    static void plainText(Object request) {
        if (request == null || !request.getClass().isRecord()) {
            return;
        }
        for (java.lang.reflect.RecordComponent c : request.getClass().getRecordComponents()) {
            if (c.getType() != String.class) {
                continue;
            }
            JsonProperty property = c.getAccessor().getAnnotation(JsonProperty.class);
            String field = property == null ? c.getName() : property.value();
            String text;
            try {
                text = (String) c.getAccessor().invoke(request);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            PlainText.refusal(field, text).ifPresent(message -> {
                throw new ApiError(400, field, message);
            });
        }
    }

    private static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String name = m.getPath().get(m.getPath().size() - 1).getFieldName();
            return name == null ? "" : name;
        }
        return "";
    }

    /**
     * A filing request checked field by field: required, a category, a province, dates that exist; without
     * {@code valid_from} it starts {@code today} (the date in China).
     */
    static FilingRequest request(FilingInput in, LocalDate today) {
        String category = required(in.category(), "category");
        FilingCategory c;
        try {
            c = FilingCategory.valueOf(category);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "category", "category: one of " + List.of(FilingCategory.values()));
        }
        Admdvs treatment;
        try {
            treatment = Admdvs.of(required(in.treatmentPlace(), "mdtrtarea_admvs"));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "mdtrtarea_admvs", "mdtrtarea_admvs: " + e.getMessage());
        }
        LocalDate from = date(in.validFrom(), "valid_from");
        return new FilingRequest(required(in.psnNo(), "psn_no"), c, treatment, from == null ? today : from,
                Optional.ofNullable(date(in.validTo(), "valid_to")), blankToNull(in.evidence()),
                blankToNull(in.receivingHospital()));
    }

    private static String required(String value, String field) {
        String v = blankToNull(value);
        if (v == null) {
            throw new ApiError(400, field, field + ": required");
        }
        return v;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static LocalDate date(String value, String field) {
        String s = blankToNull(value);
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, field, field + ": must be a date yyyy-MM-dd that exists: '" + s + "'");
        }
    }

    /** The filing id of {@code /filings/{id}…}, from the signed path (never from a header). */
    private static String filingId(Exchange exchange) {
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        String prefix = BASE + "/filings/";
        String rest = uri != null && uri.startsWith(prefix) ? uri.substring(prefix.length()) : "";
        String id = URLDecoder.decode(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest,
                StandardCharsets.UTF_8);
        if (!FILING_ID.matcher(id).matches()) {
            throw new ApiError(404, "filing_id", "no filing " + id);
        }
        return id;
    }

    /** A parameter of the signed query (never a header of the same name). */
    private static Optional<String> query(Exchange exchange, String name) {
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (name.equals(key)) {
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).strip();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** A request no operation takes: 405 naming the methods of a known path, else 404. */
    static void elsewhere(Exchange exchange) {
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        String uri = exchange.getIn().getHeader(Exchange.HTTP_URI, String.class);
        String path = uri == null ? "" : uri.replaceAll("/+$", "");
        String allowed = path.equals(BASE + "/filings") ? "GET (?psn_no=), POST"
                : path.matches(Pattern.quote(BASE + "/filings/") + "[^/]+") ? "GET"
                : path.matches(Pattern.quote(BASE + "/filings/") + "[^/]+/cancel") ? "POST"
                : path.equals(BASE + "/assisted-audits") ? "GET (?open=true&limit=n), POST"
                : path.matches(Pattern.quote(BASE + "/assisted-audits/") + "[^/]+") ? "GET" : null;
        if (allowed != null) {
            throw new ApiError(405, "", method + " is not allowed on " + uri + " (allowed: " + allowed + ")");
        }
        throw new ApiError(404, "", "no such resource: " + method + " " + uri + " (the filing API is " + BASE
                + "/filings and " + BASE + "/assisted-audits: README \"The filing API\")");
    }

    private FilingRegistry registry() {
        FilingRegistry registry = filings.get();
        if (registry == null) {
            throw new ApiError(503, "", "the filing registry is not running (medsettle:health)");
        }
        return registry;
    }

    private static Actor actor(Exchange exchange, String operator) {
        String client = exchange.getProperty(CLIENT, String.class);
        String op = operator == null ? "" : operator.strip();
        String name = op.isEmpty() ? client : client + "/" + op;
        return new Actor(name.length() > 64 ? name.substring(0, 64) : name, AuditChannel.FILING_API);
    }

    private void answer(Exchange exchange, int status, Object body) throws JsonProcessingException {
        Message out = exchange.getMessage();
        // nothing of the request goes back as a response header
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json;charset=UTF-8");
        out.setBody(json.writeValueAsBytes(body));
    }

    private void error(Exchange exchange, int status, String field, String message) throws JsonProcessingException {
        answer(exchange, status, new ErrorOutput(message, field == null ? "" : field));
    }
}
