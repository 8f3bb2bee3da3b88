package org.medsettle.hub.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "medsettle national hub", description = "etc/org.medsettle.hub.cfg")
public @interface HubConfig {

    @AttributeDefinition(description = "How long the hub waits for a node, in milliseconds (below the nodes' own timeout)")
    int timeoutMillis() default 2500;

    @AttributeDefinition(description = "How long the hub waits for a node's answer to its own clearing messages (a node fixes its month's report in the first), in milliseconds")
    long clearingTimeoutMillis() default 600000;

    @AttributeDefinition(description = "How often the directory is read again from the database, in seconds: several hub instances share one database, and a node registered, changed or taken out at one is seen alike at the others within this time")
    int directoryRefreshSeconds() default 5;
}
