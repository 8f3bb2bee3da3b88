package org.medsettle.store.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Proxies of JDBC interfaces for the data sources that watch what a test's code does ({@link CountingDataSource},
 * {@link QueryPlans}): every call goes to the real object, seen first by a handler; {@code unwrap} and
 * {@code isWrapperFor} go straight through.
 */
final class JdbcProxies {

    private JdbcProxies() {
    }

    /** Sees a call to {@code target} and answers it, usually through {@link #call}. */
    interface Handler {
        Object invoke(Object target, Method method, Object[] args) throws Throwable;
    }

    static <T> T proxy(Class<T> type, T target, Handler handler) {
        InvocationHandler h = (p, method, args) -> {
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                return call(target, method, args);
            }
            return handler.invoke(target, method, args);
        };
        return type.cast(Proxy.newProxyInstance(JdbcProxies.class.getClassLoader(), new Class<?>[] {type}, h));
    }

    /** The call on the real object, its exception thrown as it is. */
    static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
