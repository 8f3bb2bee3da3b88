package org.medsettle.assembly;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One instance of the appliance as a user runs it: the built tarball unpacked into its own directory, started
 * with {@code bin/start} and environment variables, driven with {@code bin/medsettle}, stopped with
 * {@code bin/stop}. Ports are free ones picked at creation, so instances never clash.
 */
final class ApplianceInstance implements AutoCloseable {

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(120);

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private boolean started;

    private ApplianceInstance(Path home) {
        this.home = home;
    }

    /** Unpacks the tarball under {@code parent/name} and gives the instance its own ports and database. */
    static ApplianceInstance unpack(Path parent, String name, String admdvs) {
        Path tarball = Path.of(System.getProperty("medsettle.tarball", "target/medsettle-tarball-not-set.tar.gz"));
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("the appliance tarball is missing: " + tarball + " (run mvn install)");
        }
        Path dir = parent.resolve(name);
        Path db = parent.resolve(name + "-db");
        try {
            deleteRecursively(dir);
            deleteRecursively(db);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result untar = run(dir, List.of("tar", "xzf", tarball.toAbsolutePath().toString(), "--strip-components=1"), Map.of(), Duration.ofMinutes(2));
        if (untar.exit() != 0) {
            throw new IllegalStateException("cannot unpack " + tarball + ": " + untar);
        }
        ApplianceInstance instance = new ApplianceInstance(dir);
        instance.env.put("MEDSETTLE_ROLE", "node");
        instance.env.put("MEDSETTLE_ADMDVS", admdvs);
        instance.env.put("MEDSETTLE_DB_DIR", db.toAbsolutePath().toString());
        instance.env.put("MEDSETTLE_SSH_PORT", String.valueOf(freePort()));
        instance.env.put("MEDSETTLE_HTTP_PORT", String.valueOf(freePort()));
        instance.env.put("MEDSETTLE_RMI_REGISTRY_PORT", String.valueOf(freePort()));
        instance.env.put("MEDSETTLE_RMI_SERVER_PORT", String.valueOf(freePort()));
        instance.env.put("MEDSETTLE_LINK_PORT", String.valueOf(freePort()));
        instance.env.put("MEDSETTLE_HEAP", "512M");
        putJavaOpts(instance.env);
        return instance;
    }

    /**
     * The process tests' JVM options into {@code env} ({@code EXTRA_JAVA_OPTS}): C1 only, half the CPU of a start
     * (docs/performance.md, "Warm-up"), which the suite's many starts on two cores wait for; what is tested does not
     * depend on the JIT. {@code -Dmedsettle.it.javaOpts=} runs them as shipped.
     */
    static void putJavaOpts(Map<String, String> env) {
        String javaOpts = System.getProperty("medsettle.it.javaOpts", "-XX:TieredStopAtLevel=1");
        if (!javaOpts.isBlank()) {
            env.put("EXTRA_JAVA_OPTS", javaOpts);
        }
    }

    /**
     * A national hub under {@code parent/hub}, started and healthy (reading its key as soon as the console answered
     * once gave the nodes an error message as the hub's key).
     */
    static ApplianceInstance hub(Path parent) {
        ApplianceInstance hub = unpack(parent, "hub", "100000");
        hub.env.put("MEDSETTLE_ROLE", "hub");
        hub.env.put("MEDSETTLE_HEAP", "384M");
        hub.start();
        hub.awaitHealthy();
        return hub;
    }

    /** The port the instance was given in {@code variable}, e.g. {@code MEDSETTLE_LINK_PORT}. */
    int port(String variable) {
        return Integer.parseInt(env.get(variable));
    }

    /** The instance's HTTP address, e.g. {@code http://127.0.0.1:43123}. */
    String httpUrl() {
        return "http://127.0.0.1:" + env.get("MEDSETTLE_HTTP_PORT");
    }

    /** The https address of the instance's link port (mutual TLS), e.g. {@code https://127.0.0.1:43124}. */
    String linkUrl() {
        return "https://127.0.0.1:" + env.get("MEDSETTLE_LINK_PORT");
    }

    /** The SHA-256 fingerprint of the instance's link certificate ({@code medsettle:link-certificate}). */
    String linkCertificate() {
        String f = must("link-certificate").strip();
        if (!f.matches("[0-9a-f]{64}")) {
            throw new AssertionError(home.getFileName() + ": link-certificate printed no fingerprint: " + f);
        }
        return f;
    }

    /**
     * Makes this (not yet started) node a node of {@code hub}'s: its hub address is the hub's link port, and it pins
     * the hub's certificate.
     */
    void linkedTo(ApplianceInstance hub) {
        env.put("MEDSETTLE_HUB_URL", hub.linkUrl());
        env.put("MEDSETTLE_HUB_CERT", hub.linkCertificate());
    }

    /** Registers this node at {@code hub}: its province, link address and certificate. */
    void registerAt(ApplianceInstance hub, String province) {
        hub.must("hub-node-add " + province + " " + linkUrl() + " " + linkCertificate());
    }

    /** Runs a console command that must succeed; answers its output. */
    String must(String commandLine) {
        Result r = console(commandLine);
        if (serviceMissing(r)) {
            // the console answers before every component is active (on a busy machine the filing API's Camel
            // context comes up seconds after the console): wait as an operator would for the service it names
            java.util.concurrent.atomic.AtomicReference<Result> last = new java.util.concurrent.atomic.AtomicReference<>(r);
            try {
                await(commandLine + " at " + home.getFileName()).atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                        .until(() -> !serviceMissing(last.updateAndGet(x -> console(commandLine))));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // reported below with the last answer
            }
            r = last.get();
        }
        if (r.exit() != 0) {
            throw new AssertionError(home.getFileName() + ": " + commandLine + " failed: " + r);
        }
        return r.out();
    }

    /**
     * The command could not run yet: the service it needs is not there, or — just after a start — the console has not
     * registered it yet (Karaf registers a bundle's commands one by one: {@code catalogue-versions} may answer while
     * {@code catalogue-import} is still "Command not found").
     */
    private static boolean serviceMissing(Result r) {
        return r.exit() != 0 && (r.out().contains(" is not available; see medsettle:health")
                || r.out().contains("Command not found: medsettle:") || r.err().contains("Command not found: medsettle:"));
    }

    /**
     * Adds a client of the filing API and answers its key, as its operator gets it: from the file
     * {@code medsettle:filing-client-add} writes (the console shows only the fingerprint).
     */
    String filingClient(String name) {
        return handover("filing-client-add " + name + " ", "filing-client-" + name);
    }

    /** A hospital's signing key, as its HIS vendor gets it: from the file {@code hospital-key --export} writes. */
    String hospitalKey(String code) {
        return handover("hospital-key --export ", "hospital-" + code, " " + code);
    }

    private String handover(String command, String name, String... after) {
        try {
            Path dir = home.resolve("handover");
            Files.createDirectories(dir);
            Path file = Files.createTempFile(dir, name + "-", ".key");
            Files.delete(file);
            must(command + file + String.join("", after));
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets {@code key = value} in {@code etc/<file>} (a file the tarball ships), before or after the start. */
    void setting(String file, String key, String value) {
        Path cfg = home.resolve("etc").resolve(file);
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(cfg, StandardCharsets.UTF_8));
            boolean set = false;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                    lines.set(i, key + " = " + value);
                    set = true;
                }
            }
            if (!set) {
                lines.add(key + " = " + value);
            }
            Files.write(cfg, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Takes {@code key} out of {@code etc/<file>} (the setting's default applies again). */
    void removeSetting(String file, String key) {
        Path cfg = home.resolve("etc").resolve(file);
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(cfg, StandardCharsets.UTF_8));
            lines.removeIf(l -> l.matches("\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*"));
            Files.write(cfg, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the console answers. */
    void awaitConsole() {
        try {
            await("the console of " + home.getFileName()).atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> console("status").exit() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no console within " + BOOT_TIMEOUT + "\n--- karaf.log\n" + logTail(), e);
        }
    }

    Path home() {
        return home;
    }

    Path databaseDirectory() {
        return Path.of(env.get("MEDSETTLE_DB_DIR"));
    }

    Map<String, String> env() {
        return env;
    }

    /** {@code GET /medsettle/health} on the instance's HTTP port: the status code and the body. */
    Result probe() {
        try {
            java.net.http.HttpResponse<String> response = get(httpUrl() + "/medsettle/health");
            return new Result(response.statusCode(), response.body(), "");
        } catch (UncheckedIOException e) {
            return new Result(-1, "", e.getCause().toString());
        }
    }

    /**
     * A plain {@code GET} as the outside parties of the tests make it — a load balancer's probe, Prometheus scraping
     * an instance or HAProxy's exporter, an operator's browser: the one HTTP client of the process tests that is not
     * a hospital's or an agency's signed client ({@code tools}).
     *
     * @throws UncheckedIOException if nothing answered
     */
    static java.net.http.HttpResponse<String> get(String url) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted", e));
        }
    }

    void start(String... karafArguments) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/start").toString()));
        command.addAll(List.of(karafArguments));
        Result result = run(home, command, env, Duration.ofSeconds(30));
        if (result.exit() != 0) {
            throw new IllegalStateException("bin/start failed: " + result);
        }
        started = true;
    }

    /** Runs one console command as {@code user} through {@code bin/medsettle}. */
    Result console(String user, String commandLine) {
        Map<String, String> withUser = new HashMap<>(env);
        withUser.put("MEDSETTLE_USER", user);
        return run(home, List.of(home.resolve("bin/medsettle").toString(), commandLine), withUser, Duration.ofSeconds(60));
    }

    Result console(String commandLine) {
        return console("admin", commandLine);
    }

    /**
     * A new installation has no catalogue: waits for the console, then imports the sample catalogue the tarball
     * ships (as {@code ./run.sh} does) unless one is active already.
     */
    void ensureCatalogue() {
        try {
            await("the console of " + home.getFileName()).atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> console("catalogue-versions").exit() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no console within " + BOOT_TIMEOUT + ": " + console("catalogue-versions") + "\n--- karaf.log\n" + logTail(), e);
        }
        if (!console("catalogue-versions").out().contains("*")) {
            try {
                must("catalogue-import " + home.resolve("samples/catalogue-330000.csv"));
            } catch (AssertionError e) {
                throw new AssertionError("sample catalogue import failed: " + e.getMessage(), e);
            }
        }
    }

    /** Waits until {@code medsettle:health} exits 0 and returns how long that took. */
    Duration awaitHealthy() {
        long start = System.nanoTime();
        try {
            await("medsettle:health of " + home.getFileName()).atMost(BOOT_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> console("health").exit() == 0);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not healthy within " + BOOT_TIMEOUT + ": " + console("health") + "\n--- karaf.log\n" + logTail(), e);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Stops the instance with {@code bin/stop} and waits until its process is gone. */
    void stop() {
        if (!started) {
            return;
        }
        run(home, List.of(home.resolve("bin/stop").toString()), env, Duration.ofSeconds(60));
        // bin/status says "not running" as soon as the shutdown port closes; Karaf refuses to start again until
        // the old JVM has really exited, so wait for the process itself.
        await("the JVM of " + home.getFileName() + " to exit").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> jvm().isEmpty());
        started = false;
    }

    /**
     * Replaces this stopped instance's code with that of the tarball, as an operator upgrades it (README "Several
     * instances of one province"): its {@code etc/} (settings and keys) kept, files the new version adds to
     * {@code etc/} taken, {@code data/} (Karaf's bundle cache) emptied but for the logs; the database is untouched.
     */
    void upgradeInPlace() {
        if (started) {
            throw new IllegalStateException(home.getFileName() + " must be stopped first");
        }
        Path tarball = Path.of(System.getProperty("medsettle.tarball", "target/medsettle-tarball-not-set.tar.gz"));
        Path aside = home.resolveSibling(home.getFileName() + ".before-upgrade");
        try {
            deleteRecursively(aside);
            Files.move(home, aside);
            Files.createDirectories(home);
            Result untar = run(home, List.of("tar", "xzf", tarball.toAbsolutePath().toString(), "--strip-components=1"),
                    Map.of(), Duration.ofMinutes(2));
            if (untar.exit() != 0) {
                throw new IllegalStateException("cannot unpack " + tarball + ": " + untar);
            }
            Path newEtc = home.resolve("etc.new");
            Files.move(home.resolve("etc"), newEtc);
            Files.move(aside.resolve("etc"), home.resolve("etc"));
            try (java.util.stream.Stream<Path> files = Files.walk(newEtc)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Path target = home.resolve("etc").resolve(newEtc.relativize(f).toString());
                    if (!Files.exists(target)) {
                        Files.copy(f, target);
                    }
                }
            }
            deleteRecursively(newEtc);
            if (Files.isDirectory(aside.resolve("data/log"))) {
                Files.createDirectories(home.resolve("data"));
                Files.move(aside.resolve("data/log"), home.resolve("data/log"));
            }
            deleteRecursively(aside);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the instance's JVM (kill -9: no shutdown of anything) and waits until it is gone. */
    void kill() {
        jvm().ifPresent(ProcessHandle::destroyForcibly);
        await("the JVM of " + home.getFileName() + " to be killed").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> jvm().isEmpty());
        started = false;
    }

    String logTail() {
        Path log = home.resolve("data/log/karaf.log");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no " + log + ")";
        }
    }

    /** The instance's running JVM, found by its {@code -Dkaraf.base}. */
    java.util.Optional<ProcessHandle> jvm() {
        String marker = "-Dkaraf.base=" + home.toAbsolutePath();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> java.util.Arrays.asList(args).contains(marker)).orElse(false))
                .findFirst();
    }

    /** Resident memory of the instance's JVM in KiB, from /proc, if it can be found. */
    long residentKib() {
        java.util.Optional<ProcessHandle> jvm = jvm();
        if (jvm.isEmpty()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(jvm.get().pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Stops the instance for good and gives back the disk its unpacked copy of the tarball took: its {@code system}
     * repository and Felix's bundle cache, about 140 MB an instance and some 4.5 GB over the process tests, which
     * a CI machine's disk does not always have. What tells what happened stays: {@code etc}, {@code data/log} and
     * the database.
     */
    @Override
    public void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            // Last resort, so that no Karaf outlives the test run.
            jvm().ifPresent(ProcessHandle::destroyForcibly);
        }
        if (jvm().isEmpty()) {
            releaseDisk(home);
        }
    }

    /** Deletes what an unpacked, stopped instance under {@code home} can do without for a post-mortem. */
    static void releaseDisk(Path home) {
        for (String heavy : List.of("system", "data/cache", "data/tmp")) {
            try {
                deleteRecursively(home.resolve(heavy));
            } catch (IOException e) {
                // Only disk given back late: the next unpack of this directory deletes it anyway.
                System.err.println("could not delete " + home.resolve(heavy) + ": " + e);
            }
        }
    }

    static Result run(Path dir, List<String> command, Map<String, String> env, Duration timeout) {
        try {
            Path out = Files.createTempFile("medsettle-it", ".out");
            Path err = Files.createTempFile("medsettle-it", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeout);
            }
            Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A port nobody listens on, below the kernel's ephemeral range: a port the kernel hands out ({@code new
     * ServerSocket(0)}) can be taken as the source port of some outgoing connection before the instance binds it
     * ("Failed to bind", seen in CI with seven instances talking to each other while the next one started).
     */
    static synchronized int freePort() {
        for (int i = 0; i < 10_000; i++) {
            int port = FIRST_PORT + Math.floorMod(nextPort++, 10_000);
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
                return port;
            } catch (IOException inUse) {
                // try the next one
            }
        }
        throw new UncheckedIOException(new IOException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + 9_999)));
    }

    /** 20000-29999: below Linux's default ephemeral range (32768-60999); a random start per test JVM. */
    private static final int FIRST_PORT = 20_000;
    private static int nextPort = new java.util.Random().nextInt(10_000);

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
