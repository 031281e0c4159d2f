#!/usr/bin/env python3
"""Replays one seeded Zipf-distributed cache workload (GET, SET on miss) against Respite and a real
redis-server started with the same maxmemory and policy, and prints both hit ratios side by side.

usage: bench/zipf-hit-ratio.py [--policy allkeys-lru] [--maxmemory 4mb] [--keys 100000] [--requests 300000]
                               [--alpha 0.99] [--value 100]
Needs the jar (mvn -DskipTests package) and /usr/bin/redis-server. Speaks RESP over plain sockets."""
import argparse, bisect, os, random, socket, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.f = self.s.makefile("rb")

    def pipeline(self, cmds):
        self.s.sendall(b"".join(encode(*c) for c in cmds))
        return [self.read() for _ in cmds]

    def read(self):
        line = self.f.readline()
        t, rest = line[:1], line[1:-2]
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if t == b"-":
            raise RuntimeError(rest.decode())
        if t == b"*":
            return [self.read() for _ in range(int(rest))]
        return rest


def wait_ready(port):
    for _ in range(600):
        try:
            c = Conn(port)
            if c.pipeline([["PING"]])[0] == b"PONG":
                return c
        except (OSError, RuntimeError):
            pass
        time.sleep(0.1)
    sys.exit("server on port %d did not start" % port)


def zipf_sampler(n, alpha, rnd):
    weights = [1.0 / (i ** alpha) for i in range(1, n + 1)]
    total, acc, cdf = sum(weights), 0.0, []
    for w in weights:
        acc += w
        cdf.append(acc / total)
    # Ranks are shuffled onto key names so that popularity does not follow insertion order.
    names = list(range(n))
    rnd.shuffle(names)
    return lambda: names[bisect.bisect_left(cdf, rnd.random())]


def run(port, args):
    c = wait_ready(port)
    c.pipeline([["FLUSHALL"], ["CONFIG", "SET", "maxmemory-policy", args.policy], ["CONFIG", "SET", "maxmemory", args.maxmemory],
                ["CONFIG", "RESETSTAT"]])
    rnd = random.Random(42)
    draw = zipf_sampler(args.keys, args.alpha, rnd)
    value = b"v" * args.value
    hits = done = 0
    while done < args.requests:
        batch = [b"key:%d" % draw() for _ in range(min(100, args.requests - done))]
        replies = c.pipeline([["GET", k] for k in batch])
        misses = [k for k, r in zip(batch, replies) if r is None]
        hits += len(batch) - len(misses)
        if misses:
            c.pipeline([["SET", k, value] for k in misses])
        done += len(batch)
    info = c.pipeline([["INFO", "stats"]])[0].decode()
    evicted = [l for l in info.split("\r\n") if l.startswith("evicted_keys:")][0].split(":")[1]
    keys = c.pipeline([["DBSIZE"]])[0].decode()
    return hits / done, evicted, keys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--policy", default="allkeys-lru")
    p.add_argument("--maxmemory", default="4mb")
    p.add_argument("--keys", type=int, default=100000)
    p.add_argument("--requests", type=int, default=300000)
    p.add_argument("--alpha", type=float, default=0.99)
    p.add_argument("--value", type=int, default=100)
    args = p.parse_args()
    procs = []
    try:
        procs.append(subprocess.Popen(["java", "-jar", os.path.join(ROOT, "cli/target/respite-server.jar"), "--port", "7791",
                                       "--save", ""], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen(["/usr/bin/redis-server", "--port", "7792", "--save", "", "--appendonly", "no"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        print("policy=%s maxmemory=%s keys=%d requests=%d zipf-alpha=%.2f value=%dB" % (
            args.policy, args.maxmemory, args.keys, args.requests, args.alpha, args.value))
        for name, port in (("respite", 7791), ("redis", 7792)):
            ratio, evicted, keys = run(port, args)
            print("%-8s hit ratio %.4f  evicted_keys %s  keys held %s" % (name, ratio, evicted, keys))
    finally:
        for pr in procs:
            pr.terminate()
            pr.wait()


if __name__ == "__main__":
    main()
