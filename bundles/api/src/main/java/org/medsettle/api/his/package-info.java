/**
 * The hospital (HIS) interface: the national interface's transactions, behind the HIS adapters.
 */
@Export
@Version("1.4.0")
package org.medsettle.api.his;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
