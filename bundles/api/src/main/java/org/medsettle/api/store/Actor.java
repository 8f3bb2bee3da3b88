package org.medsettle.api.store;

import java.util.Objects;

/**
 * Who makes a change and through what: travels with every change that leaves an audit record, so that the
 * record names both.
 *
 * @param name    a console user, a hospital code, a route name, {@code system}
 * @param channel how the change came in
 */
public record Actor(String name, AuditChannel channel) {

    public Actor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an actor needs a name");
        }
        Objects.requireNonNull(channel, "channel");
    }

    /** A console user; {@code console} when the session has no user name. */
    public static Actor console(String user) {
        return new Actor(user == null || user.isBlank() ? "console" : user, AuditChannel.CONSOLE);
    }

    /** A file route, by its name. */
    public static Actor file(String route) {
        return new Actor(route, AuditChannel.FILE);
    }
}
