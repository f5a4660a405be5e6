"""The API's documentation page: Swagger UI from the installed package (swagger-ui-bundle-v2),
served from this origin, so that the docs work on a school network with no internet."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from app.core.errors import NotFound

SWAGGER_UI = Path(str(swagger_ui_path))
ASSETS_URL = f"/api/docs/{SWAGGER_UI.name}"  # e.g. /api/docs/swagger-ui-5.31.0: versioned
ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"})
"""The files the page loads; the rest of the package (a demo page that loads a pet store
from the internet among them) is not served."""

router = APIRouter(include_in_schema=False)


@router.get("/api/docs")
def docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title} API",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
        # Else Swagger UI shows a badge from validator.swagger.io on any host but localhost.
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get(ASSETS_URL + "/{name}")
def docs_asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise NotFound(f"No such file of the API docs: {name!r}")
    # The URL names Swagger UI's version: a new one is a new URL, so a year's cache is safe.
    return FileResponse(
        SWAGGER_UI / name, headers={"Cache-Control": "public, max-age=31536000, immutable"}
    )
