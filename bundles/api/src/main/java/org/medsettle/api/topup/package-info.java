/**
 * The top-ups of the treatment difference (待遇补差) an insured province owes its insured persons: recorded from the
 * treatment nodes' notices, payable after the settlement's month is cleared, paid and cancelled at the console.
 */
@Export
@Version("1.0.0")
package org.medsettle.api.topup;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
