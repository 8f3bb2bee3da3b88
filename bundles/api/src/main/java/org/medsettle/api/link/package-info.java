/**
 * The national link: messages between a node and the national hub (国家平台).
 */
@Export
@Version("3.3.0")
package org.medsettle.api.link;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
