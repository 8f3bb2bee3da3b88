/**
 * Health checks: every bundle that can fail registers one; the console and probes run them all.
 */
@Export
@Version("1.1.0")
package org.medsettle.api.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
