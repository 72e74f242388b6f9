"""Writes a noitd journal segment of synthetic check results, as noitd itself would have.

  gen_journal.py DIR CHECKS RUNS METRICS PERIOD_S

CHECKS checks, each with a C record, then RUNS runs PERIOD_S apart ending about now: per run
one S record and METRICS numeric M records. Line format (Sources/Journal/JournalLine.swift):
<sequence>\t<crc32 of "<sequence>\t<payload>" as 8 hex>\t<payload>\n.
Prints the number of records written.
"""
import os, sys, time, uuid, zlib, random

directory, checks, runs, metrics, period = sys.argv[1], *map(int, sys.argv[2:6])
os.makedirs(directory, exist_ok=True)
random.seed(7)
uuids = [str(uuid.UUID(int=random.getrandbits(128), version=4)) for _ in range(checks)]
now = time.time()
first_run = now - runs * period
sequence = 0
os.makedirs(os.path.join(directory, "segments"), exist_ok=True)
with open(os.path.join(directory, "segments", "%020d.journal" % 1), "wb") as out:
    def write(payload):
        global sequence
        sequence += 1
        head = b"%d\t" % sequence
        body = payload.encode()
        out.write(head + b"%08x\t" % zlib.crc32(body, zlib.crc32(head)) + body + b"\n")
    for index, check in enumerate(uuids):
        write("C\t%.3f\t%s\t127.0.0.%d\ttcp\tbench-%d" % (first_run - 1, check, index % 250 + 1, index))
    for run in range(runs):
        for index, check in enumerate(uuids):
            # Checks spread over the period, as the scheduler spreads them.
            ts = first_run + run * period + period * index / checks
            duration = random.randint(1, 40)
            write("S\t%.3f\t%s\tG\tA\t%d\tconnected" % (ts, check, duration))
            for m in range(metrics):
                write("M\t%.3f\t%s\tmetric%d\tn\t%r" % (ts, check, m, random.random() * 1000))
print(sequence)
