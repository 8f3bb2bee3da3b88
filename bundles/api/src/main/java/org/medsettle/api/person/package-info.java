/**
 * The insured-place person registry (参保地人员): who is insured in this node's province.
 */
@Export
@Version("1.0.0")
package org.medsettle.api.person;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
