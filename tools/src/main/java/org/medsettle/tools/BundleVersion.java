package org.medsettle.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * A new version of a built bundle: the same classes and resources with another {@code Bundle-Version}, for
 * exercising an update of a running node ({@code ./run.sh swap}: {@code bundle:update <name> file:<jar>}).
 *
 * <pre>
 *   java -cp medsettle-tools-all.jar org.medsettle.tools.BundleVersion &lt;bundle.jar&gt; &lt;new.jar&gt; &lt;version&gt;
 * </pre>
 */
public final class BundleVersion {

    /** An OSGi version: major[.minor[.micro[.qualifier]]]. */
    static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+(\\.\\d+(\\.[0-9A-Za-z_-]+)?)?)?");

    private BundleVersion() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: BundleVersion <bundle.jar> <new.jar> <version>");
            System.exit(2);
        }
        String previous = write(Path.of(args[0]), Path.of(args[1]), args[2]);
        System.out.println(args[1] + ": Bundle-Version " + previous + " -> " + args[2]);
    }

    /** Writes {@code target} as {@code source} with {@code version}; answers the source's version. */
    static String write(Path source, Path target, String version) throws IOException {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not an OSGi version: " + version);
        }
        try (JarFile in = new JarFile(source.toFile())) {
            Manifest manifest = in.getManifest();
            if (manifest == null || manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                throw new IllegalArgumentException(source + " is not a bundle (no Bundle-SymbolicName)");
            }
            Attributes main = manifest.getMainAttributes();
            String previous = main.getValue("Bundle-Version");
            main.putValue("Bundle-Version", version);
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (OutputStream file = Files.newOutputStream(target);
                 JarOutputStream out = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = in.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME) || e.getName().equalsIgnoreCase("META-INF/")) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream data = in.getInputStream(e)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            return previous;
        }
    }
}
