#!/bin/sh
#
# medsettle: build the appliance when needed and start one province node on embedded Derby.
#
#   ./run.sh           build if the sources changed, start node 330000 under run/, wait until healthy
#   ./run.sh stop      stop it (waits until the JVM has exited)
#   ./run.sh status    medsettle:status of the running node
#
# The node's database is in run/node-330000-db/, outside the instance: a rebuild replaces the
# instance directory and keeps the data. Ports: SSH console 8101, JMX 1099/44444 (override with the
# MEDSETTLE_* variables in the README).
#
set -eu
cd "$(dirname "$0")"

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
tarball="assembly/target/medsettle-$version.tar.gz"
admdvs="${MEDSETTLE_ADMDVS:-330000}"
node="run/node-$admdvs"
export MEDSETTLE_ROLE="${MEDSETTLE_ROLE:-node}" MEDSETTLE_ADMDVS="$admdvs"
export MEDSETTLE_DB_DIR="${MEDSETTLE_DB_DIR:-$PWD/run/node-$admdvs-db}"

running() {
    [ -f "$node/karaf.pid" ] && kill -0 "$(cat "$node/karaf.pid")" 2>/dev/null
}

stop_node() {
    if running; then
        pid=$(cat "$node/karaf.pid")
        "$node/bin/stop" >/dev/null 2>&1 || true
        i=0
        while kill -0 "$pid" 2>/dev/null; do
            i=$((i + 1))
            if [ $i -gt 120 ]; then
                echo "run.sh: node did not stop within 60 s; killing pid $pid" >&2
                kill -9 "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.5
        done
        echo "Stopped $node."
    else
        echo "$node is not running."
    fi
}

case "${1:-start}" in
    stop) stop_node; exit 0 ;;
    status) exec "$node/bin/medsettle" status ;;
    start) ;;
    *) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

if [ ! -f "$tarball" ] || [ -n "$(find pom.xml bundles features assembly/src -newer "$tarball" -type f 2>/dev/null | head -n 1)" ]; then
    echo "Building the appliance (mvn -B -q install -DskipTests) ..."
    mvn -B -q install -DskipTests
fi

if [ ! -f "$node/.unpacked" ] || [ "$tarball" -nt "$node/.unpacked" ]; then
    stop_node >/dev/null
    rm -rf "$node"
    mkdir -p "$node"
    tar xzf "$tarball" -C "$node" --strip-components=1
    touch "$node/.unpacked"
fi

if running; then
    echo "$node is already running."
else
    "$node/bin/start"
fi

echo "Waiting for the console ..."
i=0
until "$node/bin/medsettle" catalogue-versions >/tmp/medsettle-run-catalogues.$$ 2>&1; do
    i=$((i + 1))
    if [ $i -gt 120 ]; then
        echo "run.sh: the console did not answer within 120 s; its log: $node/data/log/karaf.log" >&2
        exit 1
    fi
    sleep 1
done
if ! grep -q '\*' /tmp/medsettle-run-catalogues.$$ && [ -f "$node/samples/catalogue-$admdvs.csv" ]; then
    "$node/bin/medsettle" catalogue-import "$PWD/$node/samples/catalogue-$admdvs.csv"
fi
rm -f /tmp/medsettle-run-catalogues.$$

echo "Waiting for medsettle:health ..."
i=0
until "$node/bin/medsettle" health >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 120 ]; then
        "$node/bin/medsettle" health || true
        echo "run.sh: the node is not healthy after 120 s; its log: $node/data/log/karaf.log" >&2
        exit 1
    fi
    sleep 1
done
"$node/bin/medsettle" health
echo
"$node/bin/medsettle" status
cat <<TXT

The node is running. Try:
  $node/bin/medsettle status                      one console command (as admin)
  MEDSETTLE_USER=auditor $node/bin/medsettle audit  as the read-only auditor
  ssh -p 8101 -i $node/etc/keys/admin admin@127.0.0.1   the interactive console
  ./run.sh stop                                   stop it
TXT
