/**
 * Reading the files the province's systems hand a node (catalogues, person extracts, hospitals): strictly,
 * all or nothing, every bad line named.
 */
@Export
@Version("1.0.0")
package org.medsettle.api.imports;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
