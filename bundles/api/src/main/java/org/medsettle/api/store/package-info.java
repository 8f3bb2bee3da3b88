/**
 * The durable store: database information, backups and the audit trail of business events.
 */
@Export
@Version("1.2.0")
package org.medsettle.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
