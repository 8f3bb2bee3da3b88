#!/usr/bin/env python3
# Where a process allocated during a JFR recording made with benchmarks/allocations.jfc: the allocation samples'
# weights (bytes the sampled thread allocated since its previous sample) summed - in all, per unit of work when the
# number of units in the recording's window is given, by library on the stack (inclusive), by allocated class, and
# by the innermost medsettle frame.
#   jfr print --json --events jdk.ObjectAllocationSample --stack-depth 48 rec.jfr > alloc.json
#   python3 benchmarks/jfr-allocations.py alloc.json [units]
import collections, json, sys

events = json.load(open(sys.argv[1]))["recording"]["events"]
units = float(sys.argv[2]) if len(sys.argv) > 2 else 0
cats = [("Jackson", "com.fasterxml"), ("Camel", "org.apache.camel"), ("Jetty", "org.eclipse.jetty"),
        ("Derby", "org.apache.derby"), ("Apache HttpClient", "org.apache.hc."), ("TLS", "sun.security.ssl"),
        ("logging", "org.ops4j.pax.logging"), ("medsettle", "org.medsettle")]
total = 0
incl = collections.Counter()
by_class = collections.Counter()
by_ours = collections.Counter()
by_top = collections.Counter()
for e in events:
    v = e["values"]
    w = v["weight"]
    total += w
    frames = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in (v.get("stackTrace") or {}).get("frames", [])]
    by_class[v["objectClass"]["name"]] += w
    if frames:
        by_top[frames[0]] += w
    joined = "\n".join(frames)
    for name, prefix in cats:
        if prefix in joined:
            incl[name] += w
    ours = next((f for f in frames if f.startswith("org.medsettle")), "(no medsettle frame)")
    by_ours[ours] += w


def mb(b):
    return f"{b / 1e6:9.1f} MB"


print(f"allocation samples {len(events)}, their weights {mb(total)}"
      + (f", {total / units / 1024:.1f} KiB per unit ({units:.0f} units)" if units else ""))
print("by library on the stack (inclusive):")
for name, _ in cats:
    print(f"  {name:20s} {100 * incl[name] / max(total, 1):5.1f} %")
for title, counter in (("by class", by_class), ("by allocating frame", by_top), ("by innermost medsettle frame", by_ours)):
    print(title + ":")
    for k, w in counter.most_common(25):
        print(f"  {100 * w / max(total, 1):5.1f} %  {k}")
