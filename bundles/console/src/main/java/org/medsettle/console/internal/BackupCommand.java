package org.medsettle.console.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.store.Actor;
import org.medsettle.api.store.AuditEvent;
import org.medsettle.api.store.AuditLog;
import org.medsettle.api.store.Database;
import org.osgi.framework.BundleContext;

/** {@code medsettle:backup}: a consistent online copy of the embedded database, while the node keeps serving. */
@Service
@Command(scope = "medsettle", name = "backup", description = "Copy the embedded database online into a new directory (administrators)")
public class BackupCommand extends ConsoleAction {

    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneId.systemDefault());

    @Argument(name = "directory", description = "where to put the copy; default backups/<time> beside the appliance")
    String directory;

    @Reference(optional = true)
    Database database;

    @Reference(optional = true)
    AuditLog audit;

    @Reference
    BundleContext context;

    @Override
    protected Object run() {
        Services.require(database, Services.STORE);
        Services.require(audit, Services.STORE);
        Instant now = Instant.now();
        Path target = directory != null ? Path.of(directory)
                : Path.of(context.getProperty("karaf.base"), "backups", STAMP.format(now));
        Path copy = database.backup(target);
        Actor actor = Actor.console(ShellUtil.getCurrentUserName());
        audit.record(new AuditEvent(now, actor.name(), actor.channel(), "DATABASE_BACKED_UP",
                "", "online backup to " + copy));
        System.out.println("Backed up " + database.location() + " to " + copy);
        return null;
    }
}
