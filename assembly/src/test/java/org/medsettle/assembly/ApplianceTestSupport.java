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
 * What every Pax Exam test of the built tarball shares: booting it, waiting for services, running console
 * commands as an administrator. Application types stay out of fields: the probe may load before the boot
 * features are installed (docs/stack.md, trap 2), so services are looked up after {@link BootFinished}.
 */
public abstract class ApplianceTestSupport {

    protected static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    BootFinished bootFinished;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        File tarball = new File(System.getProperty("medsettle.tarball"));
        String examRepository = new File(System.getProperty("medsettle.exam.repository")).getAbsolutePath();
        return new Option[] {
            karafDistributionConfiguration()
                    .frameworkUrl(tarball.toURI().toString())
                    .name("medsettle")
                    .unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.WARN),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(ApplianceInstance.freePort())),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(ApplianceInstance.freePort())),
            // Pax Exam's own bundles come from the build's exam repository, never from the network (trap 28)
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository", examRepository),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(ApplianceInstance.freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(ApplianceInstance.freePort())),
            mavenBundle("org.awaitility", "awaitility", System.getProperty("awaitility.version")),
            mavenBundle("org.hamcrest", "hamcrest", "2.1"),
            systemProperty("pax.exam.service.timeout").value("60000"),
        };
    }

    protected <T> T service(Class<T> type, String filter) throws Exception {
        String full = "(&(objectClass=" + type.getName() + ")" + (filter == null ? "" : filter) + ")";
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, context.createFilter(full), null);
        tracker.open();
        T service = tracker.waitForService(WAIT.toMillis());
        if (service == null) {
            throw new AssertionError("no service " + full + " within " + WAIT);
        }
        return service;
    }

    /** Runs a console command as an administrator would, and returns what it printed. */
    protected String execute(String command) throws Exception {
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
            out.println("ERROR: " + e.getCause().getMessage());
        } catch (RuntimeException e) {
            out.println("ERROR: " + e.getMessage());
        } finally {
            session.close();
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }


    /** A new installation has no catalogue: import the sample the tarball ships unless one is active. */
    protected void ensureCatalogue() throws Exception {
        org.medsettle.api.catalogue.CatalogueAdmin admin = service(org.medsettle.api.catalogue.CatalogueAdmin.class, null);
        if (admin.versions().stream().noneMatch(org.medsettle.api.catalogue.CatalogueVersionInfo::active)) {
            importSampleCatalogue();
        }
    }

    /** Imports the sample catalogue the tarball ships as a new active version, whatever was active before. */
    protected void importSampleCatalogue() throws Exception {
        org.medsettle.api.catalogue.CatalogueAdmin admin = service(org.medsettle.api.catalogue.CatalogueAdmin.class, null);
        {
            java.nio.file.Path sample = java.nio.file.Path.of(context.getProperty("karaf.base"), "samples", "catalogue-330000.csv");
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(sample)) {
                org.medsettle.api.catalogue.ImportResult result = admin.importCsv(in, sample.getFileName().toString(), org.medsettle.api.store.Actor.console("pax-exam"), n -> { });
                if (!result.accepted()) {
                    throw new AssertionError("sample catalogue refused: " + result.problems());
                }
            }
        }
    }
}
