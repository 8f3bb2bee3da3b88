package org.medsettle.support.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import org.apache.camel.component.servlet.CamelHttpTransportServlet;
import org.junit.jupiter.api.Test;
import org.ops4j.pax.web.service.WebContainer;
import org.osgi.service.http.HttpService;

/**
 * Camel's servlet goes to Pax Web as supporting async requests — for each request, Jetty would otherwise format the
 * name of the wrapper it puts around a servlet that does not (String.format per request) — under its servlet name;
 * a plain OSGi HttpService gets it the standard way.
 */
class ServletFrontTest {

    private record Call(String method, Object[] args) {
    }

    private static <T> T recording(Class<T> type, List<Call> calls) {
        return type.cast(Proxy.newProxyInstance(ServletFrontTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    calls.add(new Call(method.getName() + "/" + method.getParameterCount(), args));
                    return defaultValue(method);
                }));
    }

    private static Object defaultValue(Method method) {
        return method.getReturnType() == boolean.class ? false : null;
    }

    @Test
    void onPaxWebTheServletIsRegisteredAsSupportingAsyncRequestsUnderItsName() throws Exception {
        List<Call> calls = new ArrayList<>();
        new ServletFront(recording(WebContainer.class, calls), "medsettle-hub", "/medsettle/link").open();

        assertEquals(1, calls.size(), calls::toString);
        Call call = calls.get(0);
        assertEquals("registerServlet/6", call.method());
        assertEquals("/medsettle/link", call.args()[0]);
        assertInstanceOf(CamelHttpTransportServlet.class, call.args()[1]);
        assertEquals("medsettle-hub", ((Dictionary<?, ?>) call.args()[2]).get("servlet-name"));
        assertEquals(Boolean.TRUE, call.args()[4], "asyncSupported");
    }

    @Test
    void onAPlainHttpServiceTheServletIsRegisteredTheStandardWay() throws Exception {
        List<Call> calls = new ArrayList<>();
        new ServletFront(recording(HttpService.class, calls), "medsettle-his", "/fsi").open();

        assertEquals(1, calls.size(), calls::toString);
        assertEquals("registerServlet/4", calls.get(0).method());
        assertEquals("medsettle-his", ((Dictionary<?, ?>) calls.get(0).args()[2]).get("servlet-name"));
    }
}
