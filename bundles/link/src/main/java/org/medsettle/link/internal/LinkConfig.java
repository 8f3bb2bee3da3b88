package org.medsettle.link.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "medsettle national link", description = "etc/org.medsettle.link.cfg")
public @interface LinkConfig {

    @AttributeDefinition(description = "The SHA-256 fingerprint of the hub's link certificate (medsettle:link-certificate on the hub); MEDSETTLE_HUB_CERT")
    String hubCertificate() default "";

    @AttributeDefinition(description = "How long a look-up waits for the hub and the insured node, in milliseconds")
    int timeoutMillis() default 3000;

    @AttributeDefinition(description = "While the hub or the receiving node is being updated (its link or its insured place; a bundle update): how long a message it did not take is sent again, in milliseconds")
    int updateGraceMillis() default 8000;

    @AttributeDefinition(description = "When at least half of the last 20 sends could not reach the hub: for how many seconds exchanges are answered at once without trying (circuit breaker open), before one tries again")
    int breakerOpenSeconds() default 10;

    @AttributeDefinition(description = "How often the outbox is sent, in milliseconds")
    int outboxPeriodMillis() default 500;

    @AttributeDefinition(description = "How often new or changed insured persons are sent to the hub's index, in milliseconds")
    int indexPeriodMillis() default 10000;
}
