package org.medsettle.api.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A business event for the audit trail: who did what, when, through which channel, to what.
 * Never carries personal data beyond identifiers (no names, no ID numbers in {@code detail}).
 *
 * @param at      when it happened
 * @param actor   who: a console user, a hospital code, a node code, {@code system}
 * @param channel through what
 * @param type    what kind of event, e.g. {@code INSTANCE_STARTED}, {@code FILING_ADDED}, {@code SETTLED}
 * @param subject what it concerns, e.g. a filing id or {@code setl_id}
 * @param detail  free text for people, at most 2000 characters
 */
public record AuditEvent(Instant at, String actor, AuditChannel channel, String type, String subject, String detail) {

    public static final int MAX_DETAIL = 2000;

    public AuditEvent {
        Objects.requireNonNull(at, "at");
        requireText(actor, "actor", 64);
        Objects.requireNonNull(channel, "channel");
        requireText(type, "type", 64);
        subject = subject == null ? "" : subject;
        detail = detail == null ? "" : detail;
        if (subject.length() > 128) {
            throw new IllegalArgumentException("audit subject longer than 128 characters");
        }
        if (detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 1) + "…";
        }
    }

    private static void requireText(String value, String name, int max) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("audit " + name + " is required");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException("audit " + name + " longer than " + max + " characters");
        }
    }
}
