/**
 * Maintenance notices (停机公告): a province's node announces through the national hub when it will be down; every
 * node knows, and the hospitals' clerks are told before and during it.
 */
@Export
@Version("1.1.0")
package org.medsettle.api.maintenance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
