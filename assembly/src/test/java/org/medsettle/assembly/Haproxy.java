package org.medsettle.assembly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real load balancer for the process tests (issue 13): Debian's HAProxy, installed when missing and the build runs
 * as root, in front of several instances of one province. HTTP (the HIS interface, the filing API, the probe) is
 * balanced round robin with active health checks of {@code GET /medsettle/health}; the national link's mutual TLS
 * goes through in TCP mode (passthrough: the instances share the province's link certificate), checked on the same
 * probe. The stats page is on its own port.
 */
final class Haproxy implements AutoCloseable {

    /** An instance behind the balancer: its HTTP and link ports. */
    record Backend(String name, int httpPort, int linkPort) {
    }

    private final Process process;
    private final int httpPort;
    private final int linkPort;
    private final int statsPort;

    private Haproxy(Process process, int httpPort, int linkPort, int statsPort) {
        this.process = process;
        this.httpPort = httpPort;
        this.linkPort = linkPort;
        this.statsPort = statsPort;
    }

    static Path binary() {
        Path haproxy = Path.of("/usr/sbin/haproxy");
        if (Files.isExecutable(haproxy)) {
            return haproxy;
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("no HAProxy: install Debian's package haproxy (apt-get install haproxy)");
        }
        System.out.println("[haproxy] not installed: installing Debian's package haproxy");
        try {
            run(List.of("apt-get", "install", "-y", "--no-install-recommends", "haproxy"));
        } catch (IllegalStateException e) {
            // a machine whose package lists are old or missing
            run(List.of("apt-get", "update"));
            run(List.of("apt-get", "install", "-y", "--no-install-recommends", "haproxy"));
        }
        if (!Files.isExecutable(haproxy)) {
            throw new IllegalStateException("apt-get install haproxy left no " + haproxy);
        }
        return haproxy;
    }

    /** Starts HAProxy in the foreground (a child of this JVM) with a configuration written to {@code dir}. */
    static Haproxy start(Path dir, List<Backend> backends) throws IOException {
        Path binary = binary();
        int http = freePort();
        int link = freePort();
        int stats = freePort();
        StringBuilder cfg = new StringBuilder();
        cfg.append("global\n  maxconn 4000\n\n")
                .append("defaults\n  timeout connect 2s\n  timeout client 120s\n  timeout server 120s\n")
                // a connection refused by an instance that went away is tried on another (nothing was sent yet)
                .append("  retries 3\n  option redispatch\n\n")
                .append("frontend his\n  mode http\n  bind 127.0.0.1:").append(http).append("\n  default_backend instances\n\n")
                .append("backend instances\n  mode http\n  balance roundrobin\n")
                // an instance stopping answers 503 or closes the connection: the request goes to another (a repeated
                // HIS request is answered once: msgid)
                .append("  option http-buffer-request\n  retry-on conn-failure empty-response 404 503\n")
                .append("  option httpchk GET /medsettle/health\n  http-check expect status 200\n")
                .append("  default-server inter 1s fall 2 rise 2\n");
        for (Backend b : backends) {
            cfg.append("  server ").append(b.name()).append(" 127.0.0.1:").append(b.httpPort()).append(" check\n");
        }
        cfg.append("\nfrontend link\n  mode tcp\n  bind 127.0.0.1:").append(link).append("\n  default_backend links\n\n")
                .append("backend links\n  mode tcp\n  balance roundrobin\n")
                .append("  option httpchk GET /medsettle/health\n  http-check expect status 200\n")
                .append("  default-server inter 1s fall 2 rise 2\n");
        for (Backend b : backends) {
            cfg.append("  server ").append(b.name()).append(" 127.0.0.1:").append(b.linkPort())
                    .append(" check port ").append(b.httpPort()).append("\n");
        }
        cfg.append("\nlisten stats\n  mode http\n  bind 127.0.0.1:").append(stats)
                .append("\n  stats enable\n  stats uri /stats\n")
                // HAProxy's own Prometheus exporter (Debian's build has it): the balancer's view beside the instances'
                .append("  http-request use-service prometheus-exporter if { path /metrics }\n");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString(), StandardCharsets.UTF_8);
        run(List.of(binary.toString(), "-c", "-f", file.toString()));
        Process p = new ProcessBuilder(binary.toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Haproxy h = new Haproxy(p, http, link, stats);
        Runtime.getRuntime().addShutdownHook(new Thread(h::close, "stop haproxy"));
        // started is listening: its stats answer (a caller's first look at a server's status may be at once)
        org.awaitility.Awaitility.await("HAProxy listening on " + stats).atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(100)).ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class)
                .until(() -> {
                    if (!p.isAlive()) {
                        throw new AssertionError("HAProxy exited: " + Files.readString(dir.resolve("haproxy.log")));
                    }
                    return h.stats() != null;
                });
        return h;
    }

    String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    String linkUrl() {
        return "https://127.0.0.1:" + linkPort;
    }

    /** HAProxy's Prometheus exporter on the stats port. */
    String metricsUrl() {
        return "http://127.0.0.1:" + statsPort + "/metrics";
    }

    /** The stats as CSV ({@code ;csv}): one line per frontend, backend and server, with its status (UP, DOWN). */
    String stats() {
        return ApplianceInstance.get("http://127.0.0.1:" + statsPort + "/stats;csv").body();
    }

    /** Total sessions (stot, column 8 of the CSV stats) a server of a backend took. */
    long sessions(String backend, String server) {
        for (String line : stats().split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 7 && f[0].equals(backend) && f[1].equals(server)) {
                return Long.parseLong(f[7]);
            }
        }
        return 0;
    }

    /** The status (UP, DOWN, ...) of server {@code server} of backend {@code backend}. */
    String status(String backend, String server) {
        for (String line : stats().split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 17 && f[0].equals(backend) && f[1].equals(server)) {
                return f[17];
            }
        }
        return "absent";
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A port of this test JVM's part of the range ({@link ApplianceInstance#freePort()}), not an ephemeral one. */
    private static int freePort() {
        return ApplianceInstance.freePort();
    }

    private static void run(List<String> command) {
        try {
            Path out = Files.createTempFile("medsettle-haproxy-", ".log");
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
                pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
                Process p = pb.start();
                if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + " failed:\n" + Files.readString(out));
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
