#!/bin/sh
#
# medsettle demo: build the appliance when needed, start the national hub and two province nodes on embedded
# Derby -- Zhejiang 330000 as place of treatment, Qinghai 630000 as place of insurance -- load the samples, file
# the day's patients, drive a sample hospital day through the HIS interface, print a summary, and leave the
# three running for you to explore in their consoles.
#
#   ./run.sh           build if the sources changed, start (or reuse) the three, run the demo day
#   ./run.sh stop      stop all three (waits until their JVMs have exited)
#   ./run.sh status    medsettle:health of each
#   ./run.sh load [seconds] [steps]   the load driver against the running three (README "Performance")
#   ./run.sh uploads [seconds] [steps] the fee-line upload alone (2301 of 30 lines), report docs/benchmarks/uploads.*
#   ./run.sh settlements [steps] [n]  2304 alone on n prepared stays per step, report docs/benchmarks/settlements.*
#   ./run.sh warmup [steps] [n] [name] the three restarted, then 2304 alone with no warm-up step (default ten steps of
#                                     1,000 at 16 clerks), report docs/benchmarks/<name, default warmup>.*
#   ./run.sh scaleout [instances] [seconds] [steps]
#                                     node 330000 on PostgreSQL as 1 or 2 instances behind HAProxy, the load driver
#                                     through the balancer (README "Scaling out"), report docs/benchmarks/scale-out/;
#                                     instances "derby": the demo's own node 330000 alone, for comparison
#   ./run.sh crash [seconds] [clerks] kill -9 under load: node 330000, node 630000 and the hub each killed and
#                                     started again while the clerks drive whole stays; checks that nothing
#                                     acknowledged was lost or doubled at either node, report docs/benchmarks/crash.*
#   ./run.sh swap [rate] [seconds]    hot swap under load: new versions of the 630000 policy bundle, the HIS
#                                     adapter, the link of node 330000, the link of node 630000, the hub, the
#                                     treatment bundle of node 330000 and the insured-place bundle of node 630000,
#                                     one after the other, while the driver offers 80 % of the last measured ceiling
#
# Instances under run/ (databases beside them in run/*-db, kept across rebuilds). Ports (HTTP/SSH):
#   hub 100000  8180/8100    node 330000  8181/8101    node 630000  8182/8102
#
set -eu
cd "$(dirname "$0")"

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
tarball="assembly/target/medsettle-$version.tar.gz"
tools="tools/target/medsettle-tools-$version-all.jar"

# name role admdvs http ssh rmi-registry rmi-server
# MEDSETTLE_DEMO_DIR (default run/ beside this script) and MEDSETTLE_DEMO_PORT_OFFSET (default 0, added to every
# port) let a second demo run beside the first (the multi-process test of a demo started twice uses them)
RUN=${MEDSETTLE_DEMO_DIR:-$PWD/run}
o=${MEDSETTLE_DEMO_PORT_OFFSET:-0}
HUB_HTTP=$((8180 + o)); TREATMENT_HTTP=$((8181 + o)); INSURED_HTTP=$((8182 + o))
# the link's TLS ports (mutual TLS between the nodes and the hub): 8440, 8441, 8442
HUB_LINK=$((8440 + o)); TREATMENT_LINK=$((8441 + o)); INSURED_LINK=$((8442 + o))
HUB_SPEC="hub:hub:100000:$HUB_HTTP:$((8100 + o)):$((1098 + o)):$((44443 + o)):$HUB_LINK"
TREATMENT_SPEC="node-330000:node:330000:$TREATMENT_HTTP:$((8101 + o)):$((1099 + o)):$((44444 + o)):$TREATMENT_LINK"
INSURED_SPEC="node-630000:node:630000:$INSURED_HTTP:$((8102 + o)):$((1097 + o)):$((44445 + o)):$INSURED_LINK"
INSTANCES="$HUB_SPEC $TREATMENT_SPEC $INSURED_SPEC"
# ./run.sh scaleout: two more instances of 330000 on one PostgreSQL database (port 5433), behind HAProxy (HIS 8185,
# link 8445, stats and Prometheus 8405)
SCALE_A_SPEC="node-330000-a:node:330000:$((8183 + o)):$((8103 + o)):$((1096 + o)):$((44446 + o)):$((8443 + o))"
SCALE_B_SPEC="node-330000-b:node:330000:$((8184 + o)):$((8104 + o)):$((1095 + o)):$((44447 + o)):$((8444 + o))"
SCALE_INSTANCES="$SCALE_A_SPEC $SCALE_B_SPEC"
BALANCER_HTTP=$((8185 + o)); BALANCER_LINK=$((8445 + o)); BALANCER_STATS=$((8405 + o)); PG_PORT=$((5433 + o))

field() { echo "$1" | cut -d: -f"$2"; }
ssh_port() { for i in $INSTANCES $SCALE_INSTANCES; do if [ "$(field "$i" 1)" = "$1" ]; then field "$i" 5; fi; done; }

# console <instance> <command...>: one medsettle command as admin
console() {
    name=$1; shift
    MEDSETTLE_SSH_PORT=$(ssh_port "$name") "$RUN/$name/bin/medsettle" "$@"
}

running() { [ -f "$RUN/$1/karaf.pid" ] && kill -0 "$(cat "$RUN/$1/karaf.pid")" 2>/dev/null; }

stop_one() {
    name=$1
    if running "$name"; then
        pid=$(cat "$RUN/$name/karaf.pid")
        "$RUN/$name/bin/stop" >/dev/null 2>&1 || true
        i=0
        while kill -0 "$pid" 2>/dev/null; do
            i=$((i + 1))
            if [ $i -gt 120 ]; then
                echo "run.sh: $name did not stop within 60 s; killing pid $pid" >&2
                kill -9 "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.5
        done
        echo "Stopped $name."
    else
        echo "$name is not running."
    fi
}

# unpack_one <spec>: the instance's files from the tarball, again when the tarball is newer (stopped first)
unpack_one() {
    name=$(field "$1" 1)
    if [ ! -f "$RUN/$name/.unpacked" ] || [ "$tarball" -nt "$RUN/$name/.unpacked" ]; then
        stop_one "$name" >/dev/null
        rm -rf "$RUN/$name"
        mkdir -p "$RUN/$name"
        tar xzf "$tarball" -C "$RUN/$name" --strip-components=1
        # the demo day replays the 2025-12 .. 2026-07 reference sequences: accept their admission dates for ten
        # years (a production node keeps the default window of 400 days, etc/org.medsettle.transactions.cfg)
        sed -i 's/^admissionMaxAgeDays = .*/admissionMaxAgeDays = 3650/' "$RUN/$name/etc/org.medsettle.transactions.cfg"
        touch "$RUN/$name/.unpacked"
    fi
}

# start_one <spec> [hub certificate] [hub link URL]: unpacked if needed, started unless running (the database:
# MEDSETTLE_DB_URL when exported, else embedded Derby in run/<name>-db)
start_one() {
    spec=$1; hub_cert=${2:-}; hub_url=${3:-https://127.0.0.1:$HUB_LINK}
    name=$(field "$spec" 1)
    unpack_one "$spec"
    if running "$name"; then
        echo "$name is already running."
        return
    fi
    env MEDSETTLE_ROLE="$(field "$spec" 2)" MEDSETTLE_ADMDVS="$(field "$spec" 3)" \
        MEDSETTLE_HTTP_PORT="$(field "$spec" 4)" MEDSETTLE_SSH_PORT="$(field "$spec" 5)" \
        MEDSETTLE_RMI_REGISTRY_PORT="$(field "$spec" 6)" MEDSETTLE_RMI_SERVER_PORT="$(field "$spec" 7)" \
        MEDSETTLE_LINK_PORT="$(field "$spec" 8)" \
        MEDSETTLE_DB_DIR="$RUN/$name-db" MEDSETTLE_HUB_URL="$hub_url" MEDSETTLE_HUB_CERT="$hub_cert" \
        "$RUN/$name/bin/start"
    echo "Started $name."
}

wait_healthy() {
    i=0
    until console "$1" health >/dev/null 2>&1; do
        i=$((i + 1))
        if [ $i -gt 120 ]; then
            console "$1" health || true
            echo "run.sh: $1 is not healthy after 120 s; its log: $RUN/$1/data/log/karaf.log" >&2
            exit 1
        fi
        sleep 1
    done
}

# value <instance> <command...>: the output of a console command that must succeed (no ANSI codes: not a terminal)
value() {
    if ! v=$(console "$@"); then
        echo "run.sh: '$*' failed on $1: $v" >&2
        exit 1
    fi
    printf '%s' "$v" | tr -d '\r\n'
}

# fingerprint <instance>: the SHA-256 fingerprint of its link certificate, checked to be one
fingerprint() {
    f=$(value "$1" link-certificate)
    case "$f" in
        *[!0-9a-f]*|"") echo "run.sh: $1's link-certificate is not a fingerprint: '$f'" >&2; exit 1 ;;
    esac
    [ ${#f} -eq 64 ] || { echo "run.sh: $1's link-certificate is not a fingerprint: '$f'" >&2; exit 1; }
    echo "$f"
}

# hospital_key <code> [instance]: the signing key of a hospital of node 330000 (or of the instance named), as its
# HIS vendor gets it (a file, then read)
hospital_key() {
    mkdir -p "$RUN/keys"
    f=$(mktemp -u "$RUN/keys/$1-XXXXXX")
    value "${2:-node-330000}" hospital-key --export "$f" "$1" >/dev/null
    tr -d '\r\n' < "$f"
    rm -f "$f"
}

# filing_client <purpose>: sets $filing_name and $filing_key, a filing-API client of node 630000 made once and kept
# in $RUN/keys/filing-<purpose>.{name,key}
filing_client() {
    mkdir -p "$RUN/keys"
    if [ ! -s "$RUN/keys/filing-$1.key" ] || [ ! -s "$RUN/keys/filing-$1.name" ]; then
        rm -f "$RUN/keys/filing-$1.key"
        name="$1-$(date +%Y%m%d%H%M%S)"
        value node-630000 filing-client-add "$name" "$RUN/keys/filing-$1.key" >/dev/null
        printf '%s' "$name" > "$RUN/keys/filing-$1.name"
    fi
    filing_name=$(cat "$RUN/keys/filing-$1.name")
    filing_key=$(tr -d '\r\n' < "$RUN/keys/filing-$1.key")
}

# the load-test persons at the insured node, its filing client, the hospitals' keys: sets $load_client, $load_key, $hospitals
prepare_load() {
    for name in hub node-330000 node-630000; do
        running "$name" || { echo "run.sh: $name is not running; start the demo first (./run.sh)" >&2; exit 1; }
    done
    java -cp "$tools" org.medsettle.tools.LoadDriver persons 2000 "$RUN/load-persons-630000.csv" >/dev/null
    console node-630000 person-import "$RUN/load-persons-630000.csv" | tail -n 1
    filing_client load
    load_client=$filing_name
    load_key=$filing_key
    hospitals=""
    for code in H33030000001 H33040000002 H33050000003 H33080000004 H33090000005 H33030000007 H33090000008; do
        hospitals="$hospitals --hospital $code:$(hospital_key "$code")"
    done
    mkdir -p docs/benchmarks
}

# stay_day: the day of this driver run's stays — yesterday (China) for the demo's first run, the day before for its
# second, and so on back 30 days (within yesterday's year), then yesterday again. A person's stays of two runs then
# never overlap: if they did, the node's supervision rules would find every stay of a later run beside the person's
# stay of an earlier one in the same half hour, read its lines and flag it, and every later run would measure dearer
# settlements than the first (issue 15). The count is kept with the demo's databases ($RUN/driver-runs)
stay_day() {
    runs=$(cat "$RUN/driver-runs" 2>/dev/null || echo 0)
    echo $((runs + 1)) > "$RUN/driver-runs"
    yesterday=$(TZ=Asia/Shanghai date -d yesterday +%F)
    day=$(TZ=Asia/Shanghai date -d "$yesterday - $((runs % 31)) days" +%F)
    [ "${day%%-*}" = "${yesterday%%-*}" ] || day=$yesterday
    echo "$day"
}

# load_driver <driver options...>: the driver against the demo's node 330000 (treatment) and 630000 (insured), the
# CPU of all three measured
load_driver() {
    unmeasured_driver --node-pid "$(cat "$RUN/node-330000/karaf.pid")" --process "hub:$(cat "$RUN/hub/karaf.pid")" \
        --process "insured node:$(cat "$RUN/node-630000/karaf.pid")" "$@"
}

# unmeasured_driver <driver options...>: the same, no process measured but the driver (./run.sh crash kills them)
unmeasured_driver() {
    # shellcheck disable=SC2086 # $hospitals is a list of options without spaces
    java -cp "$tools" org.medsettle.tools.LoadDriver run --treatment "http://127.0.0.1:$TREATMENT_HTTP" --admdvs 330000 $hospitals \
        --insured "http://127.0.0.1:$INSURED_HTTP" --insured-admdvs 630000 --filing-client "$load_client" --filing-key "$load_key" \
        --catalogue "$RUN/node-330000/samples/catalogue-330000.csv" --persons 2000 --stay-day "$(stay_day)" \
        --out docs/benchmarks "$@"
}

# kill9 <instance>: kill -9 of its JVM (nothing shut down), then started again as before and healthy (the nodes pin
# the hub's certificate, which a restart keeps)
kill9() {
    spec=""
    for i in $INSTANCES; do [ "$(field "$i" 1)" = "$1" ] && spec=$i; done
    [ -n "$spec" ] || { echo "run.sh: no instance $1" >&2; exit 2; }
    pid=$(cat "$RUN/$1/karaf.pid")
    kill -9 "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    echo "killed $1 (pid $pid, kill -9)"
    if [ "$1" = hub ]; then cert=""; else cert=$(fingerprint hub); fi
    start_one "$spec" "$cert" >/dev/null
    wait_healthy "$1"
    echo "$1 started again and healthy"
}

# kill -9 under load (issue 15): while [clerks] clerks drive whole stays for [seconds], node 330000 (treatment),
# node 630000 (insured) and the hub are each killed (kill -9) and started again, one after the other; every clerk
# repeats what got no answer or a -1 with the same msgid (--outage), as a HIS does. Afterwards: every acknowledged
# settlement at the node once and every balance exact (the driver's checks), no stay failed, both nodes' ledger
# checks OK, and both ledgers moved by exactly the acknowledged fund payments (LedgerDelta). Report
# docs/benchmarks/crash.json
crash_test() {
    seconds=${1:-150}
    clerks=${2:-16}
    prepare_load
    mkdir -p "$RUN/crash"
    console node-330000 ledger-balances > "$RUN/crash/330000-before.txt"
    console node-630000 ledger-balances > "$RUN/crash/630000-before.txt"
    printf '%s\n' "# <second> <label> <command>: run by the load driver during its step, one after the other" \
        "20 kill-node-330000 ./run.sh kill9 node-330000" \
        "65 kill-node-630000 ./run.sh kill9 node-630000" \
        "110 kill-hub ./run.sh kill9 hub" > "$RUN/crash/events"
    status=0
    unmeasured_driver --steps "$clerks" --seconds "$seconds" --outage 120 --events "$RUN/crash/events" \
        --report crash || status=$?
    console node-330000 ledger-balances > "$RUN/crash/330000-after.txt"
    console node-630000 ledger-balances > "$RUN/crash/630000-after.txt"
    for n in node-330000 node-630000; do
        check=$(console "$n" ledger-check) || status=1
        case "$check" in *PROBLEM*) status=1; echo "$n ledger-check: PROBLEM"; printf '%s\n' "$check" ;;
                         *) echo "$n ledger-check: no problem" ;; esac
    done
    java -cp "$tools" org.medsettle.tools.LedgerDelta docs/benchmarks/crash.json 330000 630000 \
        "$RUN/crash/330000-before.txt" "$RUN/crash/330000-after.txt" \
        "$RUN/crash/630000-before.txt" "$RUN/crash/630000-after.txt" || status=1
    failed=$(sed -n 's/.*"failed_stays" : \([0-9]*\).*/\1/p' docs/benchmarks/crash.json | awk '{s+=$1} END {print s+0}')
    echo "stays failed during the kills: $failed"
    [ "$failed" = 0 ] || status=1
    if [ $status = 0 ]; then echo "kill -9 under load: nothing acknowledged lost or doubled"; else echo "kill -9 under load: CHECK FAILED"; fi
    return $status
}

load_test() {
    prepare_load
    load_driver --steps "${2:-1,4,8,16}" --seconds "${1:-20}"
}

settlement_test() {
    prepare_load
    load_driver --flow settlements --steps "${1:-1,4,8,16}" --prepared "${2:-4000}" --seconds 60 --report settlements
}

# start_three: the hub, then the two nodes pinning its certificate (mutual TLS on the link ports), each healthy, then
# the hub's directory given each node's link address and certificate — a node unpacked again (the tarball was rebuilt
# since) has a new one; sets $hub_cert, asked once the hub is healthy and checked
start_three() {
    start_one "$HUB_SPEC"
    wait_healthy hub
    hub_cert=$(fingerprint hub) || exit 1
    start_one "$TREATMENT_SPEC" "$hub_cert"
    start_one "$INSURED_SPEC" "$hub_cert"
    wait_healthy node-330000
    wait_healthy node-630000
    for spec in "node-330000:330000:$TREATMENT_LINK" "node-630000:630000:$INSURED_LINK"; do
        name=$(field "$spec" 1)
        node_cert=$(fingerprint "$name") || exit 1
        value hub hub-node-add "$(field "$spec" 2)" "https://127.0.0.1:$(field "$spec" 3)" "$node_cert" >/dev/null
    done
}

# the warm-up (issue 15): the three restarted (fresh JVMs, databases kept, as after an upgrade or a failover), then
# 2304 alone with no warm-up step: n prepared stays per step at 16 clerks, every step's CPU per settlement reported.
# JVM options to compare (e.g. EXTRA_JAVA_OPTS=-XX:TieredStopAtLevel=1) are taken from the environment
warmup_test() {
    for i in $INSTANCES; do stop_one "$(field "$i" 1)"; done
    start_three
    prepare_load
    load_driver --flow settlements --steps "${1:-16,16,16,16,16,16,16,16,16,16}" --prepared "${2:-1000}" --seconds 60 \
        --warmup 0 --report "${3:-warmup}"
}

upload_test() {
    prepare_load
    load_driver --flow uploads --steps "${2:-1,4,8,16}" --seconds "${1:-20}" --report uploads
}

# hot swap under load (issues 5 and 11): while 16 clerks offer [rate] stays/s (default: 80 % of the best throughput
# in docs/benchmarks/load.json), bundle:update installs new versions of, 15 s apart: the 630000 policy bundle and the
# HIS adapter on node 330000, the national link on node 330000 (treatment) and on node 630000 (insured), the hub
# bundle on the hub, the treatment bundle (the HIS transactions) on node 330000 and the insured-place bundle on node
# 630000; report docs/benchmarks/swap.json
swap_test() {
    rate=${1:-0.8xdocs/benchmarks/load.json}
    seconds=${2:-120}
    prepare_load
    stamp=$(date +%Y%m%d%H%M%S)
    mkdir -p "$RUN/swap"
    # the bundles as last built (mvn install), each given a version of its own
    for jar in bundles/policies/630000/target/medsettle-policy-630000-$version.jar \
               bundles/his-rest/target/medsettle-his-rest-$version.jar \
               bundles/link/target/medsettle-link-$version.jar \
               bundles/hub/target/medsettle-hub-$version.jar \
               bundles/treatment/target/medsettle-treatment-$version.jar \
               bundles/insured/target/medsettle-insured-$version.jar; do
        [ -f "$jar" ] || { echo "run.sh: $jar is missing; build first (mvn -B install -DskipTests)" >&2; exit 1; }
        b=$(basename "$jar" "-$version.jar")
        java -cp "$tools" org.medsettle.tools.BundleVersion "$jar" "$RUN/swap/$b-$stamp.jar" "0.1.0.swap$stamp"
    done
    treatment="MEDSETTLE_SSH_PORT=$(ssh_port node-330000) $RUN/node-330000/bin/medsettle"
    insured="MEDSETTLE_SSH_PORT=$(ssh_port node-630000) $RUN/node-630000/bin/medsettle"
    hub="MEDSETTLE_SSH_PORT=$(ssh_port hub) $RUN/hub/bin/medsettle"
    cat > "$RUN/swap/events" <<EOF
# <second> <label> <command>: run by the load driver during its step
15 policy-630000 $treatment bundle:update medsettle-policy-630000 file:$RUN/swap/medsettle-policy-630000-$stamp.jar && $treatment bundle:list -s medsettle-policy-630000 | tail -n 1
30 his-adapter $treatment bundle:update medsettle-his-rest file:$RUN/swap/medsettle-his-rest-$stamp.jar && $treatment bundle:list -s medsettle-his-rest | tail -n 1
45 link-treatment-330000 $treatment bundle:update medsettle-link file:$RUN/swap/medsettle-link-$stamp.jar && $treatment bundle:list -s medsettle-link | tail -n 1
60 link-insured-630000 $insured bundle:update medsettle-link file:$RUN/swap/medsettle-link-$stamp.jar && $insured bundle:list -s medsettle-link | tail -n 1
75 hub $hub bundle:update medsettle-hub file:$RUN/swap/medsettle-hub-$stamp.jar && $hub bundle:list -s medsettle-hub | tail -n 1
90 treatment-330000 $treatment bundle:update medsettle-treatment file:$RUN/swap/medsettle-treatment-$stamp.jar && $treatment bundle:list -s medsettle-treatment | tail -n 1
105 insured-630000 $insured bundle:update medsettle-insured file:$RUN/swap/medsettle-insured-$stamp.jar && $insured bundle:list -s medsettle-insured | tail -n 1
EOF
    load_driver --steps 16 --seconds "$seconds" --rate "$rate" --events "$RUN/swap/events" --report swap
}

# ---- ./run.sh scaleout [instances] [seconds] [steps] (README "Scaling out", docs/performance.md)

# as_postgres <command...>: PostgreSQL's tools refuse to run as root: as user postgres then
as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# a PostgreSQL server of the demo's own in run/pg (Debian's package postgresql), started unless running
start_postgres() {
    PG_BIN=${MEDSETTLE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        if [ "$(id -u)" = 0 ]; then
            echo "PostgreSQL is not installed: installing Debian's package postgresql"
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null \
                || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >/dev/null; }
            PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
        else
            echo "run.sh: no PostgreSQL: install Debian's package postgresql, or set MEDSETTLE_PG_BIN" >&2; exit 1
        fi
    fi
    mkdir -p "$RUN/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$RUN/pg"
    if [ ! -f "$RUN/pg/data/PG_VERSION" ]; then
        # trust on 127.0.0.1 only: a benchmark's server, not a province's (README "On PostgreSQL": .pgpass)
        as_postgres "$PG_BIN/initdb" -D "$RUN/pg/data" -U medsettle --auth=trust >/dev/null
    fi
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/data" status >/dev/null 2>&1; then
        as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/data" -l "$RUN/pg/server.log" -w \
            -o "-p $PG_PORT -h 127.0.0.1 -k $RUN/pg -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
        echo "Started PostgreSQL on 127.0.0.1:$PG_PORT ($RUN/pg/data)."
    fi
}

stop_postgres() {
    if [ -f "$RUN/pg/data/postmaster.pid" ]; then
        PG_BIN=${MEDSETTLE_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
        as_postgres "$PG_BIN/pg_ctl" -D "$RUN/pg/data" -m fast stop >/dev/null && echo "Stopped PostgreSQL."
    fi
}

stop_balancer() {
    if [ -f "$RUN/haproxy.pid" ] && kill "$(cat "$RUN/haproxy.pid")" 2>/dev/null; then
        echo "Stopped HAProxy."
    fi
    rm -f "$RUN/haproxy.pid"
}

# start_balancer <instance spec...>: HAProxy in front of them as README "Scaling out" configures it
start_balancer() {
    stop_balancer
    if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
        if [ "$(id -u)" = 0 ]; then
            echo "HAProxy is not installed: installing Debian's package haproxy"
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends haproxy >/dev/null \
                || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends haproxy >/dev/null; }
        else
            echo "run.sh: no HAProxy: install Debian's package haproxy" >&2; exit 1
        fi
    fi
    {
        printf 'global\n  maxconn 4000\n\ndefaults\n  timeout connect 2s\n  timeout client 120s\n  timeout server 120s\n'
        printf '  retries 3\n  option redispatch\n\n'
        printf 'frontend his\n  mode http\n  bind 127.0.0.1:%s\n  default_backend instances\n\n' "$BALANCER_HTTP"
        printf 'backend instances\n  mode http\n  balance roundrobin\n  option http-buffer-request\n'
        printf '  retry-on conn-failure empty-response 404 503\n  option httpchk GET /medsettle/health\n'
        printf '  http-check expect status 200\n  default-server inter 1s fall 2 rise 2\n'
        for spec in "$@"; do printf '  server %s 127.0.0.1:%s check\n' "$(field "$spec" 1)" "$(field "$spec" 4)"; done
        printf '\nfrontend link\n  mode tcp\n  bind 127.0.0.1:%s\n  default_backend links\n\n' "$BALANCER_LINK"
        printf 'backend links\n  mode tcp\n  balance roundrobin\n  option httpchk GET /medsettle/health\n'
        printf '  http-check expect status 200\n  default-server inter 1s fall 2 rise 2\n'
        for spec in "$@"; do
            printf '  server %s 127.0.0.1:%s check port %s\n' "$(field "$spec" 1)" "$(field "$spec" 8)" "$(field "$spec" 4)"
        done
        printf '\nlisten stats\n  mode http\n  bind 127.0.0.1:%s\n  stats enable\n  stats uri /stats\n' "$BALANCER_STATS"
        printf '  http-request use-service prometheus-exporter if { path /metrics }\n'
    } > "$RUN/haproxy.cfg"
    "$(command -v haproxy || echo /usr/sbin/haproxy)" -D -p "$RUN/haproxy.pid" -f "$RUN/haproxy.cfg"
    # the instances are healthy already (wait_healthy): HAProxy takes its servers as UP from the start and takes one
    # out after two failed checks
    echo "HAProxy in front of $# instance(s): HIS http://127.0.0.1:$BALANCER_HTTP, link https://127.0.0.1:$BALANCER_LINK, stats http://127.0.0.1:$BALANCER_STATS/stats"
}

stop_scaleout() {
    for spec in $SCALE_INSTANCES; do stop_one "$(field "$spec" 1)" >/dev/null; done
    stop_balancer
}

# node 330000 as [instances] (1 or 2) instances on a new PostgreSQL database behind HAProxy, registered at the hub
# at the balancer's link address, measured by the load driver through the balancer; afterwards the demo's own
# node 330000 registered at the hub again and the instances and HAProxy stopped (PostgreSQL keeps running: ./run.sh stop)
scaleout_test() {
    count=${1:-2}; seconds=${2:-60}; steps=${3:-8,16,32}
    case "$count" in 1|2|derby) ;; *) echo "run.sh: scaleout takes 1 or 2 instances (or derby), not $count" >&2; exit 2 ;; esac
    prepare_load
    if [ "$count" = derby ]; then
        # the baseline: the demo's own node 330000 on embedded Derby, one instance, no balancer
        mkdir -p docs/benchmarks/scale-out
        load_driver --steps "$steps" --seconds "$seconds" --out docs/benchmarks/scale-out --report derby-1
        return
    fi
    hub_cert=$(fingerprint hub) || exit 1
    stop_scaleout
    start_postgres
    as_postgres "$PG_BIN/dropdb" -h 127.0.0.1 -p "$PG_PORT" -U medsettle --if-exists node330000
    as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U medsettle node330000
    MEDSETTLE_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/node330000"; MEDSETTLE_DB_USER=medsettle
    export MEDSETTLE_DB_URL MEDSETTLE_DB_USER
    start_one "$SCALE_A_SPEC" "$hub_cert"
    wait_healthy node-330000-a
    console node-330000-a catalogue-import "$RUN/node-330000-a/samples/catalogue-330000.csv" | tail -n 1
    console node-330000-a hospital-import "$RUN/node-330000-a/samples/hospitals-330000.csv" | tail -n 1
    measured="--node-pid $(cat "$RUN/node-330000-a/karaf.pid")"
    behind="$SCALE_A_SPEC"
    if [ "$count" = 2 ]; then
        # the second instance holds the province's link identity too (README "Scaling out", step 2)
        unpack_one "$SCALE_B_SPEC"
        mkdir -p "$RUN/node-330000-b/etc/keys"
        cp -p "$RUN/node-330000-a/etc/keys/link.p12" "$RUN/node-330000-a/etc/keys/link.password" "$RUN/node-330000-b/etc/keys/"
        start_one "$SCALE_B_SPEC" "$hub_cert"
        wait_healthy node-330000-b
        i=0
        until console node-330000-b catalogue-versions 2>/dev/null | grep -q '\*'; do
            i=$((i + 1)); [ $i -gt 60 ] && { echo "run.sh: node-330000-b has no active catalogue after 30 s" >&2; exit 1; }
            sleep 0.5
        done
        measured="$measured --process 330000-b:$(cat "$RUN/node-330000-b/karaf.pid")"
        behind="$SCALE_A_SPEC $SCALE_B_SPEC"
    fi
    unset MEDSETTLE_DB_URL MEDSETTLE_DB_USER
    # shellcheck disable=SC2086 # one spec per word
    start_balancer $behind
    value hub hub-node-add 330000 "https://127.0.0.1:$BALANCER_LINK" "$(fingerprint node-330000-a)" >/dev/null
    hospitals=""
    for code in H33030000001 H33040000002 H33050000003 H33080000004 H33090000005 H33030000007 H33090000008; do
        hospitals="$hospitals --hospital $code:$(hospital_key "$code" node-330000-a)"
    done
    mkdir -p docs/benchmarks/scale-out
    status=0
    # shellcheck disable=SC2086 # options without spaces
    load_driver --treatment "http://127.0.0.1:$BALANCER_HTTP" $measured \
        --process "postgresql:$(head -n 1 "$RUN/pg/data/postmaster.pid")" --process "haproxy:$(cat "$RUN/haproxy.pid")" \
        --catalogue "$RUN/node-330000-a/samples/catalogue-330000.csv" --steps "$steps" --seconds "$seconds" \
        --out docs/benchmarks/scale-out --report "postgresql-$count" || status=$?
    # the demo's own node 330000 back in the hub's directory
    value hub hub-node-add 330000 "https://127.0.0.1:$TREATMENT_LINK" "$(fingerprint node-330000)" >/dev/null
    stop_scaleout
    return $status
}

case "${1:-start}" in
    load) shift; load_test "$@"; exit 0 ;;
    swap) shift; swap_test "$@"; exit 0 ;;
    scaleout) shift; scaleout_test "$@"; exit $? ;;
    uploads) shift; upload_test "$@"; exit 0 ;;
    settlements) shift; settlement_test "$@"; exit 0 ;;
    warmup) shift; warmup_test "$@"; exit 0 ;;
    crash) shift; crash_test "$@"; exit $? ;;
    kill9) shift; kill9 "$@"; exit 0 ;;
    stop) for i in $INSTANCES $SCALE_INSTANCES; do stop_one "$(field "$i" 1)"; done; stop_balancer; stop_postgres; exit 0 ;;
    status) for i in $INSTANCES; do echo "== $(field "$i" 1)"; console "$(field "$i" 1)" health || true; done; exit 0 ;;
    start) ;;
    *) sed -n '3,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

if [ ! -f "$tarball" ] || [ ! -f "$tools" ] \
    || [ -n "$(find pom.xml bundles features assembly/pom.xml assembly/src/main tools/src -newer "$tarball" -type f \
               ! -path '*/src/test/*' ! -path '*/target/*' 2>/dev/null | head -n 1)" ]; then
    echo "Building the appliance (mvn -B -q install -DskipTests) ..."
    mvn -B -q install -DskipTests
fi
mkdir -p "$RUN"

# 1.-3. the hub, the two nodes pinning its certificate, and the hub's directory: each node's link address and
# certificate
start_three
console hub hub-nodes

# 4. samples: the treatment node's catalogue and hospitals, the insured node's persons and the demo patients
if ! console node-330000 catalogue-versions | grep -q '\*'; then
    console node-330000 catalogue-import "$RUN/node-330000/samples/catalogue-330000.csv"
fi
console node-330000 hospital-import "$RUN/node-330000/samples/hospitals-330000.csv"
console node-630000 person-import "$RUN/node-630000/samples/persons-630000.csv"
java -jar "$tools" persons "$RUN/demo-patients-630000.csv" >/dev/null
console node-630000 person-import "$RUN/demo-patients-630000.csv"
filing_client demo

for name in hub node-330000 node-630000; do wait_healthy "$name"; done

# 5. a hospital day: the demo patients filed at 630000, their visits settled at three 330000 hospitals
echo
echo "A hospital day in Zhejiang for patients insured in Qinghai:"
key1=$(hospital_key H33090000006)
key2=$(hospital_key H33080000004)
key3=$(hospital_key H33030000001)
java -jar "$tools" day --treatment "http://127.0.0.1:$TREATMENT_HTTP" --admdvs 330000 \
    --hospital "1:H33090000006:$key1" --hospital "2:H33080000004:$key2" --hospital "3:H33030000001:$key3" \
    --insured "http://127.0.0.1:$INSURED_HTTP" --filing-client "$filing_name" --filing-key "$filing_key"
sleep 2
echo
console hub hub-traffic
cat <<TXT

The hub and both nodes are running. Try:
  MEDSETTLE_SSH_PORT=$((8101 + o)) $RUN/node-330000/bin/medsettle link-status     the treatment node's link to the hub
  MEDSETTLE_SSH_PORT=$((8102 + o)) $RUN/node-630000/bin/medsettle filing-list ${demo_patient:-63000000000000900001}
  MEDSETTLE_SSH_PORT=$((8102 + o)) $RUN/node-630000/bin/medsettle audit           settlements applied at the insured place
  MEDSETTLE_SSH_PORT=$((8100 + o)) $RUN/hub/bin/medsettle hub-nodes               the hub's directory
  ssh -p $((8101 + o)) -i $RUN/node-330000/etc/keys/admin admin@127.0.0.1         an interactive console
  ./run.sh stop                                                         stop all three
TXT
