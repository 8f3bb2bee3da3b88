package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;

import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

class ConsoleActionTest {

    private static ConsoleAction failing(Exception e) {
        return new ConsoleAction() {
            @Override
            protected Object run() throws Exception {
                throw e;
            }
        };
    }

    @Test
    void aRefusalReachesKarafAsItsCommandExceptionPrintedAsBeforeWithItsPlainMessageForTheAudit() {
        for (Exception refusal : new Exception[] {new IllegalArgumentException("no filing abc"),
                new IllegalStateException("UNHEALTHY: 1 of 3 checks failed"), new IOException("no such file: x.csv")}) {
            CommandException e = assertThrows(CommandException.class, failing(refusal)::execute);
            assertEquals("Error executing command: " + refusal.getMessage(), e.getNiceHelp());
            assertEquals(refusal.getMessage(), e.getMessage());
            assertSame(refusal, e.getCause());
        }
        CommandException noMessage = assertThrows(CommandException.class,
                failing(new IllegalStateException())::execute);
        assertEquals("Error executing command: IllegalStateException", noMessage.getNiceHelp());
    }

    @Test
    void aProgrammingErrorOrADeniedCallStaysWhatItIsSoKarafLogsItAtError() {
        for (Exception e : new Exception[] {new NullPointerException("x"), new ClassCastException(),
                new IndexOutOfBoundsException(), new UnsupportedOperationException(), new SecurityException("no"),
                new CommandException("already one")}) {
            assertSame(e, assertThrows(Exception.class, failing(e)::execute));
        }
    }

    @Test
    void whatACommandReturnsIsPassedOn() throws Exception {
        ConsoleAction ok = new ConsoleAction() {
            @Override
            protected Object run() {
                return "done";
            }
        };
        assertEquals("done", ok.execute());
    }

    @Test
    void everyMedsettleCommandRefusesThroughConsoleAction() throws Exception {
        java.nio.file.Path classes = java.nio.file.Path.of(ConsoleAction.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).resolve("org/medsettle/console/internal");
        java.util.List<String> commands = new java.util.ArrayList<>();
        java.util.List<String> outside = new java.util.ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(classes)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                Class<?> c = Class.forName("org.medsettle.console.internal." + name.replace(".class", ""));
                if (c.isAnnotationPresent(org.apache.karaf.shell.api.action.Command.class)) {
                    commands.add(c.getSimpleName());
                    if (!ConsoleAction.class.isAssignableFrom(c)) {
                        outside.add(c.getSimpleName());
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(commands.size() >= 60, commands.toString());
        assertEquals(java.util.List.of(), outside);
    }
}
