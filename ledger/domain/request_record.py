"""RequestRecord: the first answer given to a client request id, kept for retries.

Its id is derived from the request id, so two concurrent requests with the same id cannot
both be saved: the second save conflicts, reloads, and finds the first answer. A retry with the
same content gets the original answer without a new event; a different content under the same
id is refused with ``idempotency_key_reused_with_different_request``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from ledger.domain import errors
from ledger.domain.control_chars import ControlCharacterGuard

_NAMESPACE = uuid5(NAMESPACE_URL, "https://fundbook.invalid/request")


def fingerprint(command: str, arguments: dict[str, Any]) -> str:
    """SHA-256 of the command and its arguments in a canonical JSON form."""
    body = json.dumps([command, arguments], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class RequestRecord(ControlCharacterGuard, Aggregate):
    TOPIC = "fundbook:RequestRecord"

    class Created(Aggregate.Created):
        TOPIC = "fundbook:RequestRecord.Recorded"
        request_id: str
        command: str
        fingerprint: str
        result: dict[str, Any]
        recorded_by: str

    def __init__(
        self,
        request_id: str,
        command: str,
        fingerprint: str,
        result: dict[str, Any],
        recorded_by: str,
    ) -> None:
        self.request_id = request_id
        self.command = command
        self.fingerprint = fingerprint
        self.result = result

    @staticmethod
    def create_id(request_id: str) -> UUID:
        return uuid5(_NAMESPACE, request_id)

    def check_same(self, command: str, print_: str) -> dict[str, Any]:
        if self.command != command or self.fingerprint != print_:
            raise errors.IdempotencyKeyReusedWithDifferentRequest(request_id=self.request_id)
        return self.result
