package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServicesTest {

    @Test
    void aPresentServiceIsReturned() {
        Object service = new Object();
        assertSame(service, Services.require(service, Services.STORE));
    }

    @Test
    void aMissingServiceIsNamedWithItsFeature() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Services.require(null, Services.CATALOGUE));
        assertEquals("the catalogue (feature medsettle-catalogue) is not available; see medsettle:health", e.getMessage());
    }
}
