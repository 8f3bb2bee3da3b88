package org.medsettle.console.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** {@code medsettle:filing-client-add <name>}: a new client of the filing API and its key (printed once). */
@Service
@Command(scope = "medsettle", name = "filing-client-add", description = "Add a client of the filing API (an online service, the agency's counter) and print its key (administrators)")
public class FilingClientAddCommand implements Action {

    static final String PID = "org.medsettle.filing.api";

    @Argument(index = 0, name = "name", required = true, description = "letters, digits, - and _")
    String name;

    @Reference(optional = true)
    ConfigurationAdmin configurations;

    @Override
    public Object execute() throws IOException {
        Services.require(configurations, "Config Admin");
        if (!name.matches("[A-Za-z0-9_-]{1,40}")) {
            throw new IllegalArgumentException("a client name has 1 to 40 letters, digits, - or _");
        }
        Configuration config = configurations.getConfiguration(PID, null);
        Dictionary<String, Object> props = config.getProperties() == null ? new Hashtable<>() : config.getProperties();
        if (props.get("client." + name) != null) {
            throw new IllegalArgumentException("client " + name + " exists; remove its line from etc/" + PID + ".cfg to replace it");
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String encoded = Base64.getEncoder().encodeToString(key);
        props.put("client." + name, encoded);
        config.update(props);
        System.out.println(encoded);
        return null;
    }
}
