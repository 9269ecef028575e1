"""The API docs in a real browser with every host but the server blocked, as in an office
without internet: Swagger UI at /docs lists the API's operations (the page is not blank;
ADR 0071)."""

from __future__ import annotations

from urllib.parse import urlparse

from playwright.sync_api import Page, Route

from tests.e2e.server import running_server


def _offline(page: Page, base_url: str) -> list[str]:
    """Block every request to another host; return the list that grows with each one."""
    blocked: list[str] = []
    own = urlparse(base_url).netloc

    def handle(route: Route) -> None:
        if urlparse(route.request.url).netloc == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return blocked


def test_api_docs_render_every_operation_when_no_other_host_is_reachable(database_url, page, tmp_path):
    with running_server(database_url) as base_url:
        blocked = _offline(page, base_url)
        page.goto(f"{base_url}/docs")
        page.locator(".opblock").first.wait_for(timeout=60_000)
        page.screenshot(path=tmp_path / "docs.png")
        assert page.locator(".opblock").count() > 30
        assert page.locator(".opblock-summary-path[data-path='/funds/{fund_id}/donations']").count() >= 1
    assert blocked == []
