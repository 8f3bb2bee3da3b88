package org.medsettle.console.internal;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.store.Leases;

/**
 * {@code medsettle:leases}: which instance of this database does the work one instance does for all (draining the
 * outbox, the person index, the clearing, the prepayment check), until when, and which instance this one is.
 */
@Service
@Command(scope = "medsettle", name = "leases", description = "Show which instance sharing this database does the outbox, index, clearing and prepayment work")
public class LeasesCommand extends ConsoleAction {

    @Reference(optional = true)
    Leases leases;

    @Override
    protected Object run() {
        Leases l = Services.require(leases, Services.STORE);
        Instant now = Instant.now();
        ShellTable table = new ShellTable();
        table.column("Lease");
        table.column("Holder (host:pid:start)");
        table.column("Held since");
        table.column("Until");
        table.column("State");
        for (Leases.Lease lease : l.leases()) {
            table.addRow().addContent(lease.name(), lease.holder() + (lease.holder().equals(l.holderName()) ? " (this one)" : ""),
                    lease.acquiredAt(), lease.expiresAt(), lease.expiresAt().isAfter(now) ? "held" : "expired: the next instance to ask takes it");
        }
        table.print(System.out);
        System.out.println("This instance: " + l.holderName() + (l.leases().isEmpty()
                ? " (on embedded Derby it is the only one and holds every lease; on PostgreSQL the leases are listed "
                + "once taken)" : ""));
        return null;
    }
}
