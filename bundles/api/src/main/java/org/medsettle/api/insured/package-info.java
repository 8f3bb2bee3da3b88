/**
 * The insured place (参保地) as the treatment node sees it: person look-up, coverage (filing and accumulators),
 * versioned application of settlements, reversals.
 */
@Export
@Version("1.2.0")
package org.medsettle.api.insured;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
