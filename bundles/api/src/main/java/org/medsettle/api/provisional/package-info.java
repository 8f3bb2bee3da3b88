/**
 * Degraded settlement (暂记结算): settlements a treatment node made while an insured province was down, queued to be
 * applied there when it is back; those computed otherwise there are review cases for the two agencies.
 */
@Export
@Version("1.0.0")
package org.medsettle.api.provisional;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
