"""Books with some history, and traffic against a real server: one writer recording donations
over HTTP and readers reading the fund's balance, every status and figure kept for the test."""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass, field
from datetime import date

import httpx

from ledger.application.bootstrap import build_ledger
from ledger.config import Settings
from tests.e2e.server import Seed, env_for, fundbook_command

DONATION_FEN = 1000


def record_history(
    database_url: str, books: Seed, donations: int, *, close: bool = True, members: int = 0
) -> int:
    """``members`` new members of the branch (rows of several views: the views' set-up used to
    deadlock against a follower writing them), then ``donations`` donations of 10.00 in the
    first quarter of 2025, January then closed (sealed); with ``close=False`` all in March
    (later calls); returns the donations' total."""
    ledger = build_ledger(Settings(database_url=database_url))
    try:
        for n in range(members):
            person = ledger.register_person(actor="e2e-history", name_zh=f"党员{n}")["person_id"]
            ledger.change_person(
                person, "join_branch", actor="e2e-history", org_id=books.branch, effective_on=date(2020, 1, 1)
            )
        for n in range(donations):
            ledger.record(
                books.fund,
                "receive_donation",
                actor="e2e-history",
                occurred_on=date(2025, 1 + n % 3 if close else 3, 1 + n % 28),
                amount_fen=DONATION_FEN,
                donor_kind="member",
                donor_person_id=books.member,
                doc_refs=[f"收据 {n}"],
            )
        if close:
            ledger.close_periods_through(books.fund, actor="e2e-history", period="2025-01")
    finally:
        ledger.close()
    return donations * DONATION_FEN


def run_cli(database_url: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*fundbook_command(), *args],
        env=env_for(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Traffic:
    """A writer and readers on one fund until ``stop()``; what they saw, for the asserts."""

    base_url: str
    fund: str
    member: str
    token: str
    readers: int = 3
    statuses: list[int] = field(default_factory=list)
    balances: list[list[int]] = field(default_factory=list)  # per reader, in the order read
    written_fen: int = 0
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._write, daemon=True)]
        for n in range(self.readers):
            self.balances.append([])
            self._threads.append(threading.Thread(target=self._read, args=(n,), daemon=True))

    def start(self) -> Traffic:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def _seen(self, response: httpx.Response) -> None:
        with self._lock:
            self.statuses.append(response.status_code)
            if response.status_code >= 300:
                path, text = response.request.url.path, response.text[:200]
                self.failures.append(f"{path}: {response.status_code} {text}")

    def _write(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30.0) as client:
            n = 0
            while not self._stop.is_set():
                response = client.post(
                    f"/funds/{self.fund}/donations",
                    json={
                        "occurred_on": "2025-03-15",
                        "amount": "10.00",
                        "donor_kind": "member",
                        "donor_person_id": self.member,
                        "doc_refs": [f"traffic {n}"],
                    },
                    headers=self._headers(),
                )
                self._seen(response)
                if response.status_code == 201:
                    with self._lock:
                        self.written_fen += DONATION_FEN
                n += 1

    def _read(self, reader: int) -> None:
        with httpx.Client(base_url=self.base_url, timeout=30.0) as client:
            while not self._stop.is_set():
                response = client.get(f"/funds/{self.fund}/balance", headers=self._headers())
                self._seen(response)
                if response.status_code == 200:
                    self.balances[reader].append(response.json()["balance"]["amount_fen"])
