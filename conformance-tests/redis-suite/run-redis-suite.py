#!/usr/bin/python3
"""Runs Redis 7.2.5's own test suite against the packaged Respite server, unit by unit, and compares the
outcome with expected.txt, the checked-in list of what must pass.

Each unit gets a fresh server on a free loopback port and runs in runtest's external mode. A unit that
prints nothing for --stall seconds is a hang: it is killed and the test it was in is named. The last line
is `redis-suite: N passed, M failed`; the exit status is non-zero on any unexpected failure or hang, and
when no test ran at all.

  run-redis-suite.py --reference DIR [--jar cli/target/respite-server.jar] [--unit unit/type/list ...]

With --against-reference the same units run against the reference's own redis-server instead, with no
test skipped and nothing compared: each unit's line then gives Redis's count, to set beside Respite's.
"""
import argparse
import os
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# Tests that need a second server process (replication) cannot run against one external server.
EXCLUDED_TAGS = ["-needs:repl"]

ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A test may print without a line break (SORT speed's timings, waitForBgsave), so the next start or outcome
# can follow other text on the same line.
OUTCOME = re.compile(r"(?:^|\s)\[(ok|err|skip|ignore|exception)\]: (.*)$")
STARTING = re.compile(r"(?:^|\s)starting test (.*)$")
ELAPSED = re.compile(r" \(\d+ ms\)$")


class Expected:
    """expected.txt: `[unit]` headers; under each, `ok<TAB>test` or `fail<TAB>test<TAB>reason`, or
    `skip<TAB>test<TAB>reason` for a test of Redis's C internals that is not run (runtest's --skiptest) because
    its failure would leave the server configured for the tests after it. A unit that cannot run is
    `[unit] not-run<TAB>reason`; `[unit] spawn` is run in runtest's own mode, where it starts the servers
    it needs (through the tree's src/redis-server, which starts Respite); `[unit] spawn tls` is run that way
    with runtest's --tls, its servers and clients on TLS with the certificates of Redis's gen-test-certs.sh.
    `slow<TAB>reason` after the header (and its modes) marks a unit too long for every build: it runs only
    when named with --unit, and its list still says what must pass then."""

    def __init__(self, path):
        self.units = {}      # unit -> {test: ("ok"|"fail", reason)}
        self.not_run = {}    # unit -> reason
        self.spawn = set()   # units whose servers runtest starts itself
        self.tls = set()     # spawned units run with --tls
        self.slow = {}       # unit -> why it runs only when named with --unit
        self.order = []
        self.path = path
        unit = None
        for n, raw in enumerate(path.read_text().splitlines(), 1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            head = re.match(r"^\[([^\]]+)\](?:\s+not-run\t(.+)|(\s+spawn)?(\s+tls)?(?:\s+slow\t(.+))?)$", line)
            if head:
                unit = head.group(1)
                self.order.append(unit)
                if head.group(2):
                    self.not_run[unit] = head.group(2).strip()
                    unit = None
                else:
                    self.units[unit] = {}
                    if head.group(3):
                        self.spawn.add(unit)
                    if head.group(4):
                        self.tls.add(unit)
                    if head.group(5):
                        self.slow[unit] = head.group(5).strip()
                continue
            parts = line.split("\t")
            with_reason = parts[0] in ("fail", "skip")
            if unit is None or parts[0] not in ("ok", "fail", "skip") or with_reason != (len(parts) == 3) \
                    or len(parts) > 3 or (with_reason and not parts[2].strip()):
                sys.exit(f"{path}:{n}: expected `ok<TAB>test` or `fail|skip<TAB>test<TAB>reason` under a [unit] header")
            self.units[unit][parts[1]] = (parts[0], parts[2] if len(parts) == 3 else "")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_ping(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(64).startswith(b"+PONG")
    except OSError:
        return False


# Servers runtest starts live for one test block: a small starting heap, and the quick-starting client compiler.
# The heap may grow to 2 GB: the fuzzers' random traffic builds strings of up to 512 MB (proto-max-bulk-len)
# and reads them back, which takes a copy or two.
SPAWNED_JVM = ["-Xms16m", "-Xmx2g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]


def server_command(binary):
    """How to start the server under test: the private copy of Respite's jar, or of redis-server with what
    runtest's own server configuration enables (Redis refuses DEBUG and protected configs by default)."""
    if binary.suffix == ".jar":
        return ["java", "-Xmx1g", "-jar", str(binary)]
    return [str(binary), "--enable-debug-command", "yes", "--enable-protected-configs", "yes",
            "--enable-module-command", "yes"]


class Server:
    def __init__(self, binary, work, log):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="server-", dir=work))
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(
            server_command(binary) + ["--port", str(self.port), "--bind", "127.0.0.1",
                                      "--save", "", "--dir", str(self.dir)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.dir)
        deadline = time.monotonic() + 60
        while not answers_ping(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{binary.name} did not start on port {self.port}, see {log}")
            time.sleep(0.1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def prepare_tree(reference, work, binary):
    """A private copy of the suite's tests/ (runtest writes its scratch files there) next to a src/ holding
    the reference build's tools (the suite runs src/redis-cli, src/redis-benchmark, src/redis-check-aof)
    and, as src/redis-server, a script that starts the server under test with the arguments runtest gives."""
    tree = work / "redis"
    tree.mkdir()
    shutil.copytree(reference / "tests", tree / "tests")
    src = tree / "src"
    src.mkdir()
    for tool in (reference / "src").iterdir():
        if tool.name != "redis-server":
            (src / tool.name).symlink_to(tool)
    server = src / "redis-server"
    # exec keeps the PID runtest was given: it finds the server's log lines and signals it by that PID.
    if binary.suffix == ".jar":
        server.write_text(f"#!/bin/sh\nexec java {' '.join(SPAWNED_JVM)} -jar {binary} \"$@\"\n")
    else:
        server.write_text(f"#!/bin/sh\nexec {binary} \"$@\"\n")
    server.chmod(0o755)
    return tree


def make_test_certificates(reference, tree):
    """tests/tls/ as runtest --tls expects it, made by the reference's own utils/gen-test-certs.sh: a CA, a
    server-only and a client-only certificate, and DH parameters."""
    if (tree / "tests" / "tls" / "client.crt").is_file():
        return
    if shutil.which("openssl") is None:
        sys.exit("redis-suite: openssl is missing (apt-get install -y openssl)")
    if subprocess.run(["tclsh"], input=b"package require tls\n", capture_output=True).returncode != 0:
        sys.exit("redis-suite: Tcl's tls package is missing (apt-get install -y tcl-tls)")
    made = subprocess.run(["bash", str(reference / "utils" / "gen-test-certs.sh")], cwd=tree,
                          capture_output=True, text=True)
    if made.returncode != 0:
        sys.exit(f"redis-suite: gen-test-certs.sh failed:\n{made.stdout}{made.stderr}")


def run_unit(tree, unit, port, stall, out, skipped, tls=False):
    """Runs one unit, against the server on port, or with port None in runtest's own mode, where it starts
    its servers itself; returns ({test: [outcomes]}, hung test or None, error text or None)."""
    cmd = ["tclsh", "tests/test_helper.tcl", "--single", unit, "--clients", "1", "--durable",
           "--verbose", "--verbose", "--timeout", str(stall * 4),
           # runtest's own listener port; its default is fixed, so two runs on one machine would collide
           "--baseport", str(random.randrange(21000, 24000))]
    if port is not None:
        cmd += ["--host", "127.0.0.1", "--port", str(port), "--tags", " ".join(EXCLUDED_TAGS)]
    if tls:
        cmd.append("--tls")
    for test in skipped:
        cmd += ["--skiptest", test]
    proc = subprocess.Popen(cmd, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        return read_unit(proc, stall, out)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def read_unit(proc, stall, out):
    results, pending, hung, error = {}, [], None, None
    buffer = b""
    last = time.monotonic()
    fd = proc.stdout.fileno()
    while True:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            last = time.monotonic()
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:
                line = ANSI.sub("", raw.decode("utf-8", "replace"))
                out.write(line + "\n")
                start = STARTING.search(line)
                if start:
                    pending.append(start.group(1))
                    continue
                m = OUTCOME.search(line)
                if not m:
                    continue
                status, text = m.groups()
                if status == "ok":
                    name = ELAPSED.sub("", text)
                elif status == "err":
                    name = text.split(" in tests/")[0] if " in tests/" in text else (pending[0] if pending else text)
                elif status == "exception":
                    error = f"exception: {text}"
                    name = pending[0] if pending else None
                else:
                    name = text.split(": ")[0] if status == "ignore" else text
                    if name in pending:
                        pending.remove(name)
                    continue
                if name is None:
                    continue
                results.setdefault(name, []).append("ok" if status == "ok" else "err")
                if name in pending:
                    pending.remove(name)
        elif time.monotonic() - last > stall:
            hung = pending[0] if pending else "(before its first test)"
            os.killpg(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    if hung:
        results.setdefault(hung, []).append("hang")
    elif proc.returncode != 0 and error is None and not any("err" in v for v in results.values()):
        error = f"runtest exited with status {proc.returncode}"
    return results, hung, error


def record(path, expected, observed):
    """Writes the observed outcome as an expected list, keeping the reasons already given; a failure
    without one is marked for the reader to explain."""
    lines = []
    for unit in expected.order:
        if unit in expected.not_run:
            lines.append(f"\n[{unit}] not-run\t{expected.not_run[unit]}")
            continue
        lines.append(f"\n[{unit}]" + (" spawn" if unit in expected.spawn else "")
                     + (" tls" if unit in expected.tls else "")
                     + (f" slow\t{expected.slow[unit]}" if unit in expected.slow else ""))
        results, hung = observed.get(unit, ({}, None))
        want = expected.units[unit]
        names = list(results) + [t for t in want if t not in results]
        for test in names:
            outcomes = results.get(test)
            if want.get(test, ("", ""))[0] == "skip":
                lines.append(f"skip\t{test}\t{want[test][1]}")
            elif outcomes and all(o == "ok" for o in outcomes):
                lines.append(f"ok\t{test}")
            else:
                reason = want.get(test, ("", ""))[1] or ("hangs" if outcomes and "hang" in outcomes
                                                         else "UNEXPLAINED")
                lines.append(f"fail\t{test}\t{reason}")
    header = [l for l in Path(expected.path).read_text().splitlines() if l.startswith("#")]
    path.write_text("\n".join(header + lines) + "\n")


def run_with_server(binary, work, tree, unit, args, slug, skipped, spawn, tls=False):
    with open(args.logs / f"{slug}.log", "w") as out:
        if spawn:
            try:
                return run_unit(tree, unit, None, args.stall, out, skipped, tls)
            finally:
                kill_servers_of(binary)
        server = Server(binary, work, args.logs / f"{slug}.server.log")
        try:
            return run_unit(tree, unit, server.port, args.stall, out, skipped)
        finally:
            server.stop()


def kill_servers_of(binary):
    """Servers runtest started and did not stop (a unit killed for a stall leaves them running): every
    process running this run's private copy of the server."""
    mine = str(binary).encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if mine in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)
        except (OSError, ProcessLookupError):
            continue


def tail(path, lines=20):
    return "\n".join("    " + line for line in path.read_text(errors="replace").splitlines()[-lines:])


def failure_detail(path, test, lines=4):
    """What runtest printed under a test's [err] line (its assertion), indented for the summary."""
    log = path.read_text(errors="replace").splitlines()
    for i, line in enumerate(log):
        if f"[err]: {test}" in line:
            return "\n" + "\n".join("    " + detail[:300] for detail in log[i + 1:i + 1 + lines])
    return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True, type=Path, help="the built redis-7.2.5 tree")
    ap.add_argument("--jar", type=Path, default=ROOT / "cli" / "target" / "respite-server.jar")
    ap.add_argument("--expected", type=Path, default=HERE / "expected.txt")
    ap.add_argument("--unit", action="append", help="run only this unit (repeatable)")
    ap.add_argument("--stall", type=int, default=240, help="seconds without output that make a hang")
    ap.add_argument("--record", type=Path, help="also write the outcome in expected.txt's format here")
    ap.add_argument("--logs", type=Path, default=ROOT / "conformance-tests" / "target" / "redis-suite")
    ap.add_argument("--against-reference", action="store_true",
                    help="run the units against the reference's redis-server, to count what Redis passes")
    args = ap.parse_args()
    # Stopped from outside: unwind through the finally blocks that stop the server and runtest.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    expected = Expected(args.expected)
    if not (args.reference / "tests" / "test_helper.tcl").is_file():
        sys.exit(f"redis-suite: no Redis test suite under {args.reference}")
    if not args.against_reference and not args.jar.is_file():
        sys.exit(f"redis-suite: {args.jar} is missing; build it with mvn -B -DskipTests package")
    if shutil.which("tclsh") is None:
        sys.exit("redis-suite: tclsh is missing (apt-get install -y tcl)")
    units = args.unit or [u for u in expected.order if u not in expected.not_run and u not in expected.slow]
    if not args.unit:
        for unit, reason in expected.slow.items():
            print(f"redis-suite: {unit} is not run (slow: {reason}); name it with --unit to run it", flush=True)
    unknown = [u for u in units if u not in expected.units]
    if unknown:
        sys.exit(f"redis-suite: not in {args.expected.name}: {' '.join(unknown)}")

    args.logs.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="redis-suite-"))
    passed = failed = 0
    problems, notes = [], []
    observed = {}
    started = time.monotonic()
    try:
        # A private copy: a rebuild while the suite runs must not change the server under test, and the
        # servers a stalled unit leaves behind are found by its path.
        if args.against_reference:
            binary = work / "redis-server"
            shutil.copy2(args.reference / "src" / "redis-server", binary)
        else:
            binary = work / "respite-server.jar"
            shutil.copyfile(args.jar, binary)
        tree = prepare_tree(args.reference.resolve(), work, binary)
        for unit in units:
            slug = unit.replace("/", "_")
            t0 = time.monotonic()
            skipped = [] if args.against_reference else [
                t for t, (state, _) in expected.units[unit].items() if state == "skip"]
            spawn = unit in expected.spawn
            tls = unit in expected.tls
            if tls:
                make_test_certificates(args.reference.resolve(), tree)
            results, hung, error = run_with_server(binary, work, tree, unit, args, slug, skipped, spawn, tls)
            if error and not results:
                # runtest stopped before its first test: show why, and give the unit one more fresh start.
                print(f"redis-suite: {unit}: {error} before its first test; runtest's output, then the server's:")
                print(tail(args.logs / f"{slug}.log"))
                if not spawn:
                    print(tail(args.logs / f"{slug}.server.log"))
                sys.stdout.flush()
                results, hung, error = run_with_server(binary, work, tree, unit, args, slug, skipped, spawn, tls)
            want = expected.units[unit]
            observed[unit] = (results, hung)
            ok = sum(1 for v in results.values() if all(o == "ok" for o in v))
            bad = len(results) - ok
            passed += ok
            failed += bad
            print(f"redis-suite: {unit}: {ok} passed, {bad} failed"
                  f"{', hung in: ' + hung if hung else ''} ({time.monotonic() - t0:.0f}s)", flush=True)
            if args.against_reference:
                continue
            for test, outcomes in results.items():
                good = all(o == "ok" for o in outcomes)
                listed = want.get(test)
                if not good and (listed is None or listed[0] == "ok"):
                    what = "hung in" if "hang" in outcomes else "failed"
                    problems.append(f"{unit}: {what}: {test}" + failure_detail(args.logs / f"{slug}.log", test))
                elif good and listed is not None and listed[0] == "fail":
                    notes.append(f"{unit}: passes now, listed as failing: {test}")
                elif good and listed is None:
                    notes.append(f"{unit}: passes, not listed: {test}")
            for test, (state, _) in want.items():
                if state == "ok" and test not in results:
                    problems.append(f"{unit}: did not run: {test}")
            if error:
                problems.append(f"{unit}: {error}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.record:
        record(args.record, expected, observed)
    for line in notes:
        print("note: " + line)
    for line in problems:
        print("UNEXPECTED " + line)
    print(f"redis-suite: {len(units)} units in {time.monotonic() - started:.0f}s; logs in {args.logs}")
    if passed + failed == 0:
        problems.append("no test ran")
        print("redis-suite: no test ran")
    print(f"redis-suite: {passed} passed, {failed} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
