"""The interactive API docs come from the app itself: the /docs page loads its script and
style from /docs/assets, never from another host (an office without internet still gets
them; ADR 0071). The browser test (tests/e2e/test_api_docs_browser.py) renders the page with
every other host blocked."""

from __future__ import annotations

import re

ASSET_REF = re.compile(r"""(?:src|href)=["']?([^"'\s>]+)""")


def test_docs_page_loads_every_asset_from_the_app_when_served(world):
    response = world.client.get("/docs")
    assert response.status_code == 200, response.text
    refs = [ref for ref in ASSET_REF.findall(response.text) if not ref.startswith("#")]
    assert refs, response.text
    assert not [ref for ref in refs if "//" in ref], f"/docs refers to another host: {refs}"
    for ref in refs:
        asset = world.client.get(ref)
        assert asset.status_code == 200, ref
        assert len(asset.content) > 1000, ref


def test_docs_page_asks_the_apps_own_openapi_document_when_served(world):
    text = world.client.get("/docs").text
    assert "url: '/openapi.json'" in text
    assert world.client.get("/openapi.json").json()["openapi"].startswith("3.1")
