package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;
import javax.security.auth.Subject;
import javax.sql.DataSource;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The built tarball booted by Pax Exam (not a stock Karaf): what runs inside it, checked from inside.
 * Application types stay out of fields: the probe may load before the boot features are installed
 * (docs/stack.md, trap 2), so services are looked up after {@link BootFinished}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppliancePaxExamIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    BootFinished bootFinished;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        File tarball = new File(System.getProperty("medsettle.tarball"));
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(tarball.toURI().toString())
                    .name("medsettle")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.WARN),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(ApplianceInstance.freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(ApplianceInstance.freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(ApplianceInstance.freePort())),
            mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version")),
            mavenBundle("org.hamcrest", "hamcrest", "2.1"),
            systemProperty("pax.exam.service.timeout").value("60000"),
        };
    }

    private <T> T service(Class<T> type, String filter) throws Exception {
        String full = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(full), null);
        tracker.open();
        T service = tracker.waitForService(WAIT.toMillis());
        if (service == null) {
            throw new AssertionError("no service " + full + " within " + WAIT);
        }
        return service;
    }

    @Test
    public void everyHealthCheckIsOkOnceBooted() throws Exception {
        org.medsettle.api.health.HealthMonitor monitor = service(org.medsettle.api.health.HealthMonitor.class, null);
        await().atMost(WAIT).until(() -> monitor.checkAll().healthy());
        List<String> names = new ArrayList<>();
        monitor.checkAll().entries().forEach(e -> names.add(e.name()));
        assertTrue(names.toString(), names.contains("store"));
        assertTrue(names.toString(), names.contains("components"));
    }

    @Test
    public void theDataSourceAnswersAndTheMigrationsRan() throws Exception {
        DataSource ds = service(DataSource.class, "(osgi.jndi.service.name=medsettle)");
        service(org.medsettle.api.store.Database.class, null);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_event")) {
                assertTrue(rs.next());
            }
        }
        org.medsettle.api.store.AuditLog audit = service(org.medsettle.api.store.AuditLog.class, null);
        await().atMost(WAIT).until(() -> !audit.recent(5, java.util.Optional.of("INSTANCE_STARTED")).isEmpty());
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
        assertEquals(1, db.migrations().size());
    }

    @Test
    public void theConsoleCommandsRunAsShipped() throws Exception {
        service(org.medsettle.api.health.HealthMonitor.class, null);
        service(org.medsettle.api.store.Database.class, null);
        await().atMost(WAIT).until(() -> execute("medsettle:health").contains("HEALTHY"));
        String status = execute("medsettle:status");
        assertTrue(status, status.matches("(?s).*Province\\s+\\|\\s+330000.*"));
        assertTrue(status, status.matches("(?s).*medsettle-store\\s+\\|[^\\n]*\\|\\s+Active.*"));
        assertTrue(execute("medsettle:audit"), execute("medsettle:audit").contains("INSTANCE_STARTED"));
    }

    /** Runs a console command as an administrator would, and returns what it printed. */
    private String execute(String command) throws Exception {
        SessionFactory sessions = service(SessionFactory.class, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Subject admin = new Subject();
        admin.getPrincipals().add(new UserPrincipal("pax-exam"));
        admin.getPrincipals().add(new RolePrincipal("admin"));
        admin.getPrincipals().add(new RolePrincipal("viewer"));
        Session session = sessions.create(System.in, out, out);
        try {
            Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
        } catch (java.security.PrivilegedActionException e) {
            out.println("ERROR: " + e.getCause());
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

}
