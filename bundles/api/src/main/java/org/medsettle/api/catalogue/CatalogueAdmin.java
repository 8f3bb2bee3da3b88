package org.medsettle.api.catalogue;

import java.io.InputStream;
import java.util.List;
import java.util.function.IntConsumer;

import org.medsettle.api.store.Actor;

/** Importing and switching catalogue versions (console, file route); implemented by the catalogue bundle alone. */
public interface CatalogueAdmin {

    /**
     * Reads a catalogue CSV ({@code med_list_codg,name,kind,class,selfpay_prop,price_limit,valid_from,valid_to});
     * if every line is valid it becomes a new version and is activated at once, else nothing changes.
     *
     * @param progress told the number of lines read so far, now and then
     */
    ImportResult importCsv(InputStream csv, String source, Actor actor, IntConsumer progress);

    /**
     * Makes an earlier version active again (a rollback), atomically, and says what it covers today against the version
     * it replaced (with a warning when markedly fewer codes are valid today).
     */
    CatalogueActivation reactivate(long versionId, Actor actor);

    /** {@link #reactivate}, for a caller that needs only the version now active. */
    default CatalogueVersionInfo activate(long versionId, Actor actor) {
        return reactivate(versionId, actor).version();
    }

    /** Every version, newest first. */
    List<CatalogueVersionInfo> versions();
}
