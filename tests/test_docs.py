"""The documentation stays honest: every error code and every stored topic in the code is
documented, the docs name no code or topic that does not exist, and every relative link in the
docs and the README leads to a file that exists."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

from eventsourcing.domain import Aggregate

import ledger.domain
from ledger.domain import errors

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ERRORS_DOC = DOCS / "reference" / "errors.md"
EVENTS_DOC = DOCS / "reference" / "events.md"

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


# --- what the code defines -------------------------------------------------------------------------
def domain_aggregates() -> list[type[Aggregate]]:
    """Every aggregate class defined in a module of ``ledger.domain``."""
    found: list[type[Aggregate]] = []
    for module_info in pkgutil.iter_modules(ledger.domain.__path__, prefix="ledger.domain."):
        module = importlib.import_module(module_info.name)
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, Aggregate)
                and obj.__module__ == module.__name__
                and obj not in found
            ):
                found.append(obj)
    return found


def stored_topics() -> dict[str, str]:
    """Topic → class name, for every aggregate and every event class nested in one."""
    topics: dict[str, str] = {}
    for aggregate in domain_aggregates():
        topics[aggregate.TOPIC] = aggregate.__qualname__
        for obj in vars(aggregate).values():
            topic = getattr(obj, "TOPIC", None) if isinstance(obj, type) else None
            if topic:
                topics[topic] = obj.__qualname__
    return topics


def error_codes() -> dict[str, int]:
    return {cls.code: cls.status for cls in errors.all_error_classes()}


# --- what the docs say ---------------------------------------------------------------------------
def markdown_files() -> list[Path]:
    files = sorted(DOCS.rglob("*.md"))
    readme = ROOT / "README.md"
    return [*files, readme] if readme.exists() else files


def without_code_blocks(text: str) -> str:
    return _FENCE.sub("", text)


def relative_link_targets(text: str) -> list[str]:
    prose = _INLINE_CODE.sub("", without_code_blocks(text))
    targets = _INLINE_LINK.findall(prose) + _REFERENCE_LINK.findall(prose)
    return [t for t in targets if not _EXTERNAL.match(t) and not t.startswith("#")]


def heading_anchors(text: str) -> set[str]:
    """GitHub's anchors: lower case, punctuation dropped, spaces as hyphens."""
    anchors = set()
    for heading in _HEADING.findall(without_code_blocks(text)):
        plain = heading.replace("`", "").lower()
        anchors.add(re.sub(r"[^\w\- ]", "", plain).replace(" ", "-"))
    return anchors


def backticked(text: str) -> set[str]:
    return {span.strip("`") for span in _INLINE_CODE.findall(text)}


def table_rows_naming(text: str, code: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(f"| `{code}` |")]


# --- the tests -------------------------------------------------------------------------------------
def test_the_domain_defines_the_aggregates_the_docs_describe():
    names = {aggregate.__name__ for aggregate in domain_aggregates()}

    assert names >= {"Fund", "Organisation", "Person", "RequestRecord"}
    assert set(stored_topics()) >= {
        "fundbook:Fund.Established",
        "fundbook:Organisation.Registered",
        "fundbook:Person.Registered",
        "fundbook:RequestRecord.Recorded",
    }


def test_every_error_code_is_documented():
    documented = backticked(ERRORS_DOC.read_text(encoding="utf-8"))

    missing = sorted(set(error_codes()) - documented)

    assert missing == []


def test_every_error_code_has_one_table_row_with_its_http_status():
    text = ERRORS_DOC.read_text(encoding="utf-8")

    wrong = {
        code: rows
        for code, status in error_codes().items()
        if len(rows := table_rows_naming(text, code)) != 1 or f"| {status} |" not in rows[0]
    }

    assert wrong == {}


def test_the_errors_table_names_no_code_that_does_not_exist():
    text = ERRORS_DOC.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9_]+)` \|", text, re.MULTILINE)

    unknown = sorted(set(rows) - set(error_codes()))

    assert rows
    assert unknown == []


def test_every_event_topic_is_documented():
    documented = backticked(EVENTS_DOC.read_text(encoding="utf-8"))

    missing = {topic: name for topic, name in stored_topics().items() if topic not in documented}

    assert missing == {}


def test_the_docs_name_no_fundbook_topic_that_does_not_exist():
    topics = set(stored_topics())
    named = {
        (path.relative_to(ROOT).as_posix(), topic)
        for path in markdown_files()
        for topic in re.findall(r"fundbook:[A-Z][A-Za-z.]*[A-Za-z]", path.read_text(encoding="utf-8"))
    }

    unknown = sorted((path, topic) for path, topic in named if topic not in topics)

    assert unknown == []


def test_every_relative_markdown_link_points_to_an_existing_file():
    broken = []
    for path in markdown_files():
        for target in relative_link_targets(path.read_text(encoding="utf-8")):
            file_part = target.split("#", 1)[0]
            if not (path.parent / file_part).exists():
                broken.append(f"{path.relative_to(ROOT)}: {target}")

    assert broken == []


def test_every_link_to_a_heading_in_another_doc_names_an_existing_heading():
    broken = []
    for path in markdown_files():
        for target in relative_link_targets(path.read_text(encoding="utf-8")):
            file_part, _, anchor = target.partition("#")
            linked = path.parent / file_part
            if (
                anchor
                and linked.suffix == ".md"
                and linked.exists()
                and anchor not in heading_anchors(linked.read_text(encoding="utf-8"))
            ):
                broken.append(f"{path.relative_to(ROOT)}: {target}")

    assert broken == []


# --- what the docs call planned and what they call built -------------------------------------------
PLANNED_EVENTS_HEADING = "## Events of the design that are not in the code yet"
_EVENT_NAME = re.compile(r"`([A-Z][A-Za-z]+(?:\.[A-Z][A-Za-z]+)?)`")


def planned_events_section() -> tuple[list[str], list[str]]:
    """The event names the events reference calls planned (the list after "Others are planned"),
    and those it names as built (every other `Aggregate.Event` of that section)."""
    text = EVENTS_DOC.read_text(encoding="utf-8")
    section = text[text.index(PLANNED_EVENTS_HEADING) :]
    after = section.index("Others are planned")
    planned_list = section[after:].split("\n\n", 2)[1]  # the bullet list after the sentence
    planned = _EVENT_NAME.findall(planned_list)
    built = [name for name in _EVENT_NAME.findall(section) if "." in name and name not in planned]
    return planned, built


def event_class_names() -> set[str]:
    """`Event` and `Aggregate.Event` for every event class nested in a domain aggregate."""
    names: set[str] = set()
    for qualname in stored_topics().values():
        names.add(qualname)
        names.add(qualname.rsplit(".", 1)[-1])
    return names


def test_no_event_the_docs_call_planned_exists_in_the_domain():
    planned, _ = planned_events_section()
    assert len(planned) >= 4  # the list is found (AssetRegistered, CashCounted …)

    already_built = sorted(set(planned) & event_class_names())

    assert already_built == [], "built: move them out of the planned list of docs/reference/events.md"


def test_every_event_the_docs_name_as_built_or_merged_exists_in_the_domain():
    _, built = planned_events_section()
    assert "Fund.CustodyHandedOver" in built

    missing = sorted(set(built) - event_class_names())

    assert missing == []


def test_the_docs_call_no_built_feature_not_built_or_planned():
    """Sentences that once described built features as missing (issue 22): aid cases,
    reservations, collections, the chain and the exports. Each phrase here was in the docs."""
    stale = [
        "as of a date it is 0",
        "which is always the case today",
        "Once aid can be reserved",
        "fees, settlement and refunds are planned",
        "noticeboards that are still planned",
        "are not built",
        "(the CLI, and later the API)",
    ]
    found = [
        f"{path.relative_to(ROOT)}: {phrase}"
        for path in markdown_files()
        for phrase in stale
        if phrase in path.read_text(encoding="utf-8")
    ]

    assert found == []


def test_no_file_of_the_repository_cites_a_spec_outside_it():
    """A clone stands alone (issue 22): rules, practice and layout are cited from docs/, never from
    the design notes the project started from, which are not in the repository."""
    outside = ("DESIGN" + ".md", "domain" + ".md", "domain" + " §", "DESIGN" + " §")
    files = [
        *markdown_files(),
        *sorted((ROOT / "ledger").rglob("*.py")),
        *sorted((ROOT / "tests").rglob("*.py")),
    ]

    citing = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in outside
        if name in path.read_text(encoding="utf-8")
    ]

    assert citing == []
