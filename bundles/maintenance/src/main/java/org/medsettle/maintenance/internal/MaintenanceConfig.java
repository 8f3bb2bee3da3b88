package org.medsettle.maintenance.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "medsettle maintenance notices", description = "etc/org.medsettle.maintenance.cfg")
public @interface MaintenanceConfig {

    @AttributeDefinition(description = "How often the national hub's list of maintenance windows is read, in seconds")
    int pollSeconds() default 30;

    @AttributeDefinition(description = "How many hours before a window of the insured province the clerks are told of it in warn_msg")
    int warnHours() default 24;
}
