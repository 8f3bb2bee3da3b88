package org.medsettle.metrics.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which addresses may read the metrics: a list of addresses and networks ({@code 127.0.0.1/8, ::1, 10.1.2.0/24}),
 * IPv4 and IPv6, written as literals (no names looked up). Nothing else may.
 */
final class AddressRule {

    private record Network(byte[] address, int prefix) {
    }

    private final List<Network> networks;
    private final String text;

    private AddressRule(List<Network> networks, String text) {
        this.networks = List.copyOf(networks);
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException naming the entry that is not an address literal with an optional prefix
     */
    static AddressRule parse(String list) {
        List<Network> networks = new ArrayList<>();
        for (String raw : list == null ? new String[0] : list.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            String host = entry;
            int prefix = -1;
            int slash = entry.indexOf('/');
            if (slash >= 0) {
                host = entry.substring(0, slash);
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + entry + "': the prefix after / is not a number");
                }
            }
            if (!isLiteral(host)) {
                throw new IllegalArgumentException("'" + entry + "' is not an IPv4 or IPv6 address (names are not "
                        + "looked up)");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + entry + "' is not an IPv4 or IPv6 address");
            }
            int bits = bytes.length * 8;
            if (prefix == -1) {
                prefix = bits;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + entry + "': the prefix must be 0 to " + bits);
            }
            networks.add(new Network(bytes, prefix));
        }
        return new AddressRule(networks, String.join(", ", networks.stream().map(AddressRule::format).toList()));
    }

    private static String format(Network n) {
        try {
            return InetAddress.getByAddress(n.address()).getHostAddress() + "/" + n.prefix();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the address (a literal, as the servlet container gives it) is in one of the networks. */
    boolean allows(String remote) {
        if (remote == null) {
            return false;
        }
        String literal = remote.startsWith("[") && remote.endsWith("]") ? remote.substring(1, remote.length() - 1)
                : remote;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        if (!isLiteral(literal)) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        for (Network n : networks) {
            if (n.address().length == bytes.length && samePrefix(n.address(), bytes, n.prefix())) {
                return true;
            }
        }
        return false;
    }

    /** An IPv4 (dotted) or IPv6 literal: never a name, which would be looked up. */
    private static boolean isLiteral(String host) {
        return host.contains(":") ? host.matches("[0-9a-fA-F:.]+") : host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static boolean samePrefix(byte[] a, byte[] b, int prefix) {
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (b[full] & mask);
    }

    @Override
    public String toString() {
        return text.isEmpty() ? "nobody" : text;
    }
}
