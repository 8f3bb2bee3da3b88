# The treatment node's 2304 samples by phase: each sample of a stack under SettlementTransactions.settle* is named by
# its innermost frame that matches one of the phases below (the first in this list when several match that frame).
# jfr print --events jdk.ExecutionSample --stack-depth 64 rec.jfr > samples.txt && python3 benchmarks/jfr-phases.py samples.txt
import sys,re,collections
text=open(sys.argv[1]).read()
events=text.split("jdk.ExecutionSample {")[1:]
# innermost-first: first matching pattern from the top of the stack names the phase
cats=[('supervision check','SupervisionService.check'),('supervision record','SupervisionService.record'),
('ledger','LedgerService'),('audit','JdbcAuditLog'),('outbox enqueue','OutboxStore.write|outbox\\(\\)\\.enqueue|LinkOutbox'),
('link exchange (apply)','LinkClient.exchange'),('engine compute','RulesEngine|EngineComponent'),
('insert pending','insertSettlement'),('move settlement','moveSettlement'),('move visit','moveVisit'),('record message/answer','recordMessage|Envelopes.commit'),
('basis: fees','engineLines|VisitFees'),('basis: visit/msgid','ownVisit|TreatmentStore.message|settlementsOfMessage|TreatmentStore.visit'),
('keepApplied','keepApplied'),('topUp','topUp|SettlementTopUp'),('answer json','Output\\.'),
('tx begin/commit','Transactions.(run|once)'),]
c=collections.Counter(); n=0
for e in events:
    frames=re.findall(r"^\s+([\w$.<>/]+)\(", e, re.M)
    if not frames: continue
    if not any('SettlementTransactions.settle' in f for f in frames): continue
    n+=1
    for f in frames:
        hit=None
        for name,rx in cats:
            if re.search(rx,f): hit=name; break
        if hit: c[hit]+=1; break
    else: c['other']+=1
print('settle samples',n)
for k,v in c.most_common(30): print(f"{100*v/n:5.1f} % {k}")
