package org.medsettle.instance.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code etc/org.medsettle.instance.cfg}. The shipped file takes each value from an environment variable
 * ({@code MEDSETTLE_ROLE}, {@code MEDSETTLE_ADMDVS}, {@code MEDSETTLE_HUB_URL}) and falls back to the value
 * written after {@code :-}.
 */
@ObjectClassDefinition(name = "medsettle instance", description = "Who this instance is")
@interface InstanceConfig {

    @AttributeDefinition(description = "node (a province node) or hub (the national hub)")
    String role() default "node";

    @AttributeDefinition(description = "6-digit division code of the province served (100000 for the hub)")
    String admdvs();

    @AttributeDefinition(description = "http(s) URL of the national hub; empty if none yet", required = false)
    String hubUrl() default "";
}
