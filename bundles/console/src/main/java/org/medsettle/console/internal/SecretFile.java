package org.medsettle.console.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where a key goes when an administrator hands it over: a new file readable by the appliance's user only, on the
 * node's machine — never the console's output (a terminal's scrollback, a script's log, an SSH session recording).
 */
final class SecretFile {

    private SecretFile() {
    }

    /** Where {@code path} is: as given if absolute, else beside the instance ({@code karaf.base}). */
    static Path resolve(String path) {
        Path file = Path.of(path);
        return (file.isAbsolute() ? file : Path.of(System.getProperty("karaf.base", ".")).resolve(file)).normalize();
    }

    /**
     * Refuses a file that exists, before anything is changed (a key rotated or a client added whose key could then
     * not be handed over).
     *
     * @throws IllegalArgumentException if it exists
     */
    static void requireNew(String path) {
        if (Files.exists(resolve(path))) {
            throw new IllegalArgumentException(resolve(path) + " exists: give a new file (a key is never written over "
                    + "another file)");
        }
    }

    /**
     * Writes {@code secret} and a newline into the new file {@code path} (mode 600).
     *
     * @throws IllegalArgumentException if the file exists or cannot be written
     */
    static Path write(String path, String secret) {
        Path file = resolve(path);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(file + " exists: give a new file (a key is never written over another file)");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot make " + file + ": " + e.getMessage());
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write((secret + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getMessage());
        }
        return file;
    }
}
