/**
 * The treatment-place catalogue (就医地目录): what is covered, by class, ratio and price limit.
 */
@Export
@Version("1.4.0")
package org.medsettle.api.catalogue;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
