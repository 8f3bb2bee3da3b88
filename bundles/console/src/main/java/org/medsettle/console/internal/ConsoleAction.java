package org.medsettle.console.internal;

import java.util.ConcurrentModificationException;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;

/**
 * What every medsettle console command does with a failure: a refusal — bad input, nothing found, a check that says
 * UNHEALTHY or INVALID, a service not running, the hub not answering: any exception but a programming error —
 * reaches Karaf as its {@link CommandException}. The console prints {@code Error executing command: <why>} as
 * before and the exit status is 1, but Karaf logs it at DEBUG: before, every one was an ERROR with its whole stack
 * trace in {@code karaf.log} (Karaf's {@code ShellUtil}), so a mistyped filing id, a script polling
 * {@code medsettle:health} on a node that is starting, or a read-only user trying commands filled the log with
 * ERRORs an operator could not act on. A programming error ({@link #bug}) still goes to the log at ERROR with its
 * stack trace. The audit trail records the failure's reason as before ({@link ConsoleAudit}: the message, unprefixed).
 */
abstract class ConsoleAction implements Action {

    static final String PREFIX = "Error executing command: ";

    @Override
    public final Object execute() throws Exception {
        try {
            return run();
        } catch (Exception e) {
            throw refusalOrBug(e);
        }
    }

    /** The command itself: what it prints, or an exception saying why it refused. */
    protected abstract Object run() throws Exception;

    /** {@code e} as the console should see it: a refusal as Karaf's {@link CommandException}, anything else as is. */
    static Exception refusalOrBug(Exception e) {
        if (e instanceof CommandException || e instanceof SecurityException || e instanceof InterruptedException
                || bug(e)) {
            return e;
        }
        String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                : e.getMessage();
        return new CommandException(PREFIX + message, message, e);
    }

    /** Whether {@code e} says the code is wrong rather than the input or the node's state. */
    static boolean bug(Exception e) {
        return e instanceof NullPointerException || e instanceof ClassCastException
                || e instanceof IndexOutOfBoundsException || e instanceof ArithmeticException
                || e instanceof UnsupportedOperationException || e instanceof ConcurrentModificationException
                || e instanceof IllegalMonitorStateException || e instanceof ArrayStoreException
                || e instanceof NegativeArraySizeException;
    }
}
