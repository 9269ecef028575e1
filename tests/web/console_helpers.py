"""Driving the console in process: a browser-like client per user, signed in with a token,
that reads each form's CSRF and one-time key from the page as a browser would."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import World

_HIDDEN = re.compile(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">')


def error_code(html: str) -> list[str]:
    return re.findall(r'data-code="([a-z_]+)"', html) + re.findall(r'id="error-code">([a-z_]+)<', html)


class Browser:
    """One user's browser: its own cookies, following the console's redirects."""

    def __init__(self, world: World, role: str | None = None) -> None:
        self.world = world
        self.client = TestClient(world.client.app, follow_redirects=False)  # lifespan: world's client
        if role is not None:
            answer = self.client.post(
                "/console/sign-in", data={"token": world.tokens[role], "next": "/console"}
            )
            assert answer.status_code == 303, answer.text

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params=params) if params else self.client.get(url)

    def csrf(self) -> str:
        page = self.get("/console").text
        return re.search(r'name="csrf" value="([0-9a-f]{64})"', page)[1]

    def post(self, url: str, data: dict[str, str]) -> Any:
        return self.client.post(url, data=data)

    def follow(self, answer: Any) -> Any:
        assert answer.status_code == 303, (answer.status_code, answer.text[:2000])
        return self.get(answer.headers["location"])


def form_fields(html: str) -> dict[str, str]:
    """Every hidden input of the page's entry form (after the sign-out form in the header)."""
    main = html.split("<main>", 1)[1]
    return dict(_HIDDEN.findall(main))


def form_of(html: str, form_id: str) -> dict[str, str]:
    """The hidden inputs of one form of the page, by its id (a case page has several)."""
    found = re.search(rf'<form [^>]*id="{re.escape(form_id)}">(.*?)</form>', html, re.DOTALL)
    assert found, f"no form {form_id} on the page"
    return dict(_HIDDEN.findall(found[1]))


def form_action(html: str, form_id: str) -> str:
    return re.search(rf'<form method="post" action="([^"]+)" id="{re.escape(form_id)}">', html)[1]
