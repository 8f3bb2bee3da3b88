package org.medsettle.instance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

class ComponentsHealthCheckTest {

    private static ComponentDescriptionDTO description(String policy) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = "org.medsettle.store.internal.StoreComponent";
        d.configurationPolicy = policy;
        d.configurationPid = new String[] {"org.medsettle.store"};
        ReferenceDTO ref = new ReferenceDTO();
        ref.name = "DataSource";
        ref.interfaceName = "javax.sql.DataSource";
        d.references = new ReferenceDTO[] {ref};
        return d;
    }

    private static ComponentConfigurationDTO configuration(int state) {
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        c.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        return c;
    }

    @Test
    void aFragmentAttachedToItsHostIsFineAndOneAttachedToNoneIsNamedWithItsHost() {
        assertEquals(java.util.Optional.empty(), ComponentsHealthCheck.fragmentProblem("medsettle-derby-imports",
                "derby;bundle-version=\"[10.14,10.15)\"", org.osgi.framework.Bundle.RESOLVED));
        assertEquals(java.util.Optional.of("fragment medsettle-derby-imports is attached to no bundle derby"
                        + " (its Fragment-Host: derby;bundle-version=\"[10.14,10.15)\")"),
                ComponentsHealthCheck.fragmentProblem("medsettle-derby-imports", "derby;bundle-version=\"[10.14,10.15)\"",
                        org.osgi.framework.Bundle.INSTALLED));
    }

    @Test
    void activeAndSatisfiedComponentsAreFine() {
        assertEquals(List.of(), ComponentsHealthCheck.problemsOf(description("optional"),
                List.of(configuration(ComponentConfigurationDTO.ACTIVE), configuration(ComponentConfigurationDTO.SATISFIED))));
    }

    @Test
    void aFailedActivationShowsTheReasonWithoutExceptionClassNames() {
        ComponentConfigurationDTO failed = configuration(ComponentConfigurationDTO.FAILED_ACTIVATION);
        failed.failure = "org.osgi.service.component.ComponentException: org.medsettle.store.internal.MigrationException: "
                + "schema migration V2 (x) failed\n\tat org.medsettle...";
        assertEquals(List.of("StoreComponent failed to start: schema migration V2 (x) failed"),
                ComponentsHealthCheck.problemsOf(description("optional"), List.of(failed)));
    }

    @Test
    void aMissingServiceIsNamedWithItsTarget() {
        ComponentConfigurationDTO waiting = configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO missing = new UnsatisfiedReferenceDTO();
        missing.name = "DataSource";
        missing.target = "(osgi.jndi.service.name=medsettle)";
        waiting.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {missing};
        assertEquals(List.of("StoreComponent is missing javax.sql.DataSource (osgi.jndi.service.name=medsettle)"),
                ComponentsHealthCheck.problemsOf(description("optional"), List.of(waiting)));
    }

    @Test
    void aComponentOfTheOtherRoleIsNotAProblemWhateverElseItMisses() {
        ComponentConfigurationDTO other = configuration(ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO identity = new UnsatisfiedReferenceDTO();
        identity.name = "InstanceIdentity";
        identity.target = "(role~=hub)";
        UnsatisfiedReferenceDTO directory = new UnsatisfiedReferenceDTO();
        directory.name = "HubDirectory";
        other.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {identity, directory};
        assertEquals(List.of(), ComponentsHealthCheck.problemsOf(description("optional"), List.of(other)));
        UnsatisfiedReferenceDTO store = new UnsatisfiedReferenceDTO();
        store.name = "DataSource";
        other.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {store};
        assertEquals(1, ComponentsHealthCheck.problemsOf(description("optional"), List.of(other)).size());
    }

    @Test
    void aComponentThatRequiresConfigurationSaysWhichFile() {
        List<String> problems = ComponentsHealthCheck.problemsOf(description("require"), List.of());
        assertTrue(problems.get(0).contains("etc/org.medsettle.store.cfg"), problems.toString());
    }

    @Test
    void aFailureWithoutTextPointsToTheLog() {
        assertEquals("no reason given (see the log)", ComponentsHealthCheck.firstLine(null));
    }
}
