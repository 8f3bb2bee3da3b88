package org.medsettle.instance.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.medsettle.api.health.HealthCheck;
import org.medsettle.api.health.HealthResult;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The check that cannot be forgotten: every medsettle bundle must be active and every one of its components
 * satisfied. A bundle whose own health check never got registered (its component failed to activate, a
 * service it needs is missing) still shows up here, with the reason.
 */
@Component
public class ComponentsHealthCheck implements HealthCheck {

    static final String PREFIX = "medsettle-";
    /** Components of one role reference the instance identity with this filter, e.g. {@code (role~=hub)}. */
    static final String ROLE_GATE = "(role~=";
    /** Registered by Karaf once the boot features are installed; looked up by name, no import needed. */
    static final String BOOT_FINISHED = "org.apache.karaf.features.BootFinished";

    private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^(?:[\\w.$]+(?:Exception|Error): )+");

    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    @Activate
    public ComponentsHealthCheck(BundleContext context, @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    @Override
    public String name() {
        return "components";
    }

    @Override
    public HealthResult check() {
        Optional<String> starting = stillStarting();
        if (starting.isPresent()) {
            return HealthResult.fail(starting.get());
        }
        List<String> problems = new ArrayList<>();
        List<Bundle> bundles = Arrays.stream(context.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith(PREFIX))
                .toList();
        int components = 0;
        int active = 0;
        for (Bundle bundle : bundles) {
            String host = bundle.getHeaders().get(Constants.FRAGMENT_HOST);
            if (host != null) { // a fragment is never started: it lives in its host's wiring, once attached
                fragmentProblem(bundle.getSymbolicName(), host, bundle.getState()).ifPresent(problems::add);
                continue;
            }
            if (bundle.getState() != Bundle.ACTIVE) {
                problems.add("bundle " + bundle.getSymbolicName() + " is " + stateName(bundle.getState()));
                continue;
            }
            active++;
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                if (!scr.isComponentEnabled(description)) {
                    problems.add(description.name + " is disabled");
                    continue;
                }
                components++;
                problems.addAll(problemsOf(description, scr.getComponentConfigurationDTOs(description)));
            }
        }
        if (bundles.isEmpty()) {
            return HealthResult.fail("no medsettle bundle is installed");
        }
        if (!problems.isEmpty()) {
            return HealthResult.fail(String.join("; ", problems));
        }
        return HealthResult.ok(active + " bundles active, " + components + " components satisfied");
    }

    /** Healthy means started: the framework at its beginning start level and Karaf's boot features installed. */
    private Optional<String> stillStarting() {
        Bundle system = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        if (system == null || system.getState() != Bundle.ACTIVE) {
            return Optional.of("the framework is starting or stopping");
        }
        int level = system.adapt(FrameworkStartLevel.class).getStartLevel();
        String beginning = context.getProperty(Constants.FRAMEWORK_BEGINNING_STARTLEVEL);
        int target = beginning == null ? 1 : Integer.parseInt(beginning.strip());
        if (level < target) {
            return Optional.of("the appliance is still starting (start level " + level + " of " + target + ")");
        }
        if (context.getServiceReference(BOOT_FINISHED) == null) {
            return Optional.of("the appliance is still installing its boot features");
        }
        return Optional.empty();
    }

    /** A fragment left {@code INSTALLED} is attached to no host: what it adds to its host is missing. */
    static Optional<String> fragmentProblem(String name, String hostHeader, int state) {
        if (state != Bundle.INSTALLED) {
            return Optional.empty();
        }
        String host = hostHeader.split(";", 2)[0].strip();
        return Optional.of("fragment " + name + " is attached to no bundle " + host
                + " (its Fragment-Host: " + hostHeader.strip() + ")");
    }

    static List<String> problemsOf(ComponentDescriptionDTO description, Collection<ComponentConfigurationDTO> configurations) {
        List<String> problems = new ArrayList<>();
        String name = shortName(description.name);
        if (configurations.isEmpty()) {
            if ("require".equals(description.configurationPolicy)) {
                problems.add(name + " waits for its configuration " + String.join(", ", description.configurationPid)
                        + " (etc/" + description.configurationPid[0] + ".cfg)");
            } else {
                problems.add(name + " was not created");
            }
        }
        for (ComponentConfigurationDTO configuration : configurations) {
            switch (configuration.state) {
                case ComponentConfigurationDTO.SATISFIED, ComponentConfigurationDTO.ACTIVE -> { }
                case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
                    if (Arrays.stream(configuration.unsatisfiedReferences)
                            .anyMatch(ref -> ref.target != null && ref.target.contains(ROLE_GATE))) {
                        // a component of the other role (node or hub): not meant to run here, and what else it
                        // misses (e.g. the hub's directory on a node) is not missing here either
                        continue;
                    }
                    List<String> missing = new ArrayList<>();
                    for (UnsatisfiedReferenceDTO ref : configuration.unsatisfiedReferences) {
                        String interfaceName = Arrays.stream(description.references)
                                .filter(r -> r.name.equals(ref.name)).map(r -> r.interfaceName).findFirst().orElse(ref.name);
                        missing.add(interfaceName + (ref.target == null ? "" : " " + ref.target));
                    }
                    problems.add(name + " is missing " + String.join(", ", missing));
                }
                case ComponentConfigurationDTO.FAILED_ACTIVATION -> problems.add(name + " failed to start: " + firstLine(configuration.failure));
                case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION ->
                        problems.add(name + " waits for its configuration " + String.join(", ", description.configurationPid));
                default -> problems.add(name + " is in state " + configuration.state);
            }
        }
        return problems;
    }

    static String firstLine(String failure) {
        if (failure == null || failure.isBlank()) {
            return "no reason given (see the log)";
        }
        String first = failure.lines().findFirst().orElse("").strip();
        return EXCEPTION_PREFIX.matcher(first).replaceFirst("");
    }

    private static String shortName(String componentName) {
        return componentName.substring(componentName.lastIndexOf('.') + 1);
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (cannot resolve: see bundle:diag)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "in state " + state;
        };
    }
}
