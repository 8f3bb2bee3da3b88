package org.medsettle.policy.distribution.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "medsettle policy distribution", description = "etc/org.medsettle.policy.distribution.cfg")
public @interface PolicyDistributionConfig {

    @AttributeDefinition(description = "How often the national hub's list of published policy versions is read, in seconds")
    int pollSeconds() default 30;
}
