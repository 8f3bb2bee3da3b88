/**
 * The national hub (国家平台): directory of nodes, routing, the national index of insured persons.
 */
@Export
@Version("2.1.0")
package org.medsettle.api.hub;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
