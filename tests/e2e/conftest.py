"""Browser tests share the noticeboard test's chromium page (Debian's chromium via Playwright)."""

from tests.e2e.test_board_browser import page  # noqa: F401
