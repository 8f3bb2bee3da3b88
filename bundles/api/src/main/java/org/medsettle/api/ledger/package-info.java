/**
 * The ledger (账本) of money between provinces: double entry, exact fen, append only (funds.md).
 */
@Export
@Version("1.1.0")
package org.medsettle.api.ledger;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
