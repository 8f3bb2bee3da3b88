package org.medsettle.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The read-only role is read-only (issue 10, item 1), on the shipped tarball as a real process: every command the
 * shell offers is run as {@code auditor}, and exactly the documented list succeeds (docs/security.md, README "Console:
 * people and scripts"); SFTP and SCP are off; keys and client secrets are readable by the instance's user only; an
 * administrator's changes and an auditor's refused attempts are in {@code medsettle:audit} with the user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSecurityProcessIT {

    private static final Path WORK = Path.of("target/it-console-security").toAbsolutePath();
    /** A command name at the start of a line of {@code *:help}. */
    private static final Pattern HELP_LINE = Pattern.compile("(?m)^([a-z0-9*-]+:[a-z0-9-]+)\\s");
    private static final List<String> REFUSALS = List.of("Command not found", "Insufficient credentials");

    /** The auditor's commands, exactly as docs/security.md lists them, each with arguments it can run with. */
    private static final Map<String, String> AUDITOR = new LinkedHashMap<>();

    static {
        AUDITOR.put("medsettle:health", "");
        AUDITOR.put("medsettle:status", "");
        AUDITOR.put("medsettle:audit", "");
        AUDITOR.put("medsettle:policy-list", "");
        AUDITOR.put("medsettle:policy-show", "630000");
        AUDITOR.put("medsettle:catalogue-lookup", "XB05BBA250A938646502808");
        AUDITOR.put("medsettle:catalogue-versions", "");
        AUDITOR.put("medsettle:person-show", "33000000000000900001");
        AUDITOR.put("medsettle:person-accumulators", "33000000000000900001 2026");
        AUDITOR.put("medsettle:hospital-list", "");
        AUDITOR.put("medsettle:filing-list", "33000000000000900001");
        AUDITOR.put("medsettle:filing-show", "F-none");
        AUDITOR.put("medsettle:filing-history", "F-none");
        AUDITOR.put("medsettle:filing-client-list", "");
        AUDITOR.put("medsettle:link-status", "");
        AUDITOR.put("medsettle:link-certificate", "");
        AUDITOR.put("medsettle:outbox", "");
        AUDITOR.put("medsettle:hub-nodes", "");
        AUDITOR.put("medsettle:hub-traffic", "");
        AUDITOR.put("medsettle:ledger-check", "");
        AUDITOR.put("medsettle:ledger-balances", "claim:");
        AUDITOR.put("medsettle:leases", "");
        AUDITOR.put("medsettle:clearing-show", "");
        AUDITOR.put("medsettle:clearing-statement", "330000 2026-10");
        AUDITOR.put("medsettle:clearing-cases", "");
        AUDITOR.put("medsettle:prepayment-show", "");
        AUDITOR.put("medsettle:prepayment-size", "630000");
        AUDITOR.put("medsettle:assisted-audit-list", "");
        AUDITOR.put("medsettle:assisted-audit-show", "330000-none");
        AUDITOR.put("medsettle:supervision-flags", "");
        AUDITOR.put("medsettle:supervision-rules", "");
        AUDITOR.put("medsettle:maintenance-list", "");
        AUDITOR.put("medsettle:provisional-list", "");
        AUDITOR.put("medsettle:topup-list", "");
        AUDITOR.put("bundle:list", "");
        AUDITOR.put("feature:list", "");
        AUDITOR.put("camel:context-list", "");
        AUDITOR.put("camel:route-list", "");
    }

    /** Those of the auditor's commands that succeed on a node with a catalogue and nothing else. */
    private static final Set<String> SUCCEED_HERE = Set.of("medsettle:health", "medsettle:status", "medsettle:audit",
            "medsettle:policy-list", "medsettle:policy-show", "medsettle:catalogue-lookup", "medsettle:catalogue-versions",
            "medsettle:hospital-list", "medsettle:filing-client-list", "medsettle:link-status", "medsettle:link-certificate", "medsettle:outbox",
            "medsettle:ledger-check", "medsettle:ledger-balances", "medsettle:leases", "medsettle:clearing-show", "medsettle:clearing-cases",
            "medsettle:prepayment-show", "medsettle:prepayment-size", "medsettle:assisted-audit-list", "medsettle:supervision-flags", "medsettle:supervision-rules", "medsettle:maintenance-list", "medsettle:provisional-list", "medsettle:topup-list", "bundle:list", "feature:list", "camel:context-list", "camel:route-list");

    /** The console's aliases (etc/shell.init.script): closures around other commands, not listed by help. */
    private static final List<String> ALIASES = List.of("halt", "ld", "lde", "la", "ls", "cl", "env", "edit", "more",
            "man", "help", "log:list", "service:get", "feature:upgrade");

    /** Aliases of the auditor's commands: {@code la} is {@code bundle:list -t 0}. */
    private static final Set<String> ALLOWED_ALIASES = Set.of("la");

    private static final String JMX_VIEWER = "jmx-viewer";
    private static final String JMX_VIEWER_PASSWORD = java.util.UUID.randomUUID().toString();
    private static final String JMX_ADMIN = "jmx-admin";
    private static final String JMX_ADMIN_PASSWORD = java.util.UUID.randomUUID().toString();

    /**
     * The MBeans whose attributes the viewer role reads over JMX (etc/jmx.acl.cfg, docs/security.md): domain and
     * {@code type}.
     */
    private static final Set<String> VIEWER_READS = Set.of("org.apache.camel:context", "org.apache.camel:routes",
            "java.lang:Memory", "java.lang:MemoryPool", "java.lang:GarbageCollector", "java.lang:Threading",
            "java.lang:OperatingSystem");

    private ApplianceInstance node;

    @BeforeAll
    void startANode() throws IOException {
        ApplianceInstance.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        node = ApplianceInstance.unpack(WORK, "zhejiang", "330000");
        // two password users, as etc/users.properties says how to add them: JMX takes only a password
        Files.writeString(node.home().resolve("etc/users.properties"), "\n" + JMX_VIEWER + " = " + JMX_VIEWER_PASSWORD
                + ",_g_:auditorgroup\n" + JMX_ADMIN + " = " + JMX_ADMIN_PASSWORD + ",_g_:admingroup\n"
                + "_g_\\:auditorgroup = group,viewer,ssh\n_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n",
                java.nio.file.StandardOpenOption.APPEND);
        node.start();
        node.ensureCatalogue();
        node.awaitHealthy();
    }

    @AfterAll
    void stopTheNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void theAuditorCanRunExactlyTheDocumentedCommandsAndNothingElse() throws Exception {
        ApplianceInstance.Result help = node.console("*:help");
        assertEquals(0, help.exit(), help::toString);
        Set<String> commands = new TreeSet<>();
        Matcher m = HELP_LINE.matcher(help.out());
        while (m.find()) {
            commands.add(m.group(1));
        }
        assertTrue(commands.size() > 150, "the shell offers the Karaf, Camel and medsettle commands: " + commands.size());
        assertTrue(commands.containsAll(AUDITOR.keySet()), "every documented auditor command exists: " + commands);
        for (String dangerous : List.of("shell:cat", "shell:exec", "scr:disable", "camel:route-stop", "config:property-list",
                "log:set", "bundle:update", "feature:install", "system:shutdown", "medsettle:backup", "medsettle:hospital-key")) {
            assertTrue(commands.contains(dangerous), dangerous + " is offered by the shell (and so swept)");
        }
        List<String> lines = new ArrayList<>(ALIASES);
        for (String c : commands) {
            lines.add(AUDITOR.containsKey(c) ? (c + " " + AUDITOR.get(c)).strip() : c);
        }

        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (String line : lines) {
                runs.add(pool.submit(() -> {
                    String name = line.split(" ")[0];
                    // bin/medsettle reads a word without a scope as a medsettle command: aliases go over ssh as written
                    ApplianceInstance.Result r = line.contains(":") ? node.console("auditor", line) : ssh("auditor", line);
                    boolean refused = r.exit() == 1 && REFUSALS.stream().anyMatch(s -> (r.out() + r.err()).contains(s));
                    if (AUDITOR.containsKey(name) || ALLOWED_ALIASES.contains(name)) {
                        if (refused || (SUCCEED_HERE.contains(name) && r.exit() != 0)) {
                            wrong.add("auditor could not run " + line + ": " + r);
                        }
                    } else if (!refused) {
                        wrong.add("auditor was not refused " + line + ": " + r);
                    }
                }));
            }
            for (Future<?> f : runs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + lines.size() + " commands wrong:\n" + String.join("\n", wrong));
        System.out.println("[measure] auditor command sweep: " + lines.size() + " command lines, "
                + AUDITOR.size() + " allowed, the rest refused");
    }

    /** One console line over ssh as {@code user}, exactly as written (what bin/medsettle does, without its scope rule). */
    private ApplianceInstance.Result ssh(String user, String line) {
        return ApplianceInstance.run(WORK, List.of("ssh", "-p", node.env().get("MEDSETTLE_SSH_PORT"),
                "-i", node.home().resolve("etc/keys/" + user).toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                user + "@127.0.0.1", line), Map.of(), Duration.ofSeconds(60));
    }

    @Test
    @Order(2)
    void neitherSftpNorScpReachesTheInstancesFiles() throws IOException {
        Path stolen = WORK.resolve("stolen-admin-key");
        for (String user : List.of("auditor", "admin")) {
            String port = node.env().get("MEDSETTLE_SSH_PORT");
            List<String> ssh = List.of("-P", port, "-i", node.home().resolve("etc/keys/" + user).toString(),
                    "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null");
            List<String> scp = new ArrayList<>(List.of("scp", "-O"));
            scp.addAll(ssh);
            scp.addAll(List.of(user + "@127.0.0.1:etc/keys/admin", stolen.toString()));
            ApplianceInstance.run(WORK, scp, Map.of(), Duration.ofSeconds(30));
            assertFalse(Files.exists(stolen), "scp as " + user + " copied the administrator's key");

            Path batch = WORK.resolve("sftp-batch");
            Files.writeString(batch, "get etc/keys/admin " + stolen + "\n");
            List<String> sftp = new ArrayList<>(List.of("sftp", "-b", batch.toString()));
            sftp.addAll(ssh);
            sftp.add(user + "@127.0.0.1");
            ApplianceInstance.Result r = ApplianceInstance.run(WORK, sftp, Map.of(), Duration.ofSeconds(30));
            assertNotEquals(0, r.exit(), r::toString);
            assertFalse(Files.exists(stolen), "sftp as " + user + " copied the administrator's key");

            Path planted = WORK.resolve("planted.txt");
            Files.writeString(planted, "planted");
            List<String> put = new ArrayList<>(List.of("scp", "-O"));
            put.addAll(ssh);
            put.addAll(List.of(planted.toString(), user + "@127.0.0.1:deploy/planted.txt"));
            ApplianceInstance.run(WORK, put, Map.of(), Duration.ofSeconds(30));
            assertFalse(Files.exists(node.home().resolve("deploy/planted.txt")), "scp as " + user + " wrote into deploy/");
        }
    }

    @Test
    @Order(3)
    void keysAndClientSecretsAreReadableByTheInstancesUserOnly() throws IOException {
        List<Path> secrets = new ArrayList<>();
        String key = node.filingClient("sweep");
        assertFalse(node.must("filing-client-list").contains(key), "the list shows fingerprints, not keys");
        assertFalse(Files.readString(node.home().resolve("etc/org.medsettle.filing.api.cfg")).contains(key),
                "client keys are not in the configuration");
        try (var handed = Files.list(node.home().resolve("handover"))) {
            handed.forEach(secrets::add);
        }
        secrets.addAll(List.of(node.home().resolve("etc/keys/admin"),
                node.home().resolve("etc/keys/auditor"), node.home().resolve("etc/keys/link.p12"),
                node.home().resolve("etc/keys/link.password"),
                node.home().resolve("etc/host.key"), node.home().resolve("etc/org.medsettle.filing.api.cfg"),
                node.home().resolve("data/log/karaf.log")));
        try (var files = Files.walk(node.databaseDirectory())) {
            files.filter(Files::isRegularFile).limit(20).forEach(secrets::add);
        }
        for (Path p : secrets) {
            assertTrue(Files.exists(p), p + " exists");
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            for (PosixFilePermission other : List.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE)) {
                assertFalse(perms.contains(other), p + " is " + perms);
            }
        }
    }

    @Test
    @Order(4)
    void administrativeChangesAndRefusedAttemptsAreAuditedWithTheUser() {
        node.must("log:set WARN org.medsettle.sweep");
        node.must("camel:route-stop medsettle-catalogue-file catalogue-file-import");
        node.must("camel:route-start medsettle-catalogue-file catalogue-file-import");
        ApplianceInstance.Result attempt = node.console("auditor", "scr:disable org.medsettle.treatment.internal.his.HisService");
        assertEquals(1, attempt.exit(), attempt::toString);

        String changes = node.must("audit -n 50 -t CONSOLE_COMMAND");
        assertTrue(changes.matches("(?s).*log:set\\s*\\|[^\\n]*admin.*|(?s).*admin[^\\n]*log:set.*"), changes);
        assertTrue(changes.contains("camel:route-stop"), changes);
        assertTrue(changes.contains("camel:route-start"), changes);
        String refused = node.must("audit -n 50 -t CONSOLE_REFUSED");
        assertTrue(refused.contains("auditor") && refused.contains("scr:disable"), refused);
        assertFalse(node.must("audit -n 50 -t CONSOLE_COMMAND").contains("medsettle:health"),
                "read-only commands are not audited");
    }

    @Test
    @Order(5)
    void overJmxTheViewerReadsOnlyCamelsRoutesAndTheJvmsMemoryAndNoRoleChangesAnything() throws Exception {
        javax.management.ObjectName security = new javax.management.ObjectName(
                "org.apache.karaf:type=security,area=jmx,name=root");
        javax.management.ObjectName hisRoute = new javax.management.ObjectName(
                "org.apache.camel:context=medsettle-his-rest-medsettle-his-rest,type=routes,name=\"his-rest\"");
        try (javax.management.remote.JMXConnector viewer = jmx(JMX_VIEWER, JMX_VIEWER_PASSWORD);
             javax.management.remote.JMXConnector admin = jmx(JMX_ADMIN, JMX_ADMIN_PASSWORD)) {
            javax.management.MBeanServerConnection asViewer = viewer.getMBeanServerConnection();
            javax.management.MBeanServerConnection asAdmin = admin.getMBeanServerConnection();

            // the sweep: every attribute and operation of every MBean, asked of Karaf's guard (nothing is run)
            List<String> wrong = new ArrayList<>();
            int readable = 0;
            int asked = 0;
            Set<javax.management.ObjectName> names = asViewer.queryNames(null, null);
            for (javax.management.ObjectName name : names) {
                boolean viewerReads = VIEWER_READS.contains(name.getDomain() + ":" + name.getKeyProperty("type"));
                javax.management.MBeanInfo info;
                try {
                    info = asViewer.getMBeanInfo(name);
                } catch (javax.management.InstanceNotFoundException gone) {
                    continue; // unregistered since the query (a Camel producer of a finished exchange)
                }
                for (javax.management.MBeanAttributeInfo a : info.getAttributes()) {
                    if (a.isReadable()) {
                        String getter = (a.isIs() ? "is" : "get") + a.getName();
                        boolean can = canInvoke(asViewer, security, name, getter);
                        asked++;
                        readable += can ? 1 : 0;
                        if (can != viewerReads) {
                            wrong.add("viewer " + (can ? "reads " : "cannot read ") + name + " " + a.getName());
                        }
                    }
                    if (a.isWritable()) {
                        asked += 2;
                        for (javax.management.MBeanServerConnection who : List.of(asViewer, asAdmin)) {
                            if (canInvoke(who, security, name, "set" + a.getName())) {
                                wrong.add((who == asViewer ? "viewer" : "admin") + " sets " + name + " " + a.getName());
                            }
                        }
                    }
                }
                for (javax.management.MBeanOperationInfo o : info.getOperations()) {
                    // a read; and the guard's own question, which every role asks (jmx.acl.org.apache.karaf.security.jmx)
                    boolean read = o.getName().startsWith("get") || o.getName().startsWith("is")
                            || o.getName().startsWith("list") || name.equals(security) && o.getName().equals("canInvoke");
                    String[] signature = java.util.Arrays.stream(o.getSignature())
                            .map(javax.management.MBeanParameterInfo::getType).toArray(String[]::new);
                    asked += 2;
                    boolean viewerCalls = read && (viewerReads || name.equals(security));
                    if (canInvoke(asViewer, security, name, o.getName(), signature) != viewerCalls) {
                        wrong.add("viewer " + (viewerCalls ? "cannot call " : "calls ") + name + " " + o.getName());
                    }
                    if (canInvoke(asAdmin, security, name, o.getName(), signature) != read) {
                        wrong.add("admin " + (read ? "cannot call " : "calls ") + name + " " + o.getName());
                    }
                }
            }
            System.out.println("[measure] JMX sweep: " + names.size() + " MBeans, " + asked + " questions to the guard, "
                    + readable + " attributes the viewer reads");
            assertEquals(List.of(), wrong, "over JMX, against etc/jmx.acl*.cfg");
            assertTrue(names.size() > 100 && readable > 50 && asked > 1000,
                    names.size() + " MBeans, " + asked + " questions, " + readable + " attributes the viewer reads");

            // and in earnest: the viewer reads a route's counts, cannot stop it nor read the configuration
            assertEquals("Started", asViewer.getAttribute(hisRoute, "State"));
            asViewer.getAttribute(hisRoute, "ExchangesTotal");
            asViewer.getAttribute(new javax.management.ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");
            javax.management.ObjectName config = new javax.management.ObjectName("org.apache.karaf:type=config,name=root");
            assertRefused(() -> asViewer.invoke(hisRoute, "stop", new Object[0], new String[0]));
            assertRefused(() -> asViewer.invoke(config, "listProperties", new Object[] {"org.ops4j.pax.web"},
                    new String[] {"java.lang.String"}));
            assertRefused(() -> asViewer.getAttribute(new javax.management.ObjectName("java.lang:type=Runtime"),
                    "SystemProperties"));
            // the administrator reads the configuration, and changes nothing over JMX either (the console audits)
            assertTrue(asAdmin.invoke(config, "listProperties", new Object[] {"org.ops4j.pax.web"},
                    new String[] {"java.lang.String"}) instanceof Map<?, ?>);
            assertRefused(() -> asAdmin.invoke(hisRoute, "stop", new Object[0], new String[0]));
            assertRefused(() -> asAdmin.invoke(config, "setProperty", new Object[] {"org.medsettle.sweep", "k", "v"},
                    new String[] {"java.lang.String", "java.lang.String", "java.lang.String"}));
            assertEquals("Started", asAdmin.getAttribute(hisRoute, "State"));
        }
    }

    private javax.management.remote.JMXConnector jmx(String user, String password) throws IOException {
        javax.management.remote.JMXServiceURL url = new javax.management.remote.JMXServiceURL("service:jmx:rmi://127.0.0.1:"
                + node.port("MEDSETTLE_RMI_SERVER_PORT") + "/jndi/rmi://127.0.0.1:"
                + node.port("MEDSETTLE_RMI_REGISTRY_PORT") + "/karaf-root");
        return javax.management.remote.JMXConnectorFactory.connect(url,
                Map.of(javax.management.remote.JMXConnector.CREDENTIALS, new String[] {user, password}));
    }

    private static boolean canInvoke(javax.management.MBeanServerConnection who, javax.management.ObjectName security,
                                     javax.management.ObjectName name, String method, String... signature)
            throws Exception {
        return (Boolean) who.invoke(security, "canInvoke", new Object[] {name.toString(), method, signature},
                new String[] {"java.lang.String", "java.lang.String", "[Ljava.lang.String;"});
    }

    @FunctionalInterface
    private interface JmxCall {
        Object call() throws Exception;
    }

    private static void assertRefused(JmxCall call) {
        try {
            Object answer = call.call();
            throw new AssertionError("not refused, answered " + answer);
        } catch (Exception e) {
            // refused by Karaf's guard before the MBean ran: a SecurityException, as it is or wrapped by JMX
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SecurityException) {
                    return;
                }
            }
            throw new AssertionError("not a refusal: " + e, e);
        }
    }

    @Test
    @Order(6)
    void theConsoleForwardsNoPortForTheAuditorNorTheAdministrator() throws Exception {
        int http = node.port("MEDSETTLE_HTTP_PORT");
        for (String user : List.of("auditor", "admin")) {
            // ssh -L: a port here that would lead, through the instance, to whatever it reaches (here its own HTTP)
            int local = ApplianceInstance.freePort();
            Process tunnel = sshForwarding(user, "-L", local + ":127.0.0.1:" + http);
            try {
                org.awaitility.Awaitility.await(user + "'s ssh listening on " + local).atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200)).until(() -> !tunnel.isAlive() || answerThrough(local) != null);
                if (!tunnel.isAlive()) {
                    throw new AssertionError(user + "'s ssh -L ended: " + new String(tunnel.getErrorStream().readAllBytes()));
                }
                assertEquals("", answerThrough(local), user + "'s ssh -L reached the instance's HTTP port");
            } finally {
                tunnel.destroyForcibly().waitFor();
            }
            // ssh -R: a port opened on the instance's machine
            int remote = ApplianceInstance.freePort();
            Process listener = sshForwarding(user, "-R", remote + ":127.0.0.1:" + http);
            try {
                assertTrue(listener.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), user + "'s ssh -R still runs");
                String said = new String(listener.getErrorStream().readAllBytes());
                assertNotEquals(0, listener.exitValue(), said);
                assertTrue(said.contains("forwarding failed"), said);
                assertEquals(null, answerThrough(remote), "a port was opened for " + user);
            } finally {
                listener.destroyForcibly().waitFor();
            }
        }
    }

    private Process sshForwarding(String user, String flag, String spec) throws IOException {
        return new ProcessBuilder("ssh", "-N", "-p", node.env().get("MEDSETTLE_SSH_PORT"),
                "-i", node.home().resolve("etc/keys/" + user).toString(), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "-o", "ExitOnForwardFailure=yes", flag, spec, user + "@127.0.0.1")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /**
     * What an HTTP request to {@code port} here gets back: null if nothing listens there, "" if the connection was
     * taken and closed without an answer (the instance refused the forwarding channel), else the answer's status line.
     */
    private static String answerThrough(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /medsettle/health HTTP/1.0\r\n\r\n".getBytes());
            String answer = new String(socket.getInputStream().readAllBytes());
            return answer.isEmpty() ? "" : answer.lines().findFirst().orElse("");
        } catch (java.net.ConnectException nothingListens) {
            return null;
        } catch (IOException closed) {
            return "";
        }
    }
}
