/**
 * The settlement calculation's contract (settlement-rules.md): what goes in, what comes out, and the
 * person's yearly accumulators it reads and changes.
 */
@Export
@Version("1.0.0")
package org.medsettle.api.settlement;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
