package org.medsettle.instance.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import org.medsettle.api.instance.InstanceKeys;
import org.medsettle.api.link.Signatures;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's Ed25519 key pair in {@code etc/keys/instance-ed25519.key} (private, owner-only) and {@code .pub}:
 * made at the first start, kept across restarts, upgrades and {@code bin/karaf clean}.
 */
@Component(service = InstanceKeys.class)
public class InstanceKeysComponent implements InstanceKeys {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceKeysComponent.class);

    private final PrivateKey privateKey;
    private final String publicKey;

    @Activate
    public InstanceKeysComponent(BundleContext context) {
        this(Path.of(context.getProperty("karaf.etc") == null ? "etc" : context.getProperty("karaf.etc"), "keys"));
    }

    InstanceKeysComponent(Path dir) {
        Path key = dir.resolve("instance-ed25519.key");
        Path pub = dir.resolve("instance-ed25519.pub");
        try {
            if (!Files.exists(key)) {
                Files.createDirectories(dir);
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                Files.writeString(key, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()) + "\n");
                try {
                    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    LOG.debug("file system without POSIX permissions: {}", key);
                }
                Files.writeString(pub, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()) + "\n");
                LOG.info("Made this instance's signing key {} (fingerprint {})", key,
                        Signatures.fingerprint(Files.readString(pub)));
            }
            privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(Files.readString(key, StandardCharsets.US_ASCII).strip())));
            publicKey = Files.readString(pub, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the instance key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the instance key in " + dir + " is unusable: " + e.getMessage(), e);
        }
    }

    @Override
    public String publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the instance key", e);
        }
    }
}
