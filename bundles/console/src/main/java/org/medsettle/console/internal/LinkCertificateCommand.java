package org.medsettle.console.internal;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.medsettle.api.instance.LinkCertificate;

/**
 * {@code medsettle:link-certificate}: the SHA-256 fingerprint of this instance's link certificate — what the other
 * side registers (a node's at the hub with {@code hub-node-add}, the hub's at every node as
 * {@code MEDSETTLE_HUB_CERT}). Only the fingerprint on its first line, so that scripts can take it;
 * {@code --details} adds the subject, the validity and the certificate itself (PEM, public). Read-only: the key never
 * leaves {@code etc/keys/link.p12}.
 */
@Service
@Command(scope = "medsettle", name = "link-certificate", description = "Print the SHA-256 fingerprint of this instance's link certificate (mutual TLS)")
public class LinkCertificateCommand extends ConsoleAction {

    @Option(name = "--details", description = "also print the subject, the validity and the certificate (PEM)")
    boolean details;

    @Reference(optional = true)
    LinkCertificate certificate;

    @Override
    protected Object run() throws Exception {
        LinkCertificate c = Services.require(certificate, "the instance's link certificate (feature medsettle-instance)");
        // an expired certificate is still shown (with its problem under --details); a missing one is an error
        X509Certificate x = c.certificate();
        System.out.println(c.fingerprint());
        if (details) {
            System.out.println("subject     " + x.getSubjectX500Principal().getName());
            System.out.println("valid from  " + x.getNotBefore().toInstant());
            System.out.println("valid until " + x.getNotAfter().toInstant());
            System.out.println("key store   " + c.keyStore());
            c.problem().ifPresent(p -> System.out.println("PROBLEM     " + p));
            System.out.print(pem(x));
        }
        return null;
    }

    static String pem(X509Certificate x) throws CertificateEncodingException {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(x.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
