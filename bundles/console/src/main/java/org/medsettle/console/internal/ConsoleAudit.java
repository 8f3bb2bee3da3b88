package org.medsettle.console.internal;

import java.security.AccessController;
import java.security.Principal;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.security.auth.Subject;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.medsettle.api.store.AuditChannel;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every console command line that is not a known read-only command is recorded in the audit trail
 * ({@code medsettle:audit -t CONSOLE_COMMAND}) with the user who ran it, whether it succeeded and, for a failure or
 * refusal, why: bundle, feature, configuration, component, Camel route and log level changes, and every attempt by a
 * user the command ACLs refused ({@code CONSOLE_REFUSED}). Deny by default here too: a command is audited unless it
 * is named in {@link #READ_ONLY}.
 *
 * <p>Values that may be secrets are not recorded: the value of {@code config:property-set/-append}, and everything
 * after the user name of {@code jaas:} commands.
 */
@Component(service = CommandSessionListener.class, immediate = true)
public class ConsoleAudit implements CommandSessionListener {

    static final String COMMAND = "CONSOLE_COMMAND";
    static final String REFUSED = "CONSOLE_REFUSED";

    /** Commands that change nothing: not audited (their use would drown the changes). */
    static final Set<String> READ_ONLY = Set.of(
            "medsettle:health", "medsettle:status", "medsettle:audit", "medsettle:policy-list", "medsettle:policy-show",
            "medsettle:policy-check", "medsettle:catalogue-lookup", "medsettle:catalogue-versions", "medsettle:estimate",
            "medsettle:person-show", "medsettle:person-accumulators", "medsettle:hospital-list",
            "medsettle:filing-list", "medsettle:filing-show", "medsettle:filing-history", "medsettle:link-certificate",
            "medsettle:link-status", "medsettle:outbox", "medsettle:filing-client-list", "medsettle:hub-nodes", "medsettle:hub-traffic",
            "medsettle:ledger-check", "medsettle:ledger-balances", "medsettle:leases", "medsettle:clearing-show", "medsettle:clearing-statement",
            "medsettle:clearing-cases", "medsettle:prepayment-show", "medsettle:prepayment-size",
            "medsettle:assisted-audit-list", "medsettle:assisted-audit-show", "medsettle:supervision-flags",
            "medsettle:supervision-rules", "medsettle:maintenance-list", "medsettle:provisional-list", "medsettle:topup-list",
            "bundle:list", "bundle:headers", "bundle:info", "bundle:diag", "bundle:tree-show", "bundle:capabilities",
            "bundle:requirements", "bundle:classes", "bundle:find-class", "bundle:status", "bundle:id",
            "feature:list", "feature:info", "feature:repo-list", "feature:version-list", "feature:requirement-list",
            "scr:list", "scr:info", "camel:context-list", "camel:route-list", "camel:route-info", "camel:context-info",
            "camel:endpoint-list", "camel:route-show", "config:list", "log:display", "log:get", "log:exception-display",
            "service:list", "package:exports", "package:imports", "system:version", "system:name", "shell:info",
            "shell:echo", "shell:grep", "shell:head", "shell:tail", "shell:sort", "shell:wc", "shell:more", "shell:less",
            "shell:history", "shell:help", "*:help", "help", "jaas:realm-list", "jaas:user-list", "instance:list",
            "http:list", "web:list", "jdbc:ds-list", "jdbc:ds-info", "diag", "shell:logout", "logout", "exit");

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAudit.class);
    private static final Pattern FIRST = Pattern.compile("^\\s*([A-Za-z0-9_*.-]+(?::[A-Za-z0-9_.-]+)?)");
    /** What the Karaf console's init script and closures run: variable assignments and aliases, not commands. */
    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*[A-Za-z0-9_#.\\\\:-]+\\s*=.*", Pattern.DOTALL);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditLog audit;

    private final Clock clock = Clock.systemUTC();

    @Override
    public void beforeExecute(CommandSession session, CharSequence command) {
        // recorded once it is known how it ended
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Exception exception) {
        record(session, command, Optional.of(exception));
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence command, Object result) {
        record(session, command, Optional.empty());
    }

    private void record(CommandSession session, CharSequence line, Optional<Exception> failure) {
        Optional<AuditEvent> event = event(user(session), line == null ? "" : line.toString(), failure);
        if (event.isEmpty()) {
            return;
        }
        AuditLog log = audit;
        if (log == null) {
            LOG.warn("Console command by {} not audited: the store is not running ({})", event.get().actor(),
                    event.get().subject());
            return;
        }
        try {
            log.record(event.get());
        } catch (RuntimeException e) {
            LOG.warn("Console command by {} not audited: {}", event.get().actor(), e.getMessage());
        }
    }

    /** The audit record of a console command line, or none for a read-only command or a shell assignment. */
    Optional<AuditEvent> event(String user, String line, Optional<Exception> failure) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#") || text.startsWith("//") || ASSIGNMENT.matcher(text).matches()) {
            return Optional.empty();
        }
        Matcher m = FIRST.matcher(text);
        if (!m.find()) {
            return Optional.empty();
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        if (READ_ONLY.contains(name) || (!name.contains(":") && READ_ONLY.contains("medsettle:" + name))) {
            return Optional.empty();
        }
        String outcome = failure.map(e -> "failed: " + reason(e)).orElse("done");
        boolean refused = failure.filter(ConsoleAudit::isRefusal).isPresent();
        String subject = name.length() > 128 ? name.substring(0, 128) : name;
        return Optional.of(new AuditEvent(clock.instant(), user.length() > 64 ? user.substring(0, 64) : user,
                AuditChannel.CONSOLE, refused ? REFUSED : COMMAND, subject, redact(text) + " -> " + outcome));
    }

    private static boolean isRefusal(Exception e) {
        return e instanceof SecurityException || e.getClass().getSimpleName().equals("CommandNotFoundException");
    }

    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 300 ? message.substring(0, 300) : message;
    }

    /** The command line without values that may be secrets. */
    static String redact(String line) {
        List<String> words = List.of(line.split("\\s+"));
        String name = words.get(0).toLowerCase(Locale.ROOT);
        if ((name.equals("config:property-set") || name.equals("config:property-append")
                || name.equals("property-set") || name.equals("property-append"))) {
            // [options] key value: keep options and the key, drop the value
            StringBuilder b = new StringBuilder(words.get(0));
            int plain = 0;
            for (String w : words.subList(1, words.size())) {
                if (w.startsWith("-")) {
                    b.append(' ').append(w);
                } else if (plain++ == 0) {
                    b.append(' ').append(w);
                }
            }
            return b.append(" (value not recorded)").toString();
        }
        if (name.startsWith("jaas:")) {
            return words.size() > 1 ? words.get(0) + " " + words.get(1) + " (arguments not recorded)" : words.get(0);
        }
        return line;
    }

    /** The console user: the session's USER, else the JAAS subject's user principal. */
    @SuppressWarnings("removal")
    static String user(CommandSession session) {
        Object user = session == null ? null : session.get("USER");
        if (user != null && !user.toString().isBlank()) {
            return user.toString();
        }
        Subject subject = Subject.getSubject(AccessController.getContext());
        if (subject != null) {
            for (Principal p : subject.getPrincipals()) {
                if (p.getClass().getSimpleName().equals("UserPrincipal")) {
                    return p.getName();
                }
            }
        }
        return "console";
    }
}
