package org.medsettle.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * The files a folder route reads (the HIS file exchange, the import folders): plain files only, never through a
 * symbolic link (whoever may write into the folder could otherwise have the node read any file it can, its keys among
 * them), never a pipe or a device (opening a pipe waits for a writer: the folder's route would stop there).
 */
public final class PlainFiles {

    /** A file that is a symbolic link, a device, a pipe or a folder: not read. */
    public static final class NotPlain extends IOException {
        private static final long serialVersionUID = 1L;

        NotPlain(String message) {
            super(message);
        }
    }

    private PlainFiles() {
    }

    /**
     * {@code file} opened for reading, without following a symbolic link and only if it is a plain file; the
     * exception's message says what it is instead ({@code "is a symbolic link"}, {@code "is not a plain file (a device
     * or a pipe)"}).
     */
    public static InputStream open(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new NotPlain("is a symbolic link");
        }
        if (!attributes.isRegularFile()) {
            throw new NotPlain("is not a plain file (" + (attributes.isDirectory() ? "a folder" : "a device or a pipe")
                    + ")");
        }
        try {
            return Channels.newInputStream(Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS)));
        } catch (FileSystemException e) {
            if (Files.isSymbolicLink(file)) { // made a link since it was looked at
                throw new NotPlain("is a symbolic link");
            }
            throw e;
        }
    }

    /**
     * The bytes of {@code file} as {@link #open} reads them; null when it has more than {@code max} bytes (no more
     * than {@code max + 1} are read, whatever its size said).
     */
    public static byte[] readAtMost(Path file, int max) throws IOException {
        try (InputStream in = open(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            return bytes.length > max ? null : bytes;
        }
    }
}
