package org.medsettle.store.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the migrations shipped in this bundle: {@code db/migration/index.txt} names the files in order. */
final class MigrationLoader {

    private final ClassLoader classLoader;
    private final String folder;

    MigrationLoader(ClassLoader classLoader, String folder) {
        this.classLoader = classLoader;
        this.folder = folder;
    }

    static MigrationLoader shipped() {
        return new MigrationLoader(MigrationLoader.class.getClassLoader(), "db/migration");
    }

    List<Migration> load() {
        List<Migration> migrations = new ArrayList<>();
        int expected = 1;
        for (String line : read("index.txt").split("\r?\n")) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Migration migration = Migration.fromFile(name, read(name));
            if (migration.version() != expected) {
                throw new IllegalStateException(folder + "/index.txt: expected V" + expected + " next but found " + name);
            }
            migrations.add(migration);
            expected++;
        }
        return List.copyOf(migrations);
    }

    private String read(String name) {
        String path = folder + "/" + name;
        try (InputStream in = classLoader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("migration resource missing: " + path);
            }
            StringBuilder text = new StringBuilder();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                reader.lines().forEach(l -> text.append(l).append('\n'));
            }
            return text.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration resource " + path, e);
        }
    }
}
