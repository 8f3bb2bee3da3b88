package org.medsettle.console.internal;

import java.util.Locale;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.ShellUtil;
import org.medsettle.api.store.Actor;
import org.medsettle.api.supervision.Supervision;

/**
 * {@code medsettle:supervision-review --comment c <flag_id> confirmed|dismissed} (administrators): records the review
 * of a flag, once; audited.
 */
@Service
@Command(scope = "medsettle", name = "supervision-review", description = "Review a supervision flag: confirmed (the finding holds, a matter for the agency) or dismissed (explained), with a comment (administrators; audited)")
public class SupervisionReviewCommand extends ConsoleAction {

    @Argument(index = 0, name = "flag_id", required = true, description = "the flag, as supervision-flags lists it")
    String flagId;

    @Argument(index = 1, name = "review", required = true, description = "confirmed or dismissed")
    String review;

    @Option(name = "--comment", required = true, description = "what the review found")
    String comment;

    @Reference(optional = true)
    Supervision supervision;

    @Override
    protected Object run() {
        Supervision s = Services.require(supervision, SupervisionFlagsCommand.SERVICE);
        Supervision.Review r = switch (review.strip().toLowerCase(Locale.ROOT)) {
            case "confirmed" -> Supervision.Review.CONFIRMED;
            case "dismissed" -> Supervision.Review.DISMISSED;
            default -> throw new IllegalArgumentException("review: confirmed or dismissed, not '" + review + "'");
        };
        Supervision.Flag f = s.review(SupervisionFlagsCommand.find(s, flagId).id(), r, comment,
                Actor.console(ShellUtil.getCurrentUserName()));
        System.out.println("Flag " + f.id() + " (" + f.rule().key() + ", visit " + f.mdtrtId() + ") "
                + f.review().name().toLowerCase(Locale.ROOT) + " by " + f.reviewedBy().orElse("?"));
        return null;
    }
}
