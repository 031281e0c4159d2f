#!/usr/bin/env python3
"""Writes the RESP of N HSET commands (default 100,000), each setting 10 fields, to stdout, for redis-cli --pipe.

Field names field0..field9; values "value<n>" (6 to 12 bytes). This is the hash dataset of the Memory section of
docs/performance.md:  bench/hashes-resp.py > /tmp/hashes.resp
                      bench/memory-per-key.sh respite 7802 'redis-cli -p $port --pipe < /tmp/hashes.resp'
"""
import sys

def command(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
w = sys.stdout.buffer
for i in range(n):
    args = ["HSET", "hash:%d" % i]
    for j in range(10):
        args += ["field%d" % j, "value%d" % (i * 10 + j)]
    w.write(command(*args))
