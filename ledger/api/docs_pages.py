"""The interactive API docs (Swagger UI at /docs) served from the app itself.

FastAPI's own page loads Swagger UI from a CDN, so on an office network without internet /docs
stays blank. This page is FastAPI's (``get_swagger_ui_html``, its documented self-hosting
recipe) pointed at the copy of Swagger UI's script and style that the ``fastapi-offline``
package ships (Swagger UI 5, which reads OpenAPI 3.1), served under ``/docs/assets``: no request
leaves the server. There is no /redoc: ReDoc's page fetches its logo from its vendor's host
(ADR 0071).
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
ASSETS_DIR = resources.files("fastapi_offline") / "static"


def install(app: FastAPI) -> None:
    """Serve the docs page and its assets (the app is made with ``docs_url=None`` and
    ``redoc_url=None``, so FastAPI's CDN pages are not there)."""
    app.mount(ASSETS, StaticFiles(directory=str(ASSETS_DIR)), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} – API",
            oauth2_redirect_url=oauth2_redirect,
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()
