#!/usr/bin/env python3
# Where a process allocates, from a JFR recording made with benchmarks/allocations.jfc: the allocation samples counted
# by library among the top frames, by allocated class, by allocating frame and by the innermost medsettle frame.
# Shares of the samples, not of bytes: on Java 17 a sample's weight (bytes its thread allocated since its previous
# sample) is the thread's whole allocation for its first sample in a recording - gigabytes for an old pool thread -
# so the weights do not add up to what was allocated. How much a unit of work allocates comes from the collector
# instead: `jcmd <pid> VM.log output=gc.log what=gc decorators=uptime` during a run, the young collections' count
# times the eden's size, over the units done (docs/performance.md, session 41).
#   jfr print --json --events jdk.ObjectAllocationSample --stack-depth 48 rec.jfr > alloc.json
#   python3 benchmarks/jfr-allocations.py alloc.json
import collections, json, sys

events = json.load(open(sys.argv[1]))["recording"]["events"]
libraries = [("Derby", "org.apache.derby"), ("Jackson", "com.fasterxml"), ("Camel", "org.apache.camel"),
             ("Jetty", "org.eclipse.jetty"), ("Apache HttpClient", "org.apache.http"), ("TLS", "sun.security.ssl"),
             ("medsettle", "org.medsettle")]
by_library = collections.Counter()
by_class = collections.Counter()
by_top = collections.Counter()
by_ours = collections.Counter()
for e in events:
    v = e["values"]
    frames = [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")
              for f in (v.get("stackTrace") or {}).get("frames", [])]
    by_class[v["objectClass"]["name"]] += 1
    if frames:
        by_top[frames[0]] += 1
    # the first library among the six innermost frames allocates (the JDK's own collections and strings below it)
    by_library[next((name for f in frames[:6] for name, prefix in libraries if f.startswith(prefix)), "JDK only")] += 1
    by_ours[next((f for f in frames if f.startswith("org.medsettle")), "(no medsettle frame)")] += 1

n = max(len(events), 1)
print(f"allocation samples {len(events)}")
for title, counter in (("by library allocating", by_library), ("by class", by_class),
                       ("by allocating frame", by_top), ("by innermost medsettle frame", by_ours)):
    print(title + ":")
    for k, c in counter.most_common(25):
        print(f"  {100 * c / n:5.1f} %  {k}")
