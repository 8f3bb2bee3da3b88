package org.medsettle.hub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "medsettle national hub", description = "etc/org.medsettle.hub.cfg")
public @interface HubConfig {

    @AttributeDefinition(description = "How long the hub waits for a node, in milliseconds (below the nodes' own timeout)")
    int timeoutMillis() default 2500;

    @AttributeDefinition(description = "How long the hub waits for a node's answer to its own clearing messages (a node fixes its month's report in the first), in milliseconds")
    long clearingTimeoutMillis() default 600000;
}
