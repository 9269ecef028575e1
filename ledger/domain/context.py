"""Who records a command, on which day, under which client request id.

Every command takes a ``Context``. ``today`` is the business date at the time of recording
(Asia/Shanghai), passed in so that the domain never reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ledger.domain import errors
from ledger.domain.limits import REF_LEN_MAX, check_text

SYSTEM_ACTOR = "system"


@dataclass(frozen=True)
class Context:
    recorded_by: str
    today: date
    request_id: str | None = None
    # The person behind the acting user (a user id resolves to its person), so rules that
    # compare people (R16: the fund's cashier cannot post) hold whoever records through the API.
    acting_person: str | None = None
    # The hash chain's head (log position, hash hex) just before a period close: its seal.
    chain_head: tuple[int, str] | None = None

    @property
    def person(self) -> str:
        return self.acting_person or self.recorded_by

    def __post_init__(self) -> None:
        check_text("recorded_by", self.recorded_by, max_len=REF_LEN_MAX)
        if self.request_id is not None:
            check_text("request_id", self.request_id, max_len=REF_LEN_MAX)
        if not isinstance(self.today, date) or isinstance(self.today, datetime):
            raise errors.DateInvalid(field="today", value=str(self.today))


def without_request_id(state: dict) -> None:
    """Upcast an event stored before it carried the client's request id (class_version 1)."""
    state["request_id"] = None
