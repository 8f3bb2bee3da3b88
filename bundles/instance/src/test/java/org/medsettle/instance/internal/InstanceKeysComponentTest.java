package org.medsettle.instance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medsettle.api.link.Signatures;

class InstanceKeysComponentTest {

    @TempDir
    Path dir;

    @Test
    void theKeyIsMadeOnceAndKeptAcrossStarts() {
        String first = new InstanceKeysComponent(dir).publicKey();
        assertEquals(first, new InstanceKeysComponent(dir).publicKey());
        assertTrue(dir.resolve("instance-ed25519.key").toFile().exists());
    }

    @Test
    void aSignatureVerifiesWithThePublicKeyAndOnlyForTheSameBytes() {
        InstanceKeysComponent keys = new InstanceKeysComponent(dir);
        byte[] body = "{\"type\":\"COVERAGE\"}".getBytes(StandardCharsets.UTF_8);
        String signature = Base64.getEncoder().encodeToString(keys.sign(body));
        assertTrue(Signatures.verify(keys.publicKey(), body, signature));
        assertFalse(Signatures.verify(keys.publicKey(), "{\"type\":\"APPLY\"}".getBytes(StandardCharsets.UTF_8), signature));
        assertFalse(Signatures.verify(new InstanceKeysComponent(dir.resolve("other")).publicKey(), body, signature));
        assertFalse(Signatures.verify(keys.publicKey(), body, "bm90IGEgc2lnbmF0dXJl"));
    }
}
