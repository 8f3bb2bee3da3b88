package org.medsettle.probe.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A placeholder's servlet: every method, every path under its alias answered with what {@code answers} gives for the
 * path after the alias (the request's body left unread), never cached.
 */
final class PlaceholderServlet extends HttpServlet {

    /** What a placeholder answers to one path: the status, whether to send {@code Retry-After: 1}, the body. */
    record Answer(int status, boolean retry, String contentType, String body) {
    }

    private static final long serialVersionUID = 1L;

    private final transient Function<String, Answer> answers;

    PlaceholderServlet(Function<String, Answer> answers) {
        this.answers = answers;
    }

    /**
     * The init parameters naming a placeholder's servlet: Pax Web names a servlet after its class unless told, and
     * refuses a second servlet of the same name in the context ("already contains servlet named …").
     */
    static java.util.Dictionary<String, String> named(String name) {
        java.util.Hashtable<String, String> init = new java.util.Hashtable<>();
        init.put("servlet-name", name);
        return init;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Answer answer = answers.apply(request.getPathInfo());
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        response.setStatus(answer.status());
        if (answer.retry()) {
            response.setHeader("Retry-After", "1");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(answer.contentType());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
