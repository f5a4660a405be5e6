"""The caller app's accessibility as a screen reader meets it: Chromium's own tree (CDP
``Accessibility.getFullAXTree``), so a name is the one a screen reader hears; a control is
a node with an interactive role; its size is the bounding box of its DOM element
(``flt-semantics``), which Flutter sizes from the control in whole pixels (a 47.45 px chip
measures 47), so the rule is ≥ 48 with no tolerance. A control cut by the edge of the
screen or of a scrolled area shows only part of itself and is not measured."""

from __future__ import annotations

from typing import Any

from app.ui.theme import TOUCH

INTERACTIVE = {
    "button",
    "checkbox",
    "combobox",
    "link",
    "menuitem",
    "radio",
    "searchbox",
    "slider",
    "switch",
    "tab",
    "textbox",
}

# The element's box, and whether one of its edges lies on the edge of the screen or of a
# scrolled (clipping) element above it: Flutter then gives only the part on screen.
MEASURE = """function () {
    const box = this.getBoundingClientRect();
    const clips = [[0, 0, innerWidth, innerHeight]];
    for (let up = this.parentElement; up; up = up.parentElement) {
        const style = getComputedStyle(up);
        if (/auto|scroll|hidden/.test(style.overflowX + style.overflowY)) {
            const b = up.getBoundingClientRect();
            clips.push([b.left, b.top, b.right, b.bottom]);
        }
    }
    const on = (a, b) => Math.abs(a - b) < 1;
    const cut = clips.some(([l, t, r, b]) =>
        on(box.left, l) || on(box.top, t) || on(box.right, r) || on(box.bottom, b));
    return {width: box.width, height: box.height, cut};
}"""


def accessibility_tree(page: Any) -> tuple[list[dict[str, Any]], Any]:
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    return [node for node in nodes if not node.get("ignored")], cdp


def role(node: dict[str, Any]) -> str:
    return str(node.get("role", {}).get("value", ""))


def name(node: dict[str, Any]) -> str:
    return str((node.get("name") or {}).get("value", "")).strip()


def level(node: dict[str, Any]) -> int | None:
    for prop in node.get("properties", []):
        if prop.get("name") == "level":
            return int(prop["value"]["value"])
    return None


def box(cdp: Any, node: dict[str, Any]) -> dict[str, Any]:
    element = cdp.send("DOM.resolveNode", {"backendNodeId": node["backendDOMNodeId"]})
    measured = cdp.send(
        "Runtime.callFunctionOn",
        {
            "objectId": element["object"]["objectId"],
            "functionDeclaration": MEASURE,
            "returnByValue": True,
        },
    )
    return dict(measured["result"]["value"])


def problems(page: Any) -> tuple[list[str], list[str]]:
    """(What is wrong with the screen's controls, the screen's headings)."""
    nodes, cdp = accessibility_tree(page)
    cdp.send("DOM.getDocument", {"depth": 0})
    found: list[str] = []
    headings = [f"h{level(n)} {name(n)}" for n in nodes if role(n) == "heading"]
    for node in nodes:
        if role(node) not in INTERACTIVE:
            continue
        called = name(node)
        if not called:
            found.append(f"a {role(node)} with no name")
        size = box(cdp, node)
        if (size["width"] < TOUCH or size["height"] < TOUCH) and not size["cut"]:
            found.append(
                f"{role(node)} {called[:50]!r} is {size['width']:.0f}×{size['height']:.0f} px"
            )
    cdp.detach()
    return found, headings
