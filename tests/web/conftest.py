"""The web pages use the worked example of domain.md §6.1 (see tests/exports/conftest.py)."""

from tests.exports.conftest import caught_up, example, views  # noqa: F401
