package org.medsettle.hisfile.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.FileUtil;
import org.medsettle.api.health.FailureLog;
import org.medsettle.api.his.HisEndpoint;
import org.medsettle.api.his.HisTransactions;
import org.medsettle.support.PlainFiles;
import org.medsettle.support.SignatureCheck;
import org.slf4j.LoggerFactory;

/**
 * Route {@value #ROUTE_ID}: the national interface as a file exchange, for hospitals whose HIS does not call the
 * JSON interface. Under the exchange folder, each hospital has a folder named by its {@code fixmedins_code}:
 * <pre>
 * H33010000003/in/&lt;name&gt;.json    the request envelope, exactly as it would be POSTed
 * H33010000003/in/&lt;name&gt;.sig     hex HMAC-SHA256 of the .json file's bytes with the hospital's key; written
 *                                   last: the request is taken only once its .sig is there
 * H33010000003/out/&lt;name&gt;.json   the answer envelope (written as .part, then renamed)
 * H33010000003/done/&lt;name&gt;.json  the request, once answered (the .sig is deleted)
 * </pre>
 * In steps: {@code authenticate} (size, the {@code .sig} against the key of the hospital the folder names; a refusal
 * is answered {@code -2} like the JSON interface's), {@code transactions} ({@link HisEndpoint#URI}, where the JSON
 * adapter's route ends too), {@code answer}. If the node cannot answer (its transactions not running), nothing is
 * written or moved: the request is taken again at a later poll. A request taken twice (a crash between the answer and
 * the move) is answered again from the node's msgid record: the same answer, nothing done twice.
 */
public class HisFileRoute extends RouteBuilder {

    static final String ROUTE_ID = "his-file";
    static final String FOLDERS_ROUTE_ID = "hospital-folders";
    private static final String SIGNATURE_SUFFIX = ".sig";
    /** Where the request goes once answered, relative to the exchange folder (a relative move is relative to it). */
    private static final String DONE_NAME = "MedsettleDoneName";
    /** Where its answer is written, relative to the exchange folder. */
    private static final String ANSWER_NAME = "MedsettleAnswerName";
    /** The consumer's filter in the context's registry: real folders only ({@link HospitalFolders}). */
    private static final String FOLDERS_FILTER = "medsettleHisFileFolders";
    /** A signature is 64 hex digits; a .sig file longer than this is not one. */
    private static final int MAX_SIGNATURE_BYTES = 1024;

    /** A request refused before the node's transactions: the envelope to write as the answer. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient byte[] envelope;

        Refusal(byte[] envelope) {
            super("refused", null, false, false);
            this.envelope = envelope;
        }
    }

    private final Path directory;
    private final int pollMillis;
    private final int maxBodyBytes;
    private final Supplier<HisTransactions> his;
    private final SignatureCheck signatures;
    private final Supplier<List<String>> hospitals;
    private final long folderCheckMillis;
    private final FailureLog failures = new FailureLog((line, cause) -> log.error(line, cause), Duration.ofMinutes(1),
            Clock.systemUTC());

    public HisFileRoute(Path directory, int pollMillis, int maxBodyBytes, Supplier<HisTransactions> his,
                        SignatureCheck signatures, Supplier<List<String>> hospitals, long folderCheckMillis) {
        this.directory = directory;
        this.pollMillis = pollMillis;
        this.maxBodyBytes = maxBodyBytes;
        this.his = his;
        this.signatures = signatures;
        this.hospitals = hospitals;
        this.folderCheckMillis = folderCheckMillis;
    }

    /**
     * Makes {@code in/}, {@code out/} and {@code done/} for each of {@code hospitals} where they are missing (one that
     * is there as anything, a link included, is left as it is: {@link HospitalFolders} says what is wrong with it).
     *
     * @return the hospitals whose folder was made now
     */
    static List<String> makeFolders(Path directory, List<String> hospitals) {
        List<String> made = new ArrayList<>();
        for (String code : hospitals) {
            Path folder = directory.resolve(code);
            boolean isNew = !Files.exists(folder, LinkOption.NOFOLLOW_LINKS);
            try {
                for (String sub : new String[] {"in", "out", "done"}) {
                    if (!Files.exists(folder.resolve(sub), LinkOption.NOFOLLOW_LINKS)) {
                        Files.createDirectories(folder.resolve(sub));
                    }
                }
                if (isNew) {
                    made.add(code);
                }
            } catch (IOException e) {
                LoggerFactory.getLogger(HisFileRoute.class).warn("HIS file exchange: no folder for {}: {}", code,
                        e.getMessage());
            }
        }
        return made;
    }

    /** The file producer writing answers: {@code <hospital>/out/<name>.json}, via {@code <name>.json.part}. */
    private String answers() {
        return "file:" + directory + "?tempFileName=${file:onlyname}.part";
    }

    @Override
    public void configure() {
        onException(Refusal.class).handled(true)
                .process(e -> e.getMessage().setBody(e.getProperty(Exchange.EXCEPTION_CAUGHT, Refusal.class).envelope))
                .setHeader(Exchange.FILE_NAME, header(ANSWER_NAME))
                .to(answers());
        // the node not answering: nothing written, the file stays in in/ and is taken again at a later poll
        onException(Exception.class).handled(false).maximumRedeliveries(2).redeliveryDelay(1000)
                .logStackTrace(false).logExhausted(false).logRetryAttempted(false)
                .process(e -> {
                    Exception cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    failures.report(cause.getClass().getName(), "HIS file " + e.getIn().getHeader(Exchange.FILE_NAME)
                            + " not answered now, taken again later: " + cause.getMessage(), null);
                });
        // a hospital registered after the adapter started gets its folders within folderCheckSeconds
        from("timer:" + FOLDERS_ROUTE_ID + "?delay=" + folderCheckMillis + "&period=" + folderCheckMillis)
                .routeId(FOLDERS_ROUTE_ID)
                .process(e -> {
                    List<String> made = makeFolders(directory, hospitals.get());
                    if (!made.isEmpty()) {
                        log.info("HIS file exchange: folders in/, out/ and done/ made for {}, registered since the "
                                + "adapter started", made);
                    }
                }).id("make-folders");
        getContext().getRegistry().bind(FOLDERS_FILTER, new HospitalFolders(failures));
        from("file:" + directory + "?recursive=true&antInclude=*/in/*.json&filter=#" + FOLDERS_FILTER
                + "&doneFileName=${file:name.noext}" + SIGNATURE_SUFFIX
                + "&move=${header." + DONE_NAME + "}&sortBy=file:modified&maxMessagesPerPoll=100&delay=" + pollMillis)
                .routeId(ROUTE_ID)
                .process(this::authenticate).id("authenticate")
                .to(HisEndpoint.URI).id("transactions")
                .setHeader(Exchange.FILE_NAME, header(ANSWER_NAME))
                .to(answers()).id("answer");
    }

    /**
     * The hospital is the folder above {@code in/}; the request must be signed with its key. Notes first where the
     * request and its answer go ({@code <hospital>/done/}, {@code <hospital>/out/}), for the answer of a refusal too.
     */
    void authenticate(Exchange exchange) throws IOException {
        Path request = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
        Path hospitalDir = request.getParent().getParent();
        String name = request.getFileName().toString();
        exchange.getIn().setHeader(DONE_NAME, directory.relativize(hospitalDir.resolve("done").resolve(name)).toString());
        exchange.getIn().setHeader(ANSWER_NAME, directory.relativize(hospitalDir.resolve("out").resolve(name)).toString());
        String hospital = hospitalDir.getFileName().toString();
        String signatureName = FileUtil.stripExt(name) + SIGNATURE_SUFFIX;
        HisTransactions transactions = his.get();
        if (transactions == null) {
            throw new IllegalStateException("the node's transactions are not running (medsettle:health)");
        }
        byte[] body;
        try {
            body = PlainFiles.readAtMost(request, maxBodyBytes);
        } catch (PlainFiles.NotPlain e) {
            failures.report("not plain " + hospital, "HIS file refused: " + request.getFileName() + " in the folder of "
                    + hospital + " " + e.getMessage(), null);
            throw new Refusal(transactions.refuse("-2", "the request file " + e.getMessage()
                    + ": the node reads only files written in the in/ folder itself"));
        }
        if (body == null) {
            throw new Refusal(transactions.refuse("-2", "the request file has more than the " + maxBodyBytes
                    + " bytes this node accepts"));
        }
        Path signatureFile = request.resolveSibling(signatureName);
        String signature;
        try {
            byte[] sig = PlainFiles.readAtMost(signatureFile, MAX_SIGNATURE_BYTES);
            signature = sig == null ? "" : new String(sig, StandardCharsets.US_ASCII).strip();
        } catch (PlainFiles.NotPlain | NoSuchFileException e) {
            signature = "";
        }
        if (!signatures.signedBy(hospital, body, signature)) {
            failures.report("unsigned", "HIS file refused: " + request.getFileName() + " in the folder of " + hospital
                    + " is not signed with that hospital's key", null);
            throw new Refusal(transactions.refuse("-2", "the request file is not signed by the hospital " + hospital
                    + ": write beside it " + signatureName
                    + " holding the hex HMAC-SHA256 of the file's bytes with your key, after the file itself"));
        }
        exchange.getIn().setHeader(HisEndpoint.HOSPITAL_HEADER, hospital);
        exchange.getIn().setBody(body);
    }
}
