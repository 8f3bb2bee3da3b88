package org.medsettle.hisrest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "medsettle HIS adapter (REST)", description = "etc/org.medsettle.his.rest.cfg")
public @interface HisRestConfig {

    @AttributeDefinition(description = "Largest request body accepted, in bytes; larger bodies are cut off before they are read whole or parsed")
    int maxBodyBytes() default 1_048_576;
}
