package org.medsettle.link.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import org.apache.camel.spi.Registry;
import org.medsettle.link.internal.wire.LinkClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker between a node and its hub (Resilience4j, used by Camel's Circuit Breaker EIP in route
 * {@code link-send}). It counts only sends that could not reach the hub at all ({@link LinkClient.Unreachable}: refused
 * connection, time-out, TLS failure); an answer — a refusal, or the hub's 502 about another node — counts as the hub
 * being there. When at least half of the last {@value #WINDOW} sends (at least {@value #MINIMUM} of them) could not
 * reach the hub, it opens: for {@code openFor}, exchanges are answered at once "not tried" instead of each waiting for
 * its time-out — a clerk's 2303 gets its {@code -1} in milliseconds, the outbox waits — then one exchange tries
 * whether the hub is back (half open): it closes the breaker if it reached the hub, opens it again if not. Every change
 * is a log line.
 */
public final class LinkBreaker implements LinkClient.Breaker {

    static final int WINDOW = 20;
    static final int MINIMUM = 10;
    static final float FAILURE_RATE = 50f;
    /**
     * One exchange tries whether the peer is back, and decides (as Hystrix's single test request): closed if it
     * reached the peer, open again at once if not. With three, trials that failed while the peer was still starting
     * stayed counted until the third came — on a quiet node, the first exchange after the peer was back, which then
     * found two failures of three and opened the breaker again for {@code openFor} (CI, 2026-12-04).
     */
    static final int TRIES_WHEN_HALF_OPEN = 1;

    private static final Logger LOG = LoggerFactory.getLogger(LinkBreaker.class);

    private final String ref = "medsettle-link-breaker-" + UUID.randomUUID();
    private final CircuitBreaker breaker;
    private final Duration openFor;
    private final Clock clock;
    private volatile Instant since;

    public LinkBreaker(String peer, Duration openFor, Clock clock) {
        this.openFor = openFor;
        this.clock = clock;
        this.since = clock.instant();
        breaker = CircuitBreaker.of(ref, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(MINIMUM)
                .failureRateThreshold(FAILURE_RATE)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(TRIES_WHEN_HALF_OPEN)
                .recordException(LinkBreaker::unreachable)
                .writableStackTraceEnabled(false)
                .build());
        breaker.getEventPublisher().onStateTransition(event -> {
            since = clock.instant();
            switch (event.getStateTransition().getToState()) {
                case OPEN -> LOG.warn("Circuit breaker to {} OPEN: {}; for {} s exchanges are answered at once "
                        + "without trying (HIS requests that need it get -1, the outbox waits), then one tries again",
                        peer, reason(), openFor.toSeconds());
                case HALF_OPEN -> LOG.info("Circuit breaker to {} HALF OPEN: the next exchange tries whether it is back", peer);
                case CLOSED -> LOG.info("Circuit breaker to {} CLOSED: it answers again", peer);
                default -> LOG.info("Circuit breaker to {}: {}", peer, event.getStateTransition());
            }
        });
    }

    /** Whether a failure is one that counts: the hub could not be reached (the exception or one of its causes). */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LinkClient.Unreachable) {
                return true;
            }
        }
        return false;
    }

    /** Binds the breaker in {@code registry} under {@link #ref()}, for the route. */
    public LinkBreaker bind(Registry registry) {
        registry.bind(ref, CircuitBreaker.class, breaker);
        return this;
    }

    @Override
    public String ref() {
        return ref;
    }

    @Override
    public String whyOpen() {
        long left = Math.max(0, openFor.minus(Duration.between(since, clock.instant())).toSeconds());
        return reason() + " (circuit breaker " + breaker.getState() + " since " + since + (breaker.getState()
                == CircuitBreaker.State.OPEN ? ", tried again in about " + left + " s" : "") + "); nothing was done";
    }

    /**
     * Why the breaker is not closed, from its metrics (an open breaker keeps those of the state it left): the share of
     * the last sends that failed, or the one trial that failed.
     */
    private String reason() {
        if (breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            return "an exchange is trying whether it is back";
        }
        int calls = breaker.getMetrics().getNumberOfBufferedCalls();
        if (calls > 0 && calls <= TRIES_WHEN_HALF_OPEN && breaker.getMetrics().getNumberOfFailedCalls() == calls) {
            return "the exchange that tried whether it is back could not reach it";
        }
        float rate = breaker.getMetrics().getFailureRate();
        return "it could not be reached in " + (rate < 0 ? "most" : Math.round(rate) + " %") + " of the last " + calls
                + " sends";
    }

    /** The state for {@code link-status} and health: CLOSED, OPEN or HALF_OPEN, since when, and the failure rate. */
    public String state() {
        float rate = breaker.getMetrics().getFailureRate();
        return breaker.getState() + " since " + since + (rate < 0 ? "" : " (" + Math.round(rate) + " % of the last "
                + breaker.getMetrics().getNumberOfBufferedCalls() + " sends could not reach it)");
    }
}
