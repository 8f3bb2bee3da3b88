/**
 * Filings (异地就医备案) kept by the insured node: file, cancel, supersede, history; the coverage check.
 */
@Export
@Version("1.2.0")
package org.medsettle.api.filing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
