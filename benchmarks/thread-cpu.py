#!/usr/bin/env python3
# Where each process's CPU went between two snapshots, by thread (from /proc/<pid>/task/*/stat: user + system
# ticks), grouped by thread name: Jetty's request threads, the JIT compiler threads, the garbage collector, ...
# Unlike a JFR recording it changes nothing in the JVMs it looks at.
#
#   python3 benchmarks/thread-cpu.py snap before.json <pid> [<pid> ...]
#   ./run.sh settlements 16 3000
#   python3 benchmarks/thread-cpu.py snap after.json <pid> [<pid> ...]
#   python3 benchmarks/thread-cpu.py diff before.json after.json
import collections, json, os, re, sys


def snap(pids):
    out = {}
    for pid in pids:
        threads = {}
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                name = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
                stat = open(f"/proc/{pid}/task/{tid}/stat").read()
            except OSError:
                continue  # the thread ended meanwhile
            fields = stat[stat.rindex(")") + 2:].split()
            threads[tid] = (name, int(fields[11]) + int(fields[12]))
        cmd = open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
        where = re.search(r"run/[\w-]+", cmd)
        out[pid] = {"process": where.group(0) if where else cmd[:60], "threads": threads}
    return out


def group(name):
    name = re.sub(r"\d+", "N", name)
    for prefix, label in (("qtp", "Jetty request threads (qtp)"), ("CN CompilerThre", "JIT compiler threads"),
                          ("GC Thread", "GC"), ("GN Conc", "GC"), ("GN Refine", "GC"), ("GN Main Marker", "GC"),
                          ("GN Service", "GC"), ("VM Thread", "VM thread (safepoints)")):
        if name.startswith(prefix):
            return label
    return name


def diff(before, after):
    ticks = os.sysconf("SC_CLK_TCK")
    for pid, now in after.items():
        then = before.get(pid, {"threads": {}})["threads"]
        by = collections.Counter()
        for tid, (name, t) in now["threads"].items():
            by[group(name)] += t - then.get(tid, (name, 0))[1]
        total = sum(by.values())
        print(f"{now['process']} (pid {pid}): {total / ticks:.1f} s of CPU")
        for name, t in by.most_common(8):
            print(f"  {100 * t / max(total, 1):5.1f} %  {name}")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "snap":
        json.dump(snap(sys.argv[3:]), open(sys.argv[2], "w"))
    elif len(sys.argv) == 4 and sys.argv[1] == "diff":
        diff(json.load(open(sys.argv[2])), json.load(open(sys.argv[3])))
    else:
        sys.exit(__doc__ or "usage: thread-cpu.py snap <file> <pid>... | diff <before> <after>")
