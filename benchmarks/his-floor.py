#!/usr/bin/env python3
# What one HIS request costs a node before its transaction does any business work: 9001 (sign-in) sent by N threads
# on kept-alive connections for S seconds, signed as a hospital, and the node's CPU per request from /proc/<pid>/stat
# (docs/performance.md, "System calls per whole stay ..."). On the demo (./run.sh):
#
#   run/node-330000/bin/medsettle hospital-key --export /tmp/hk H33030000001
#   python3 benchmarks/his-floor.py /tmp/hk H33030000001 8181 $(cat run/node-330000/karaf.pid) 20 4
import base64, datetime, hashlib, hmac, http.client, json, os, sys, threading, time

key_file, hospital, port, pid, seconds, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), \
    float(sys.argv[5]), int(sys.argv[6])
KEY = base64.b64decode(open(key_file).read().strip())
lock = threading.Lock()
sequence, done, refused = [0], [0], {}


def ticks():
    stat = open(f"/proc/{pid}/stat").read()
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def clerk(until):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    while time.time() < until:
        with lock:
            sequence[0] += 1
            n = sequence[0]
        now = datetime.datetime.now()
        envelope = {"infno": "9001", "msgid": hospital + now.strftime("%Y%m%d%H%M%S") + "%04d" % (n % 10000),
                    "mdtrtarea_admvs": "330300", "insuplc_admdvs": "", "recer_sys_code": "HIS", "infver": "V1.0",
                    "opter_type": "1", "opter": "c", "opter_name": "c", "inf_time": now.strftime("%Y-%m-%d %H:%M:%S"),
                    "fixmedins_code": hospital, "fixmedins_name": "x", "sign_no": "",
                    "input": {"signIn": {"opter_no": "c", "mac": "00:00:00:00:00:00", "ip": "127.0.0.1"}}}
        body = json.dumps(envelope).encode()
        connection.request("POST", "/fsi/api/rsfComIfsService/callService", body=body, headers={
            "Content-Type": "application/json", "X-Medsettle-Hospital": hospital,
            "X-Medsettle-Signature": hmac.new(KEY, body, hashlib.sha256).hexdigest()})
        answer = json.loads(connection.getresponse().read())
        with lock:
            if answer.get("infcode") == "0":
                done[0] += 1
            else:
                why = str(answer.get("err_msg"))[:80]
                refused[why] = refused.get(why, 0) + 1


before, start = ticks(), time.time()
workers = [threading.Thread(target=clerk, args=(start + seconds,)) for _ in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
took = time.time() - start
cpu_ms = (ticks() - before) / os.sysconf("SC_CLK_TCK") * 1000
print(f"9001: {done[0]} done in {took:.1f} s ({done[0] / took:.0f}/s), the node's CPU {cpu_ms / max(1, done[0]):.3f} ms "
      f"per request; refused {refused or 'none'}")
