/**
 * Who this instance is: its role (node or hub) and its province.
 */
@Export
@Version("2.0.0")
package org.medsettle.api.instance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
