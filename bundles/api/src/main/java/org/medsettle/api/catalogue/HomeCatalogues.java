package org.medsettle.api.catalogue;

import java.util.List;
import java.util.Optional;

import org.medsettle.api.Admdvs;

/**
 * The catalogues of insured provinces (参保地目录) a node knows: what manual reimbursement at home would cover, for the
 * treatment-difference estimate (待遇差) before discharge. Each comes with the province's policy bundle (manifest header
 * {@code Medsettle-Catalogue: <province>=<path>}), in the catalogue CSV format; a bundle's catalogue that does not
 * validate is refused and the one it had before stays.
 */
public interface HomeCatalogues {

    /** The catalogue of {@code insuredProvince}, if this node has one. */
    Optional<Catalogue> of(Admdvs insuredProvince);

    /** One line per province: its catalogue's version (bundle, file, entries) or why it was refused. */
    List<String> describe();
}
