"""HTTP append: entries/s, latency and CPU per entry of POST /funds/{id}/donations against a real
``fundbook serve`` on a store that already holds a history (not a test).

    .venv/bin/python -m bench.http_append                       # SQLite, 1 worker, 3 runs
    .venv/bin/python -m bench.http_append --workers 1 2 4 --database-url postgresql://fundbook:fundbook@127.0.0.1/fundbook_test_c
    .venv/bin/python -m bench.http_append --compare /tmp/old-tree   # the code before, run for run

The store: ``bench.append_history`` (by default 100,000 entries over 20 funds and 201 members,
built once through the Ledger and cached); each run appends to its own copy of it. A bookkeeper
token from ``fundbook user add``, then ``fundbook serve --workers N``.

The clients: ``--clients`` threads spread over ``--client-processes`` processes, each on its own
keep-alive connection, sending a request made of bytes prepared once (only the Idempotency-Key
changes) and reading the answer's status line, headers and body by hand: no HTTP library on the
client side, so the client takes little of the two cores the server runs on. ``--funds N``
spreads the threads over the history's first N funds (the seeded one first). Every answer must
be 201. After a 2 s warm-up, ``--seconds`` are measured.

Reported per run: entries/s, p50 and p99 latency, the server's CPU per entry (user + system of
the server process and its workers over the measured window, from /proc) and the client's CPU
per request. ``--compare TREE`` runs, in turn with each run here, a server started with
``PYTHONPATH=TREE`` (a copy of an older ``ledger`` package: ``git archive <commit> ledger | tar
-x -C TREE``). ``--profile`` samples the server with py-spy (``pip install py-spy``) and prints
the functions most on the stack.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from bench import append_history
from tests.e2e.server import start_server

WARM_UP_S = 2.0
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Figures:
    rate: float
    p50_ms: float
    p99_ms: float
    server_cpu_ms: float  # per entry
    client_cpu_ms: float  # per request


def request_parts(port: int, fund: str, member: str, token: str) -> tuple[bytes, bytes]:
    """The request's bytes before and after its Idempotency-Key (32 characters)."""
    body = (
        '{"occurred_on":"2026-01-05","amount":"1.00","donor_kind":"member",'
        f'"donor_person_id":"{member}","doc_refs":["收据"]}}'
    ).encode()
    head = (
        f"POST /funds/{fund}/donations HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nIdempotency-Key: "
    ).encode()
    return head, b"\r\n\r\n" + body


def read_answer(sock: socket.socket, buffer: bytearray) -> tuple[int, bytes]:
    """One answer from a keep-alive connection: its status and body (``Content-Length`` bodies
    only, which is what the server sends for these requests)."""
    while (end := buffer.find(b"\r\n\r\n")) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    head = bytes(buffer[:end]).lower()
    status = int(head[9:12])
    at = head.find(b"content-length:")
    line_end = head.find(b"\r\n", at)
    length = int(head[at + 15 : line_end if line_end >= 0 else len(head)])
    total = end + 4 + length
    while len(buffer) < total:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    body = bytes(buffer[end + 4 : total])
    del buffer[:total]
    return status, body


def client_process(
    port: int, parts: list[tuple[bytes, bytes]], threads: int, start_at: float, stop_at: float, out
) -> None:
    latencies: list[float] = []
    errors: list[str] = []
    sent = [0]
    lock = threading.Lock()

    def run(thread_no: int) -> None:
        head, tail = parts[thread_no % len(parts)]  # the funds in turn
        tag = uuid.uuid4().hex[:20]
        mine: list[float] = []
        buffer = bytearray()
        n = 0
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while (began := time.monotonic()) < stop_at:
                sock.sendall(b"%s%s%012d%s" % (head, tag.encode(), n, tail))
                status, body = read_answer(sock, buffer)
                done = time.monotonic()
                n += 1
                if status != 201:
                    with lock:
                        errors.append(f"{status} {body[:300]!r}")
                elif began >= start_at:
                    mine.append(done - began)
        with lock:
            latencies.extend(mine)
            sent[0] += n

    cpu = time.process_time()
    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    out.put((latencies, errors[:3], time.process_time() - cpu, sent[0]))


def server_cpu_s(pid: int) -> float:
    """User + system CPU of the server and its worker processes so far."""
    from bench.mixed_load import children  # here: bench.mixed_load imports fresh_url from this module

    total = 0
    for one in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def one_run(
    url: str, history: append_history.History, tree: str | None, args: argparse.Namespace, workers: int
) -> Figures:
    server = start_server(url, workers=workers, env={"PYTHONPATH": tree} if tree else None)
    spy = None
    try:
        port = int(server.base_url.rsplit(":", 1)[1])
        funds = history.funds[: args.funds]
        parts = [request_parts(port, fund, history.member, history.token) for fund in funds]
        queue: multiprocessing.Queue = multiprocessing.Queue()
        start_at = time.monotonic() + WARM_UP_S + 0.5
        stop_at = start_at + args.seconds
        per_process = max(1, args.clients // args.client_processes)
        procs = [
            multiprocessing.Process(
                target=client_process, args=(port, parts, per_process, start_at, stop_at, queue)
            )
            for _ in range(args.client_processes)
        ]
        for proc in procs:
            proc.start()
        time.sleep(max(0.0, start_at - time.monotonic()))
        cpu_start = server_cpu_s(server.process.pid)
        if args.profile:
            spy = _profile(
                server.process.pid, Path(f"/tmp/fundbook-http-append-{'before' if tree else 'after'}.txt")
            )
        time.sleep(max(0.0, stop_at - time.monotonic()))
        cpu_end = server_cpu_s(server.process.pid)
        results = [queue.get() for _ in procs]
        for proc in procs:
            proc.join()
    finally:
        if spy is not None:
            spy[0].send_signal(signal.SIGINT)
            spy[0].wait(timeout=120)
        server.log.seek(0)
        server_log = server.log.read()
        server.stop()
    errors = [e for _, errs, _, _ in results for e in errs]
    if errors:
        Path("/tmp/http_append_server.log").write_text(server_log)
        raise SystemExit(f"refused appends (server log in /tmp/http_append_server.log): {errors}")
    latencies = sorted(lat for lats, _, _, _ in results for lat in lats)
    client_cpu = sum(cpu for _, _, cpu, _ in results)
    sent = sum(n for _, _, _, n in results)
    if spy is not None:
        from bench.one_fund import top_frames  # here: see server_cpu_s

        print(f"profile of the server ({'before' if tree else 'after'}):\n{top_frames(spy[1], args.profile)}")
    return Figures(
        rate=len(latencies) / args.seconds,
        p50_ms=latencies[len(latencies) // 2] * 1000,
        p99_ms=latencies[int(len(latencies) * 0.99)] * 1000,
        server_cpu_ms=(cpu_end - cpu_start) * 1000 / max(1, len(latencies)),
        client_cpu_ms=client_cpu * 1000 / max(1, sent),
    )


def fresh_url(base: str | None, work: Path, run: int) -> str:
    """An empty store: a new SQLite file, or a new PostgreSQL schema (``bench.mixed_load``)."""
    if base is None:
        return f"sqlite:///{work / f'http{run}.db'}"
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    return append_history.with_schema(base, schema)


def _profile(pid: int, out: Path) -> tuple[subprocess.Popen, Path]:
    spy = Path(sys.executable).with_name("py-spy")
    command = [
        str(spy),
        "record",
        "--pid",
        str(pid),
        "--format",
        "raw",
        "--rate",
        "250",
        "--nonblocking",
        "--gil",
    ]
    command += ["--subprocesses", "-o", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), out


def show(label: str, figures: Figures) -> str:
    return (
        f"{label}: {figures.rate:,.0f} entries/s, p50 {figures.p50_ms:.1f} ms, p99 {figures.p99_ms:.1f} ms, "
        f"server CPU {figures.server_cpu_ms:.2f} ms/entry, client CPU {figures.client_cpu_ms:.2f} ms/request"
    )


def median(runs: list[Figures]) -> Figures:
    return Figures(
        *(statistics.median(getattr(f, name) for f in runs) for name in Figures.__dataclass_fields__)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--events", type=int, default=100_000, help="the history the store holds first")
    parser.add_argument("--funds", type=int, default=1, help="spread the clients over this many funds")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL database (else SQLite)")
    parser.add_argument("--compare", default=None, help="a tree holding an older ledger package")
    parser.add_argument("--profile", type=int, default=0, help="print this many profile lines")
    args = parser.parse_args()
    history = append_history.cached(args.events, args.database_url)
    trees = ([("before", args.compare)] if args.compare else []) + [("now", None)]
    figures: dict[tuple[str, int], list[Figures]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for workers in args.workers:
                for label, tree in trees:
                    url = append_history.copy_for_run(history, Path(tmp), args.database_url, label)
                    try:
                        one = one_run(url, history, tree, args, workers)
                    finally:
                        append_history.drop_copy(url, args.database_url)
                    figures.setdefault((label, workers), []).append(one)
                    print(show(f"run {run + 1}, {label}, {workers} worker(s)", one), flush=True)
    store = "PostgreSQL" if args.database_url else "SQLite"
    print(f"medians of {args.runs} runs, {store}, {args.clients} clients, history {args.events:,} entries:")
    for (label, workers), runs in figures.items():
        print(show(f"  {label}, {workers} worker(s)", median(runs)))


if __name__ == "__main__":
    main()
