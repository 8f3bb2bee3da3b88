/**
 * Values shared by every bundle: exact money, division codes, the roles an instance plays.
 */
@Export
@Version("1.7.0")
package org.medsettle.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
