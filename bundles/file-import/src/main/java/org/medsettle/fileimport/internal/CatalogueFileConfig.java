package org.medsettle.fileimport.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.medsettle.catalogue.file.cfg}. */
@ObjectClassDefinition(name = "medsettle catalogue file import")
@interface CatalogueFileConfig {

    @AttributeDefinition(description = "folder watched for catalogue CSVs; done/ and failed/ are made inside it")
    String directory();
}
