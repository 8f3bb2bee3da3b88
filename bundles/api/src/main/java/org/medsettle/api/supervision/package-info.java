/**
 * Supervision of cross-province care (就医地管理, funds.md): assisted audits of large amounts (费用协查) and the rules a treatment node runs on every settlement.
 */
@Export
@Version("2.0.0")
package org.medsettle.api.supervision;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
