/**
 * Insured-place policies (参保地政策): which version of a province's policy is in force on a date.
 */
@Export
@Version("1.2.0")
package org.medsettle.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
