package org.medsettle.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

/** What the list commands say about their options before they ask any service. */
class ListLimitsTest {

    @Test
    void theOutboxRefusesACountOutsideOneToAThousandInsteadOfShowingOneNotice() {
        for (int n : new int[] {-1, 0, 1001}) {
            OutboxCommand command = new OutboxCommand();
            command.limit = n;
            CommandException e = assertThrows(CommandException.class, command::execute);
            assertEquals("-n: from 1 to 1000 notices, not " + n, e.getMessage());
        }
    }

    @Test
    void theOutboxWithinItsLimitsAsksTheLink() {
        OutboxCommand command = new OutboxCommand();
        command.limit = 1000;
        CommandException e = assertThrows(CommandException.class, command::execute);
        assertTrue(e.getMessage().contains("is not available"), e.getMessage());
    }

    @Test
    void aCatalogueLookUpOfACodeNoFeeLineCouldNameIsRefusedNotAnsweredAsPaidInFullByThePatient() {
        for (String code : new String[] {"ZZ 06", "西药01", "X".repeat(61)}) {
            CatalogueLookupCommand command = new CatalogueLookupCommand();
            command.code = code;
            CommandException e = assertThrows(CommandException.class, command::execute);
            assertTrue(e.getMessage().startsWith("code must be 1 to 60 letters, digits, '.', '_' or '-', a national "
                    + "list code (med_list_codg) as a fee line names it: '"), e.getMessage());
            assertTrue(e.getMessage().length() < 200, e.getMessage());
        }
        // a code of the right form asks the catalogue
        CatalogueLookupCommand command = new CatalogueLookupCommand();
        command.code = "X".repeat(60);
        CommandException e = assertThrows(CommandException.class, command::execute);
        assertTrue(e.getMessage().contains("is not available"), e.getMessage());
    }

    @Test
    void anEmptyAuditListOfATypeSaysTypesAreInCapitals() {
        String said = AuditCommand.noneOfType("console_command");
        assertTrue(said.startsWith("no event of type console_command in the audit trail"), said);
        assertTrue(said.contains("CONSOLE_COMMAND"), said);
    }
}
