package org.medsettle.console.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the commands that read a file share: the file must be there, and a refused import lists every problem. */
final class InputFiles {

    private InputFiles() {
    }

    /**
     * @return the path of an existing regular file
     * @throws IllegalArgumentException naming the absolute path when there is no such file
     */
    static Path existing(String file) {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no such file: " + path.toAbsolutePath());
        }
        return path;
    }

    /** Prints every problem and fails the command: the import changed nothing. */
    static IllegalStateException refused(List<String> problems, Path path) {
        problems.forEach(p -> System.out.println("  " + p));
        return new IllegalStateException("REFUSED: " + problems.size() + " problem(s) in " + path.getFileName()
                + "; nothing was changed");
    }
}
