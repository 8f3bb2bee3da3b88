package org.medsettle.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A hospital's HIS using the node's file exchange (feature {@code medsettle-his-file}): the request envelope written
 * to {@code <exchange>/<fixmedins_code>/in/<msgid>.json}, then its signature to {@code <msgid>.sig} (written under
 * another name and renamed, so that the node never reads half of it), then the answer awaited in
 * {@code out/<msgid>.json}, read and deleted.
 */
public final class HisFileClient implements His {

    private final Path in;
    private final Path out;
    private final HisEnvelopes envelopes;
    private final byte[] key;
    private final Duration timeout;

    /**
     * @param exchange the node's exchange folder ({@code directory} of {@code etc/org.medsettle.his.file.cfg})
     * @param timeout  how long an answer is waited for
     */
    public HisFileClient(Path exchange, String hospital, String keyBase64, String treatmentPlace, Duration timeout) {
        this.in = exchange.resolve(hospital).resolve("in");
        this.out = exchange.resolve(hospital).resolve("out");
        this.envelopes = new HisEnvelopes(hospital, treatmentPlace);
        this.key = Signed.key(keyBase64);
        this.timeout = timeout;
    }

    @Override
    public String hospital() {
        return envelopes.hospital();
    }

    @Override
    public JsonNode call(String infno, String insuplc, JsonNode input) {
        String msgid = envelopes.newMsgid();
        try {
            return exchange(msgid, Signed.JSON.writeValueAsBytes(envelopes.envelope(infno, msgid, insuplc, input)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops a request under {@code name} and answers the node's answer envelope. */
    public JsonNode exchange(String name, byte[] body) throws IOException {
        Path answer = out.resolve(name + ".json");
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            out.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            Files.write(in.resolve(name + ".json"), body);
            Path part = in.resolve(name + ".sig.part");
            Files.writeString(part, Signed.hmacHex(key, body));
            Files.move(part, in.resolve(name + ".sig"), StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(answer)) {
                long left = deadline - System.nanoTime();
                WatchKey key = left <= 0 ? null : watch.poll(left, TimeUnit.NANOSECONDS);
                if (key == null) {
                    throw new IllegalStateException("no answer to " + name + " in " + out + " within " + timeout);
                }
                key.pollEvents();
                key.reset();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the answer to " + name, e);
        }
        byte[] bytes = Files.readAllBytes(answer);
        Files.delete(answer);
        return Signed.parse(bytes);
    }
}
