package org.medsettle.console.internal;

import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's SSH server forwards nothing: no TCP port (local {@code ssh -L} or remote {@code ssh -R}), no SSH
 * agent, no X11. Karaf 4.4 gives its SSH server an accept-all forwarding filter with no setting to change it, so any
 * user with a console key — the auditor too — could reach through the instance whatever it reaches (its database, the
 * hub's link port, the province's internal hosts) and open listening ports on it. Karaf registers its
 * {@link SshServer} as a service before it starts it (and a new one whenever the console's configuration changes);
 * each is given the reject-all filter here, which the server asks at every forwarding request.
 */
@Component(immediate = true)
public class ConsoleForwardingGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleForwardingGuard.class);

    @Reference(service = SshServer.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindServer")
    void bindServer(SshServer server) {
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        LOG.info("The console's SSH server (port {}) refuses port, agent and X11 forwarding", server.getPort());
    }

    void unbindServer(SshServer server) {
        // nothing kept
    }
}
