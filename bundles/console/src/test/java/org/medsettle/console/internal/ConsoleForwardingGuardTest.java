package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.junit.jupiter.api.Test;

class ConsoleForwardingGuardTest {

    @Test
    void aConsoleSshServerAsKarafBuildsItForwardsNothingOnceGuarded() {
        SshServer server = SshServer.setUpDefaultServer();
        // what Karaf 4.4's ssh Activator sets, with no setting to change it
        server.setForwardingFilter(org.apache.sshd.server.forward.AcceptAllForwardingFilter.INSTANCE);
        SshdSocketAddress database = new SshdSocketAddress("127.0.0.1", 1527);
        assertTrue(server.getForwardingFilter().canConnect(TcpForwardingFilter.Type.Direct, database, null));

        new ConsoleForwardingGuard().bindServer(server);
        ForwardingFilter filter = server.getForwardingFilter();
        assertFalse(filter.canConnect(TcpForwardingFilter.Type.Direct, database, null), "ssh -L");
        assertFalse(filter.canListen(new SshdSocketAddress("0.0.0.0", 2222), null), "ssh -R");
        assertFalse(filter.canForwardAgent(null, "auth-agent-req@openssh.com"), "agent");
        assertFalse(filter.canForwardX11(null, "x11-req"), "X11");
    }
}
