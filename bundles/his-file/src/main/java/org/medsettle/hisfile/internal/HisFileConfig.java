package org.medsettle.hisfile.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "medsettle HIS adapter (file exchange)", description = "etc/org.medsettle.his.file.cfg")
public @interface HisFileConfig {

    @AttributeDefinition(description = "The exchange folder: one folder per hospital (its fixmedins_code) with in/, out/ and done/")
    String directory();

    @AttributeDefinition(description = "How often in/ is looked at, in milliseconds")
    int pollMillis() default 500;

    @AttributeDefinition(description = "Largest request file accepted, in bytes")
    int maxBodyBytes() default 1_048_576;

    @AttributeDefinition(description = "How often the folders of hospitals registered since the adapter started are made, in seconds")
    int folderCheckSeconds() default 60;
}
