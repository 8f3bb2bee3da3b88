/**
 * Monthly clearing between provinces (清算) through the national hub (funds.md): the lines each side reports, the
 * hub's matching, the cases carried to the next month, the statements.
 */
@Export
@Version("1.0.0")
package org.medsettle.api.clearing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
