/**
 * Domain records of cross-province settlement: persons, visits, fee lines, settlements, filings.
 */
@Export
@Version("1.0.0")
package org.medsettle.api.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
