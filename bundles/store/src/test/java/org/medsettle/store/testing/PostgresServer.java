package org.medsettle.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests (no mock, no H2): Debian's {@code postgresql} package's binaries, a cluster made
 * with {@code initdb} in a temporary directory, started on a free port of 127.0.0.1 the first time a test asks, and
 * stopped when the test JVM exits. Each {@link #newDatabase()} is a database of its own.
 *
 * <p>The binaries are looked for in {@code $MEDSETTLE_PG_BIN}, then {@code /usr/lib/postgresql/<newest>/bin}; when
 * there are none and the build runs as root, Debian's package is installed ({@code apt-get install postgresql}), as
 * the README says. PostgreSQL refuses to run as root: as root, the server runs as the package's user
 * {@code postgres} ({@code runuser}).
 */
public final class PostgresServer {

    private static PostgresServer shared;

    private final Path dir;
    private final Path bin;
    private final List<String> asUser;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path dir, Path bin, List<String> asUser, int port) {
        this.dir = dir;
        this.bin = bin;
        this.asUser = asUser;
        this.port = port;
    }

    /** The test JVM's server, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** The JDBC URL of database {@code name} on this server. */
    public String url(String name) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name;
    }

    public int port() {
        return port;
    }

    /** The user every test database belongs to (no password: trust on loopback, a test server only). */
    public static final String USER = "medsettle";

    /** A new, empty database, and a DataSource on it. */
    public PGSimpleDataSource newDatabase() {
        return dataSource(createDatabase());
    }

    /** Creates a new, empty database and returns its name. */
    private String createDatabase() {
        return createDatabase("test", null);
    }

    /** Creates a new database, a copy of {@code template} (or of PostgreSQL's own when null), and returns its name. */
    private String createDatabase(String prefix, String template) {
        String name = prefix + "_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = dataSource("postgres").getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on the test PostgreSQL: " + e.getMessage(), e);
        }
        return name;
    }

    /**
     * A new database made ready by {@code prepare} (through connections it closes), to be copied by
     * {@link #newPooledDatabase(String)}; returns its name. Nothing may stay connected to it: PostgreSQL copies only a
     * database nobody uses.
     */
    public String template(java.util.function.Consumer<DataSource> prepare) {
        String name = createDatabase("template", null);
        prepare.accept(dataSource(name));
        return name;
    }

    /**
     * A new, empty database behind a pool of connections, as the appliance has its database (DBCP2, {@code pool =
     * dbcp2} in {@code etc/org.ops4j.datasource-medsettle.cfg}): PostgreSQL starts a server process for every
     * connection, which a store on {@link #newDatabase()} paid at every transaction (the module tests on PostgreSQL
     * took ten times as long as on Derby). A connection idle for two seconds is closed, so that the stores of
     * tests that ended keep none of the server's {@code max_connections}.
     */
    public DataSource newPooledDatabase() {
        return pooled(createDatabase());
    }

    /** As {@link #newPooledDatabase()}, the new database a copy of {@code template} ({@link #template}). */
    public DataSource newPooledDatabase(String template) {
        return pooled(createDatabase("test", template));
    }

    private DataSource pooled(String database) {
        BasicDataSource pool = new BasicDataSource();
        pool.setUrl(url(database));
        pool.setUsername(USER);
        pool.setMaxTotal(32);
        pool.setMaxWait(Duration.ofSeconds(10));
        pool.setMinIdle(0);
        pool.setDurationBetweenEvictionRuns(Duration.ofSeconds(1));
        pool.setMinEvictableIdle(Duration.ofSeconds(2));
        return pool;
    }

    public PGSimpleDataSource dataSource(String name) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(name);
        ds.setUser(USER);
        return ds;
    }

    private static PostgresServer start() {
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asUser = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
        try {
            Path dir = Files.createTempDirectory("medsettle-pg-");
            if (root) {
                run(List.of("chown", "postgres", dir.toString()), List.of(), Path.of("."));
            }
            Path data = dir.resolve("data");
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                    "-E", "UTF8", "--locale=C.UTF-8"), asUser, dir);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            // the defaults of a server (fsync on, synchronous commit): what the appliance meets in production
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=200",
                    "-w", "-t", "60", "start"), asUser, dir);
            PostgresServer server = new PostgresServer(dir, bin, asUser, port);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "stop the test PostgreSQL"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), asUser, dir);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (RuntimeException | IOException e) {
            System.err.println("the test PostgreSQL in " + dir + " did not stop: " + e.getMessage());
        }
    }

    /** Where initdb, pg_ctl and postgres are; installs Debian's package when there are none and we may. */
    static Path binaries() {
        String env = System.getenv("MEDSETTLE_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path found = debianBinaries();
        if (found != null) {
            return found;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("no PostgreSQL server binaries: install Debian's package postgresql "
                    + "(apt-get install postgresql) or set MEDSETTLE_PG_BIN to the directory of initdb and pg_ctl");
        }
        System.out.println("[postgresql] no server binaries: installing Debian's package postgresql");
        try {
            run(List.of("apt-get", "install", "-y", "--no-install-recommends", "postgresql"), List.of(), Path.of("."));
        } catch (IllegalStateException e) {
            // a machine whose package lists are old or missing
            run(List.of("apt-get", "update"), List.of(), Path.of("."));
            run(List.of("apt-get", "install", "-y", "--no-install-recommends", "postgresql"), List.of(), Path.of("."));
        }
        found = debianBinaries();
        if (found == null) {
            throw new IllegalStateException("apt-get install postgresql left no /usr/lib/postgresql/*/bin/initdb");
        }
        return found;
    }

    private static Path debianBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString()))).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void run(List<String> command, List<String> prefix, Path dir) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        Path out = null;
        try {
            // output to a file, not a pipe: pg_ctl's server outlives the command and would hold a pipe open
            out = Files.createTempFile("medsettle-pg-command-", ".log");
            ProcessBuilder pb = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile());
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }
}
