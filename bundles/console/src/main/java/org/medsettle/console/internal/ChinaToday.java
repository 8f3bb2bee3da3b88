package org.medsettle.console.internal;

import java.time.Clock;
import java.time.LocalDate;

import org.medsettle.api.maintenance.MaintenanceText;

/**
 * "Today" of the console's defaults (a filing's first day, the year of accumulators, the date a policy or a catalogue
 * entry is shown for): the date in China (Asia/Shanghai), as the nodes' settlements, filings and clearing read it,
 * whatever zone the server runs in — on a server in UTC the date in China changes at 16:00, and a default taken from
 * the machine's zone would name yesterday (on 1 January, last year).
 */
final class ChinaToday {

    private ChinaToday() {
    }

    static LocalDate today() {
        return today(Clock.systemUTC());
    }

    static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(MaintenanceText.CHINA));
    }
}
