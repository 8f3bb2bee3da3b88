#!/bin/bash
# One side of an A/B on a fresh demo (issue 15, session 26): the demo of checkout $1 started afresh (rm -rf run), then
# ./run.sh settlements 16 3000 five times (the first with a 3-s JFR recording in each process: the first recording in
# a JVM's life makes it compile everything again, so it is taken out of the way), settlements 16 9000 and load 30 16
# each with the treatment node profiled (20 s), uploads 20 16, settlements 16 3000, load 30 16, uploads 20 16; the
# demo stopped. Every driver's output and the recordings go to $2-* (e.g. /tmp/ab/A), the last report of each kind to
# $2-reports/. Compare the two sides' "CPU ms per" lines and profiles (benchmarks/jfr-summary.py); run nothing else
# meanwhile. Usage: benchmarks/ab-sequence.sh <checkout> <output prefix>
set -u
cd "$1"; out=$2
mkdir -p "$(dirname "$out")"
rm -rf run; ./run.sh > "$out-start.log" 2>&1
declare -A pid
for p in $(jcmd -l | grep karaf | cut -d' ' -f1); do
  b=$(ps -o args= -p "$p" | grep -o "karaf.base=[^ ]*" | sed 's|.*/||'); pid[$b]=$p
done
echo "pids: ${!pid[*]} = ${pid[*]}" > "$out-seq.log"
jfc="$1/benchmarks/samples-only.jfc"
(./run.sh settlements 16 3000 > "$out-w1.log" 2>&1 &)
sleep 4
for p in "${pid[@]}"; do jcmd "$p" JFR.start settings="$jfc" duration=3s filename="$out-burn-$p.jfr" >/dev/null; done
sleep 2; while pgrep -f "settlements 16 3000" >/dev/null; do sleep 2; done
for i in 2 3 4 5; do ./run.sh settlements 16 3000 > "$out-w$i.log" 2>&1; done
(./run.sh settlements 16 9000 > "$out-s9000.log" 2>&1 &)
sleep 5
jcmd "${pid[node-330000]}" JFR.start settings="$jfc" duration=20s filename="$out-s9000-treatment.jfr" >/dev/null
sleep 2; while pgrep -f "settlements 16 9000" >/dev/null; do sleep 2; done
(./run.sh load 30 16 > "$out-load.log" 2>&1 &)
sleep 12
jcmd "${pid[node-330000]}" JFR.start settings="$jfc" duration=20s filename="$out-load-treatment.jfr" >/dev/null
sleep 2; while pgrep -f "run.sh load" >/dev/null; do sleep 3; done
./run.sh uploads 20 16 > "$out-uploads.log" 2>&1
./run.sh settlements 16 3000 > "$out-w6.log" 2>&1
./run.sh load 30 16 > "$out-load2.log" 2>&1
./run.sh uploads 20 16 > "$out-uploads2.log" 2>&1
mkdir -p "$out-reports"; cp docs/benchmarks/*.json "$out-reports/" 2>/dev/null
./run.sh stop > /dev/null 2>&1
echo done >> "$out-seq.log"
