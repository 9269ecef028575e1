"""Helpers for the end-to-end tests: seed a store with the Ledger, make tokens with the real
``fundbook user add`` command, and run a real ``fundbook serve`` process on a free port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings

# How long a started server may take to answer /health: generous, since CI runs both stores'
# tests at once on a shared 2-core machine, where a cold start (imports, tables) can take long;
# a server that dies says so at once (its exit code ends the wait).
STARTUP_TIMEOUT_S = 90.0
SEED_ACTOR = "e2e-seed"
ESTABLISHED_ON = date(2020, 1, 1)


def fundbook_command() -> list[str]:
    """The installed ``fundbook`` script next to this Python, else the CLI module run by it."""
    script = Path(sys.executable).with_name("fundbook")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from ledger.cli import main; main()"]


def env_for(database_url: str) -> dict[str, str]:
    return {**os.environ, "FUNDBOOK_DATABASE_URL": database_url}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Seed:
    community: str
    branch: str
    fund: str
    bookkeeper_person: str
    auditor_person: str
    member: str


def seed(database_url: str) -> Seed:
    """A community, its branch, a mutual-aid fund of the branch, and three people."""
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        community = ledger.register_organisation(
            actor=SEED_ACTOR,
            kind="community_committee",
            name_zh="阳光社区党委",
            established_on=ESTABLISHED_ON,
        )["org_id"]
        branch = ledger.register_organisation(
            actor=SEED_ACTOR,
            kind="branch",
            name_zh="第一离退休党支部",
            parent_org_id=community,
            established_on=ESTABLISHED_ON,
        )["org_id"]
        fund = ledger.establish_fund(
            actor=SEED_ACTOR,
            owner_org_id=branch,
            kind="mutual_aid",
            name_zh="党员互助金",
            allowed_purposes=["hardship_aid"],
            custody={"kind": "bank_account", "ref": "居委会账户"},
            established_on=ESTABLISHED_ON,
        )["fund_id"]
        people = [
            ledger.register_person(actor=SEED_ACTOR, name_zh=name)["person_id"]
            for name in ("李会计", "张审计", "王小明")
        ]
    finally:
        ledger.close()
    return Seed(community, branch, fund, *people)


def add_user(database_url: str, person_id: str, role: str, org_id: str) -> str:
    """Run ``fundbook user add`` and return the token it prints once."""
    done = subprocess.run(
        [*fundbook_command(), "user", "add", "--person", person_id, "--role", role, "--org", org_id],
        env=env_for(database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    prefix = "token (shown once, keep it safe): "
    tokens = [line[len(prefix) :].strip() for line in done.stdout.splitlines() if line.startswith(prefix)]
    assert len(tokens) == 1 and tokens[0].startswith("fbk_"), done.stdout
    return tokens[0]


@dataclass
class Server:
    """A started ``fundbook serve`` process, its base URL and its log."""

    process: subprocess.Popen
    base_url: str
    log: Any

    def stop(self) -> None:
        if self.process.poll() is not None:  # it died during the test: show why
            self.log.seek(0)
            died = f"fundbook serve exited with {self.process.returncode}:\n{self.log.read()}"
            print(died, file=sys.stderr)
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


def start_server(
    database_url: str,
    *,
    workers: int = 1,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
) -> Server:
    """Start ``fundbook serve`` (with more ``args``, e.g. ``--read-only``) on a free port and
    wait until /health answers. Another test process (pytest-xdist runs several) may take the
    port between ``free_port`` and the server's bind: then it starts again on another port."""
    for _ in range(PORT_ATTEMPTS - 1):
        try:
            return _start_server_once(database_url, workers=workers, env=env, args=args)
        except PortTaken:
            continue
    return _start_server_once(database_url, workers=workers, env=env, args=args)


PORT_ATTEMPTS = 3


class PortTaken(AssertionError):
    """The server could not bind the port ``free_port`` chose: someone took it meanwhile."""


def _start_server_once(
    database_url: str, *, workers: int, env: dict[str, str] | None, args: tuple[str, ...]
) -> Server:
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 (closed by Server.stop)
    process = subprocess.Popen(
        [
            *fundbook_command(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            *args,
        ],
        env={**env_for(database_url), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_healthy(process, server.base_url, log)
    except BaseException:
        server.stop()
        raise
    return server


@contextmanager
def running_server(
    database_url: str, extra_env: dict[str, str] | None = None, *, workers: int = 1
) -> Iterator[str]:
    """A real ``fundbook serve`` on a free port; yields its base URL and always stops it.
    ``extra_env``: more settings, e.g. ``FUNDBOOK_TODAY_FILE`` to move its business date."""
    server = start_server(database_url, workers=workers, env=extra_env)
    try:
        yield server.base_url
    finally:
        server.stop()


def _wait_until_healthy(process: subprocess.Popen, base_url: str, log) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = ""
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            response = httpx.get(f"{base_url}/health", timeout=2.0)
            if response.status_code == 200:
                return
            last_error = f"{response.status_code} {response.text}"
        except httpx.TransportError as error:
            last_error = repr(error)
        time.sleep(0.1)
    if process.poll() is None:
        ask_for_stacks(process.pid)
    log.seek(0)
    output = log.read()
    taken = process.poll() is not None and "address already in use" in output
    failure = PortTaken if taken else AssertionError
    raise failure(
        f"fundbook serve did not become healthy (exit code {process.poll()}, last: {last_error})\n{output}"
    )


def descendants(pid: int) -> list[int]:
    """The processes under ``pid`` (its workers, their children), read from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # it ended meanwhile
                continue
            parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            parents.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def ask_for_stacks(pid: int) -> None:
    """SIGUSR1 to a server and every process under it: each that runs fundbook's code writes its
    threads' stacks to the server's log (ledger/api/stack_dumps.py), so a server that never
    answered shows what it waited on."""
    for target in [pid, *descendants(pid)]:
        try:
            command = Path(f"/proc/{target}/cmdline").read_bytes()
        except OSError:
            continue
        if b"fundbook" in command or b"spawn_main" in command:
            with contextlib.suppress(ProcessLookupError):
                os.kill(target, signal.SIGUSR1)
    time.sleep(1.0)  # the handlers write at once; give the pipes a moment
