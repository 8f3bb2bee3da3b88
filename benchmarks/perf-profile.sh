#!/usr/bin/env bash
# Profiles a running instance's whole CPU with Linux perf: every thread, Java, the JVM itself (collector, JIT, stack
# walks of exceptions), native libraries (zlib) and the kernel (system calls, context switches), where a JFR recording
# sees only threads running Java code (docs/performance.md, session 49: JFR's samples covered about a quarter of a
# treatment node's CPU; perf showed the kernel at 21 %, the JVM's own and native code at 8.5 %).
#
#   benchmarks/perf-profile.sh <pid> <seconds> <output prefix>
#
# writes <prefix>.data (perf's recording), <prefix>.txt (its stacks as text) and <prefix>-summary.txt
# (benchmarks/perf-summary.py). Start the instances to be profiled with
#   EXTRA_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+PreserveFramePointer" ./run.sh
# PreserveFramePointer lets perf walk compiled Java frames (without it a stack stops at the first one, and inclusive
# shares cannot be read); its cost is within the driver's spread. Compiled methods are named from /tmp/perf-<pid>.map,
# which `jcmd <pid> Compiler.perfmap` writes at the end of the recording. Needs perf (Debian's linux-perf) and
# kernel.perf_event_paranoid at 2 or lower for a process of the same user; the software clock (cpu-clock) is used,
# so it works under a hypervisor that gives no hardware counters. Drive the load first, then profile while it runs.
set -euo pipefail
if [ $# -ne 3 ]; then
    echo "usage: $0 <pid> <seconds> <output prefix>" >&2
    exit 2
fi
pid=$1 seconds=$2 prefix=$3
command -v perf > /dev/null || { echo "perf is not installed (Debian: linux-perf)" >&2; exit 1; }
kill -0 "$pid" 2> /dev/null || { echo "no process $pid" >&2; exit 1; }
if ! jcmd "$pid" VM.flags -all 2> /dev/null | grep -q "PreserveFramePointer *= true"; then
    echo "warning: $pid runs without -XX:+PreserveFramePointer: stacks stop at the first compiled Java frame" >&2
fi
perf record -q -F 499 -e cpu-clock -g -p "$pid" -o "$prefix.data" -- sleep "$seconds"
jcmd "$pid" Compiler.perfmap > /dev/null
perf script -i "$prefix.data" 2> /dev/null > "$prefix.txt"
python3 "$(dirname "$0")/perf-summary.py" "$prefix.txt" > "$prefix-summary.txt"
echo "$prefix-summary.txt"
