package org.medsettle.console.internal;

import static org.medsettle.api.PlainText.shown;

import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.medsettle.api.BusinessClock;
import org.medsettle.api.insured.InsuredLedger;
import org.medsettle.api.model.Person;
import org.medsettle.api.person.PersonRegistry;

/** {@code medsettle:person-show <psn_no | certno>}: one insured person of this province. */
@Service
@Command(scope = "medsettle", name = "person-show", description = "Show an insured person of this province by psn_no or ID number")
public class PersonShowCommand extends ConsoleAction {

    @Argument(index = 0, name = "id", required = true, description = "psn_no, or certno (18-character ID number)")
    String id;

    @Reference(optional = true)
    PersonRegistry persons;

    @Reference(optional = true)
    InsuredLedger ledger;

    @Override
    protected Object run() {
        Services.require(persons, PersonImportCommand.PERSONS);
        Optional<Person> found = id.strip().length() == 18 ? persons.byCertno(id) : Optional.empty();
        Person p = found.or(() -> persons.byPsnNo(id))
                .orElseThrow(() -> new IllegalStateException("no insured person of this province with psn_no or certno " + id));
        ShellTable table = new ShellTable().noHeaders();
        table.column("What");
        table.column("Value");
        table.addRow().addContent("psn_no", p.psnNo());
        table.addRow().addContent("certno", p.certno());
        table.addRow().addContent("psn_name", shown(p.name()));
        table.addRow().addContent("gend / brdy", p.gender() + " / " + p.birthDate());
        table.addRow().addContent("insutype / psn_type", p.insuranceType().code() + " / " + p.personType().code());
        table.addRow().addContent("assistance", p.assistance().code().isEmpty() ? "none" : p.assistance().code());
        table.addRow().addContent("insuplc_admdvs", p.insuredPlace());
        table.addRow().addContent("emp_name", shown(p.employer()));
        table.addRow().addContent("acct balance", ledger == null ? "- (the insured place is not running)"
                : ledger.accumulators(p.psnNo(), BusinessClock.today().getYear())
                .accountBalance().toString());
        table.addRow().addContent("imported balance", persons.accountBalance(p.psnNo()).map(Object::toString).orElse("-"));
        table.print(System.out);
        return null;
    }
}
