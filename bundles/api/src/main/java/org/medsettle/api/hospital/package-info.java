/**
 * Designated hospitals (定点医疗机构) of a node and their credentials.
 */
@Export
@Version("1.0.0")
package org.medsettle.api.hospital;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
