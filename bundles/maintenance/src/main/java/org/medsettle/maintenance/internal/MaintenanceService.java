package org.medsettle.maintenance.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.medsettle.api.Admdvs;
import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.medsettle.api.instance.InstanceIdentity;
import org.medsettle.api.link.NationalLink;
import org.medsettle.api.maintenance.MaintenanceNotices;
import org.medsettle.api.maintenance.MaintenanceText;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.SchemaReady;
import org.medsettle.api.store.Transactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintenance notices (停机公告) at a province node (only on {@code MEDSETTLE_ROLE=node}): this province's windows are
 * announced and cancelled through the national hub ({@code MAINTENANCE_ANNOUNCE}, {@code MAINTENANCE_CANCEL}: the
 * hub must take them), every province's are read from the hub every {@code pollSeconds} ({@code MAINTENANCE_LIST})
 * and kept in table {@code maintenance_window} (which this bundle alone writes), so that a node started while the hub
 * cannot be reached still knows them. Health check {@code maintenance}: the windows known, and when the hub's list
 * was last read.
 */
@Component(service = {MaintenanceNotices.class, HealthCheck.class}, configurationPid = "org.medsettle.maintenance")
@Designate(ocd = MaintenanceConfig.class)
public class MaintenanceService implements MaintenanceNotices, HealthCheck {

    static final String ANNOUNCE = "MAINTENANCE_ANNOUNCE";
    static final String CANCEL = "MAINTENANCE_CANCEL";
    static final String LIST = "MAINTENANCE_LIST";
    static final Admdvs HUB = org.medsettle.support.link.HubQuestions.HUB;
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceService.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Admdvs self;
    private final Transactor db;
    private final AuditLog audit;
    private final NationalLink link;
    private final Clock clock;
    /** A change of the settings makes a new component (the reading's period with it). */
    private final MaintenanceConfig config;
    /** The windows as last read (from the hub, or at start from the table), by start. */
    private volatile List<Window> known = List.of();
    /** When the hub's list was last read, and why it could not be since. */
    private volatile Instant readAt;
    private volatile String problem = "";
    private ScheduledExecutorService follower;

    @Activate
    public MaintenanceService(@Reference(target = "(role~=node)") InstanceIdentity identity, @Reference Transactor db,
                              @Reference AuditLog audit, @Reference NationalLink link,
                              @Reference(target = "(owner=medsettle-maintenance)") SchemaReady schema,
                              MaintenanceConfig config) {
        this(identity.admdvs(), db, audit, link, org.medsettle.api.BusinessClock.system(), config);
        known = stored();
        follower = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "medsettle-maintenance-follower");
            t.setDaemon(true);
            return t;
        });
        schedule(follower);
        LOG.info("Maintenance notices of {}: {} window(s) known, the hub's list read every {} s", self, known.size(),
                config.pollSeconds());
    }

    /** For tests (a factory, not a public constructor: docs/stack.md, trap 55); nothing read by itself. */
    static MaintenanceService of(Admdvs self, Transactor db, AuditLog audit, NationalLink link, Clock clock,
                                 MaintenanceConfig config) {
        MaintenanceService made = new MaintenanceService(self, db, audit, link, clock, config);
        made.known = made.stored();
        return made;
    }

    private MaintenanceService(Admdvs self, Transactor db, AuditLog audit, NationalLink link, Clock clock,
                               MaintenanceConfig config) {
        this.self = self;
        this.db = db;
        this.audit = audit;
        this.link = link;
        this.clock = clock;
        this.config = config;
    }

    private void schedule(ScheduledExecutorService on) {
        long period = Math.max(1, config.pollSeconds());
        on.scheduleWithFixedDelay(this::readQuietly, 2, period, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        if (follower != null) {
            follower.shutdownNow();
        }
    }

    private void readQuietly() {
        try {
            read();
        } catch (RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(problem)) {
                LOG.warn("The national hub's maintenance notices could not be read ({}): the {} window(s) read before "
                        + "are used; tried again every {} s", e.getMessage(), known.size(), config.pollSeconds());
            }
            problem = String.valueOf(e.getMessage());
        }
    }

    /** Reads the hub's list; when it changed, keeps it in the table and here and logs what changed. */
    void read() {
        JsonNode answer = ask(LIST, JSON.createObjectNode());
        List<Window> windows = new ArrayList<>();
        for (JsonNode w : answer.path("windows")) {
            windows.add(window(w));
        }
        windows.sort(Comparator.comparing(Window::from).thenComparing(Window::id));
        Instant now = clock.instant();
        List<Window> before = known;
        readAt = now;
        if (!problem.isEmpty()) {
            LOG.info("The national hub's maintenance notices are read again: {} window(s)", windows.size());
            problem = "";
        }
        if (windows.equals(before)) {
            return;
        }
        db.inTransaction("keep the maintenance windows", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM maintenance_window")) {
                delete.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO maintenance_window (window_id, admdvs, "
                    + "starts_at, ends_at, reason, announced_at, announced_by, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Window w : windows) {
                    ps.setLong(1, w.id());
                    ps.setString(2, w.province().code());
                    ps.setTimestamp(3, Timestamp.from(w.from()));
                    ps.setTimestamp(4, Timestamp.from(w.until()));
                    ps.setString(5, w.reason());
                    ps.setTimestamp(6, Timestamp.from(w.announced()));
                    ps.setString(7, w.announcedBy());
                    ps.setTimestamp(8, Timestamp.from(now));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
        known = List.copyOf(windows);
        Map<Long, Window> was = before.stream().collect(Collectors.toMap(Window::id, Function.identity()));
        Map<Long, Window> is = windows.stream().collect(Collectors.toMap(Window::id, Function.identity()));
        is.values().stream().filter(w -> !was.containsKey(w.id())).forEach(w -> LOG.info("Maintenance notice "
                + "(停机公告) {} of {}: down {} to {} (China time): {}", w.id(), w.province(),
                MaintenanceText.china(w.from()), MaintenanceText.china(w.until()), w.reason()));
        was.values().stream().filter(w -> !is.containsKey(w.id()) && w.until().isAfter(now)).forEach(w -> LOG.info(
                "Maintenance window {} of {} cancelled or ended early", w.id(), w.province()));
    }

    private List<Window> stored() {
        return db.inTransaction("read the maintenance windows kept", c -> {
            List<Window> list = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT window_id, admdvs, starts_at, ends_at, reason, "
                    + "announced_at, announced_by FROM maintenance_window ORDER BY starts_at, window_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new Window(rs.getLong(1), Admdvs.of(rs.getString(2)), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getTimestamp(6).toInstant(),
                            rs.getString(7)));
                }
            }
            return List.copyOf(list);
        });
    }

    @Override
    public Window announce(Instant from, Instant until, String reason, Actor actor) {
        String why = MaintenanceText.problem(from, until, reason, clock.instant());
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("from", from.toString());
        body.put("until", until.toString());
        body.put("reason", reason.strip());
        body.put("by", actor.name());
        Window w = window(ask(ANNOUNCE, body).path("window"));
        audit.record(new AuditEvent(clock.instant(), actor.name(), actor.channel(), "MAINTENANCE_ANNOUNCED",
                self.code(), "window " + w.id() + " at the hub: " + MaintenanceText.china(w.from()) + " to "
                + MaintenanceText.china(w.until()) + " (" + w.reason() + ")"));
        LOG.info("Maintenance window {} of {} announced at the hub by {}: {} to {} (China time), {}", w.id(), self,
                actor.name(), MaintenanceText.china(w.from()), MaintenanceText.china(w.until()), w.reason());
        readQuietly();
        return w;
    }

    @Override
    public boolean cancel(long id, Actor actor) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", id);
        body.put("by", actor.name());
        boolean cancelled = ask(CANCEL, body).path("cancelled").asBoolean(false);
        if (cancelled) {
            audit.record(new AuditEvent(clock.instant(), actor.name(), actor.channel(), "MAINTENANCE_CANCELLED",
                    self.code(), "window " + id + " cancelled or ended early at the hub"));
            LOG.info("Maintenance window {} of {} cancelled or ended early by {}", id, self, actor.name());
            readQuietly();
        }
        return cancelled;
    }

    /** Asks the hub; its refusal (a window that is not one, another province's) becomes an IllegalArgumentException. */
    private JsonNode ask(String type, ObjectNode body) {
        return org.medsettle.support.link.HubQuestions.ask(link, self, "mt", type, body, TIMEOUT);
    }

    private static Window window(JsonNode w) {
        if (!w.hasNonNull("id") || !w.hasNonNull("province") || !w.hasNonNull("from") || !w.hasNonNull("until")) {
            throw new IllegalStateException("the national hub's maintenance window is not one: " + w);
        }
        return new Window(w.get("id").asLong(), Admdvs.of(w.get("province").asText()), Instant.parse(w.get("from")
                .asText()), Instant.parse(w.get("until").asText()), w.path("reason").asText(""),
                Instant.parse(w.path("announced").asText(w.get("from").asText())), w.path("by").asText(""));
    }

    @Override
    public List<Window> windows() {
        Instant now = clock.instant();
        return known.stream().filter(w -> w.until().isAfter(now)).toList();
    }

    @Override
    public Duration warning() {
        return Duration.ofHours(Math.max(0, config.warnHours()));
    }

    @Override
    public String name() {
        return "maintenance";
    }

    @Override
    public HealthResult check() {
        Instant now = clock.instant();
        List<Window> windows = windows();
        String list = windows.isEmpty() ? "no maintenance announced" : windows.stream().map(w -> w.province() + " "
                + MaintenanceText.china(w.from()) + " to " + MaintenanceText.china(w.until())
                + (w.openAt(now) ? " (DOWN NOW)" : "") + ": " + w.reason()).collect(Collectors.joining("; "));
        Instant read = readAt;
        String source = read == null ? "the hub's list not read yet" + (problem.isEmpty() ? "" : " (" + problem + ")")
                : "the hub's list read " + MaintenanceText.china(read) + (problem.isEmpty() ? ""
                : ", not since (" + problem + ")");
        return HealthResult.ok(list + "; " + source);
    }
}
