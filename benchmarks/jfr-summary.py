# Summarises the execution samples of a JFR recording: share of samples per library and the top frames.
# jfr print --events jdk.ExecutionSample --stack-depth 64 rec.jfr > samples.txt && python3 benchmarks/jfr-summary.py samples.txt
import sys, re, collections
text=open(sys.argv[1]).read()
events=text.split("jdk.ExecutionSample {")[1:]
top=collections.Counter(); incl=collections.Counter(); n=0
cats=[("Ed25519/crypto",r"sun\.security\.ec|java\.security\.Signature|EdDSA|sun\.security\.util\.math"),
("Derby",r"org\.apache\.derby"),("Jackson",r"com\.fasterxml"),("Camel",r"org\.apache\.camel"),
("Jetty",r"org\.eclipse\.jetty"),("JDK HttpClient",r"jdk\.internal\.net\.http"),("engine",r"org\.medsettle\.engine"),
("medsettle (all)",r"org\.medsettle"),("logging",r"pax\.logging|log4j"),("gzip",r"java\.util\.zip"),("JIT/GC-ish",r"jdk\.internal\.misc")]
for e in events:
    frames=re.findall(r"^\s+([\w$.<>/]+)\(", e, re.M)
    frames=[f for f in frames if f not in ("stackTrace",)]
    if not frames: continue
    n+=1
    top[frames[0]]+=1
    s="\n".join(frames)
    for name,rx in cats:
        if re.search(rx,s): incl[name]+=1
print("samples",n)
for name,_ in cats: print(f"  {name:20s} {100*incl[name]/max(n,1):5.1f} %")
print("top frames:")
for f,c in top.most_common(25): print(f"  {100*c/n:5.1f} % {f}")
