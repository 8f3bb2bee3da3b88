package org.medsettle.store.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * For tests of requests that race (two instances of a node, a clerk and the agency at the same moment): runs calls
 * each on a thread of its own, released together by a barrier, and waits for all of them.
 */
public final class AtOnce {

    private AtOnce() {
    }

    /**
     * Runs {@code calls} at once.
     *
     * @return each call's result, in the order of {@code calls}
     * @throws Exception what the first call (in that order) that failed threw, as it threw it; a call that is to
     *                   refuse should catch its refusal and return it
     */
    public static <T> List<T> run(List<? extends Callable<? extends T>> calls) throws Exception {
        CyclicBarrier together = new CyclicBarrier(calls.size());
        List<Callable<T>> released = new ArrayList<>();
        for (Callable<? extends T> call : calls) {
            released.add(() -> {
                together.await();
                return call.call();
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(released)) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception thrown) {
                        throw thrown;
                    }
                    throw (Error) e.getCause();
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
