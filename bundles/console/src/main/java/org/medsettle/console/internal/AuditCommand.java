package org.medsettle.console.internal;

import static org.medsettle.api.PlainText.shown;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.AuditRecord;

/** {@code medsettle:audit}: the newest business events of the audit trail. */
@Service
@Command(scope = "medsettle", name = "audit", description = "Show the newest events of the audit trail")
public class AuditCommand extends ConsoleAction {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Option(name = "-n", aliases = "--limit", description = "how many events (1 to 10000)")
    int limit = 20;

    @Option(name = "-t", aliases = "--type", description = "only events of this type, e.g. INSTANCE_STARTED")
    String type;

    @Reference(optional = true)
    AuditLog audit;

    @Override
    protected Object run() {
        Services.require(audit, Services.STORE);
        ShellTable table = new ShellTable();
        table.column("ID").alignRight();
        table.column("Time");
        table.column("Type");
        table.column("Actor");
        table.column("Channel");
        table.column("Subject");
        table.column("Detail").maxSize(80).wrap();
        var records = audit.recent(limit, Optional.ofNullable(type));
        for (AuditRecord r : records) {
            table.addRow().addContent(r.id(), TIME.format(r.event().at()), r.event().type(), shown(r.event().actor()),
                    r.event().channel(), shown(r.event().subject()), shown(r.event().detail()));
        }
        table.print(System.out);
        if (records.isEmpty() && type != null) {
            System.out.println(noneOfType(type));
        }
        return null;
    }

    /** Said under an empty table for {@code -t}: a type mistyped (in lower case, say) would otherwise look like none. */
    static String noneOfType(String type) {
        return "no event of type " + type + " in the audit trail (types are written in capitals, e.g. "
                + "CONSOLE_COMMAND or FILING_ADDED; medsettle:audit without -t shows those of the newest events)";
    }
}
