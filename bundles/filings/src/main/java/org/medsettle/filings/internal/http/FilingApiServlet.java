package org.medsettle.filings.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.filing.FilingChange;
import org.medsettle.api.filing.FilingDetails;
import org.medsettle.api.filing.FilingRefusedException;
import org.medsettle.api.filing.FilingRegistry;
import org.medsettle.api.filing.FilingRequest;
import org.medsettle.api.model.Filing;
import org.medsettle.api.model.FilingCategory;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.StoreException;

/**
 * The filing API (README "Filing API"): JSON over HTTP for online services, apps and the agency's counter.
 * Every request is signed by a registered client: {@code X-Medsettle-Client: <name>},
 * {@code X-Medsettle-Timestamp: <seconds since 1970>}, {@code X-Medsettle-Nonce: <16-64 letters, digits, - _>} and
 * {@code X-Medsettle-Signature: hex(HMAC-SHA256(key, METHOD + " " + path?query + "\n" + timestamp + "\n" + nonce
 * + "\n" + body))}. A timestamp farther than the window (5 minutes) from the node's clock, or a nonce the client used
 * before, is refused (401): a captured request cannot be sent again.
 */
final class FilingApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CLIENT_HEADER = "X-Medsettle-Client";
    static final String SIGNATURE_HEADER = "X-Medsettle-Signature";
    static final String TIMESTAMP_HEADER = "X-Medsettle-Timestamp";
    static final String NONCE_HEADER = "X-Medsettle-Nonce";
    private static final java.util.regex.Pattern NONCE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{16,64}");
    private static final java.util.regex.Pattern SECONDS = java.util.regex.Pattern.compile("\\d{1,12}");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FilingApiServlet.class);
    private final transient org.medsettle.api.health.FailureLog failures = new org.medsettle.api.health.FailureLog(
            LOG::error, java.time.Duration.ofMinutes(1), java.time.Clock.systemUTC());
    static final int MAX_BODY = 64 * 1024;

    private final transient ObjectMapper json = new ObjectMapper();
    private final transient Supplier<FilingRegistry> filings;
    private final transient ApiClientsService clients;
    private final transient java.time.Clock clock;
    private transient volatile java.time.Duration window = FilingApi.DEFAULT_WINDOW;

    FilingApiServlet(Supplier<FilingRegistry> filings, ApiClientsService clients, java.time.Clock clock) {
        this.filings = filings;
        this.clients = clients;
        this.clock = clock;
    }

    void window(java.time.Duration window) {
        this.window = window;
    }

    java.time.Duration window() {
        return window;
    }

    private static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String field;

        ApiError(int status, String field, String message) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            byte[] body = body(req);
            String client = authenticate(req, body);
            FilingRegistry registry = filings.get();
            if (registry == null) {
                throw new ApiError(503, "", "the filing registry is not running (medsettle:health)");
            }
            String path = req.getPathInfo() == null ? "" : req.getPathInfo();
            String method = req.getMethod();
            if (path.isEmpty() || "/".equals(path)) {
                if ("POST".equals(method)) {
                    write(resp, 201, filing(registry.file(request(parse(body)), actor(client, parse(body)), parse(body).path("reason").asText(""))));
                } else if ("GET".equals(method)) {
                    String psnNo = Optional.ofNullable(req.getParameter("psn_no")).orElseThrow(
                            () -> new ApiError(400, "psn_no", "psn_no: required"));
                    ObjectNode out = json.createObjectNode();
                    ArrayNode list = out.putArray("filings");
                    registry.forPerson(psnNo.strip()).forEach(f -> list.add(filing(f)));
                    write(resp, 200, out);
                } else {
                    throw new ApiError(405, "", method + " is not allowed here");
                }
                return;
            }
            String[] parts = path.substring(1).split("/");
            String id = parts[0];
            if (parts.length == 1 && "GET".equals(method)) {
                write(resp, 200, details(registry.details(id).orElseThrow(() -> new ApiError(404, "filing_id", "no filing " + id))));
            } else if (parts.length == 2 && "cancel".equals(parts[1]) && "POST".equals(method)) {
                JsonNode in = parse(body);
                write(resp, 200, filing(registry.cancel(id, actor(client, in), in.path("reason").asText(""),
                        in.path("moved_back").asBoolean(false))));
            } else {
                throw new ApiError(404, "", "no such resource: " + method + " " + path);
            }
        } catch (ApiError e) {
            error(resp, e.status, e.field, e.getMessage());
        } catch (FilingRefusedException e) {
            error(resp, e.getMessage().contains("no filing") ? 404 : 400, e.field(), e.getMessage());
        } catch (StoreException e) {
            failures.report("store", "Filing API requests fail: the database failed (" + e.getMessage() + ")",
                    e.getCause());
            resp.setHeader("Retry-After", "5");
            error(resp, 503, "", "the node cannot use its database at the moment: nothing was changed; send the "
                    + "request again in a few minutes (signed anew)");
        } catch (RuntimeException e) {
            failures.report("internal " + e.getClass().getName(), "Filing API request failed", e);
            error(resp, 500, "", "internal error at the node: nothing was changed; the operator has the details in "
                    + "the log");
        }
    }

    private static byte[] body(HttpServletRequest req) throws IOException {
        if (req.getContentLengthLong() > MAX_BODY) {
            throw new ApiError(413, "", "the body is larger than " + MAX_BODY + " bytes");
        }
        try (InputStream in = req.getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new ApiError(413, "", "the body is larger than " + MAX_BODY + " bytes");
            }
            return body;
        }
    }

    private String authenticate(HttpServletRequest req, byte[] body) {
        String client = req.getHeader(CLIENT_HEADER);
        String signature = req.getHeader(SIGNATURE_HEADER);
        String timestamp = Optional.ofNullable(req.getHeader(TIMESTAMP_HEADER)).map(String::strip).orElse("");
        String nonce = Optional.ofNullable(req.getHeader(NONCE_HEADER)).map(String::strip).orElse("");
        byte[] key = client == null ? null : clients.key(client.strip()).orElse(null);
        String target = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
        if (key == null || signature == null || !SECONDS.matcher(timestamp).matches() || !NONCE.matcher(nonce).matches()
                || !MessageDigest.isEqual(sign(key, req.getMethod(), target, timestamp, nonce, body)
                        .getBytes(StandardCharsets.US_ASCII),
                signature.strip().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw new ApiError(401, "", "not signed by a registered filing client: send " + CLIENT_HEADER + ", "
                    + TIMESTAMP_HEADER + " (seconds since 1970), " + NONCE_HEADER + " (16-64 letters, digits, - or _, "
                    + "new for every request) and " + SIGNATURE_HEADER + " (hex HMAC-SHA256 of METHOD + ' ' + "
                    + "path?query + newline + timestamp + newline + nonce + newline + body)");
        }
        String name = client.strip();
        long skew = Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp));
        if (skew > window.toSeconds()) {
            LOG.warn("Filing API request of client {} refused: its timestamp is {} s from this node's clock", name, skew);
            throw new ApiError(401, "", "the request's timestamp is " + skew + " s from this node's clock (at most "
                    + window.toSeconds() + " s): sign it again now, with a new nonce (check the client's clock)");
        }
        if (!clients.firstUse(name, nonce, window)) {
            LOG.warn("Filing API request of client {} refused: its nonce was used before (a replayed request)", name);
            throw new ApiError(401, "", "this nonce was used before: a request is accepted once; sign it again with a "
                    + "new nonce");
        }
        return name;
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

    private static Actor actor(String client, JsonNode in) {
        String operator = in.path("operator").asText("").strip();
        String name = operator.isEmpty() ? client : client + "/" + operator;
        return new Actor(name.length() > 64 ? name.substring(0, 64) : name, AuditChannel.FILING_API);
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode n = json.readTree(body);
            if (n == null || !n.isObject()) {
                throw new ApiError(400, "", "the body must be one JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "", "the body is not valid JSON" + (e.getLocation() == null ? "" : " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")") + ": "
                    + org.medsettle.api.JsonErrors.plain(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ApiError(400, "", "the body is not valid JSON");
        }
    }

    private static String text(JsonNode in, String field, boolean required) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull() || v.asText().isBlank()) {
            if (required) {
                throw new ApiError(400, field, field + ": required");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiError(400, field, field + ": must be a string");
        }
        return v.asText().strip();
    }

    private static LocalDate date(JsonNode in, String field) {
        String s = text(in, field, false);
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new ApiError(400, field, field + ": must be a date yyyy-MM-dd: '" + s + "'");
        }
    }

    private static FilingRequest request(JsonNode in) {
        String category = text(in, "category", true);
        FilingCategory c;
        try {
            c = FilingCategory.valueOf(category);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "category", "category: one of " + List.of(FilingCategory.values()));
        }
        Admdvs treatment;
        try {
            treatment = Admdvs.of(text(in, "mdtrtarea_admvs", true));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "mdtrtarea_admvs", "mdtrtarea_admvs: " + e.getMessage());
        }
        LocalDate from = date(in, "valid_from");
        return new FilingRequest(text(in, "psn_no", true), c, treatment, from == null ? LocalDate.now() : from,
                Optional.ofNullable(date(in, "valid_to")), text(in, "evidence", false),
                text(in, "receiving_hospital", false));
    }

    private ObjectNode filing(Filing f) {
        ObjectNode o = json.createObjectNode();
        o.put("filing_id", f.filingId());
        o.put("psn_no", f.psnNo());
        o.put("category", f.category().name());
        o.put("mdtrtarea_admvs", f.treatmentPlace().code());
        o.put("valid_from", f.validFrom().toString());
        o.put("valid_to", f.validTo().map(LocalDate::toString).orElse(null));
        o.put("state", f.stateOn(LocalDate.now()).name());
        return o;
    }

    private ObjectNode details(FilingDetails d) {
        ObjectNode o = filing(d.filing());
        o.put("evidence", d.evidence());
        o.put("receiving_hospital", d.receivingHospital());
        o.put("superseded_by", d.supersededBy().orElse(null));
        ArrayNode history = o.putArray("history");
        for (FilingChange c : d.history()) {
            ObjectNode h = history.addObject();
            h.put("at", c.at().toString());
            h.put("action", c.action());
            h.put("operator", c.operator());
            h.put("channel", c.channel().name());
            h.put("reason", c.reason());
            h.put("state_after", c.stateAfter().name());
        }
        return o;
    }

    private void write(HttpServletResponse resp, int status, JsonNode out) throws IOException {
        resp.setStatus(status);
        resp.setContentType("application/json;charset=UTF-8");
        resp.getOutputStream().write(json.writeValueAsBytes(out));
    }

    private void error(HttpServletResponse resp, int status, String field, String message) throws IOException {
        ObjectNode o = json.createObjectNode();
        o.put("error", message);
        o.put("field", field);
        write(resp, status, o);
    }

    static byte[] decodeKey(String base64) {
        return Base64.getDecoder().decode(base64.strip());
    }
}
