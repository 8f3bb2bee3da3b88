#!/usr/bin/env python3
"""What Derby did for each statement a running instance executed, from its plan log.

Start the instance with Derby's plan log on (slow: for finding statements, not for measuring), drive some load,
stop it, then summarise the log:

    EXTRA_JAVA_OPTS=-Dderby.language.logQueryPlan=true ./run.sh        # or bin/medsettle-start
    ./run.sh load 15 4
    python3 benchmarks/derby-plans.py run/node-330000/data/log/derby-*.log

One entry per distinct statement (its first 200 characters), the statements that visit the most rows per execution
first: how often it ran, the rows its scans visited per execution, and whether it read a whole table (TABLESCAN,
with the table) or sorted (SORT). A statement whose rows per execution grow with a table that only grows — every
settlement, notice, audit event, flag — is one to give an index or a bound (docs/stack.md, traps 66 and 67).
"""
import collections
import re
import sys


def main(paths):
    stats = collections.defaultdict(collections.Counter)
    for path in paths:
        text = open(path, errors='replace').read()
        entries = re.split(r'\n(?=\w{3} \w{3} \d\d \d\d:\d\d:\d\d \w+ \d{4} Thread\[)', text)
        for entry in entries:
            m = re.search(r'\(SESSIONID = \d+\), (.*?) \*{7} ', entry, re.S)
            if not m:
                continue
            sql = ' '.join(m.group(1).split())[:200]
            s = stats[sql]
            s['n'] += 1
            for table in re.findall(r'Table Scan ResultSet for (\w+)', entry):
                s['TABLESCAN ' + table] += 1
            if 'Sort ResultSet' in entry:
                s['SORT'] += 1
            for rows in re.findall(r'Number of rows visited=(\d+)', entry):
                s['rows_visited'] += int(rows)
    for sql, s in sorted(stats.items(), key=lambda kv: -kv[1]['rows_visited'] / kv[1]['n']):
        flags = ' '.join(f'{k}={v}' for k, v in s.items() if k not in ('n', 'rows_visited'))
        print(f"{s['n']:7d} x  {s['rows_visited'] / s['n']:10.1f} rows visited each  {flags}\n          {sql}")


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
