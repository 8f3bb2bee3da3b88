package org.medsettle.fileimport.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** {@code etc/org.medsettle.persons.file.cfg}. */
@ObjectClassDefinition(name = "medsettle person extract file import")
@interface PersonsFileConfig {

    @AttributeDefinition(description = "folder watched for the core system's person extracts; done/ and failed/ are made inside it")
    String directory();
}
