package org.medsettle.api.catalogue;

import java.io.InputStream;
import java.util.List;
import java.util.function.IntConsumer;

import org.medsettle.api.store.Actor;

/** Importing and switching catalogue versions (console, file route). */
public interface CatalogueAdmin {

    /**
     * Reads a catalogue CSV ({@code med_list_codg,name,kind,class,selfpay_prop,price_limit,valid_from,valid_to});
     * if every line is valid it becomes a new version and is activated at once, else nothing changes.
     *
     * @param progress told the number of lines read so far, now and then
     */
    ImportResult importCsv(InputStream csv, String source, Actor actor, IntConsumer progress);

    /** Makes an earlier version active again (a rollback), atomically. */
    CatalogueVersionInfo activate(long versionId, Actor actor);

    /** Every version, newest first. */
    List<CatalogueVersionInfo> versions();
}
