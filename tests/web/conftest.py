"""The noticeboard pages use the worked example of docs/concepts/practice.md (see tests/exports/conftest.py);
the console uses the API's seeded world (tests/api/conftest.py), and its aid world
(tests/api/test_aid_cases.py) for aid cases, its pooled world (tests/api/test_collections.py) for
collections."""

from tests.api.conftest import world, world_store  # noqa: F401
from tests.api.test_aid_cases import aid  # noqa: F401
from tests.api.test_collections import pooled  # noqa: F401
from tests.exports.conftest import caught_up, example, example_store, views  # noqa: F401
