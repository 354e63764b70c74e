"""Run with the system's Python (it has pyatspi, the client a screen reader such as Orca uses): what
the accessibility bus says of one application's showing objects, as JSON on stdout. Imports nothing
of the app's: it reads the app only as assistive technology does."""

from __future__ import annotations

import json
import sys

import pyatspi  # type: ignore[import-not-found]


def walk(node: object, found: list[dict[str, object]], depth: int = 0) -> None:
    if node is None or depth > 80:
        return
    try:
        states = node.getState()  # type: ignore[attr-defined]
        showing = states.contains(pyatspi.STATE_SHOWING)
        entry = {
            "role": node.getRoleName(),  # type: ignore[attr-defined]
            "name": node.name,  # type: ignore[attr-defined]
            "focusable": states.contains(pyatspi.STATE_FOCUSABLE),
            "labelled": any(
                r.getRelationType() == pyatspi.RELATION_LABELLED_BY
                for r in node.getRelationSet()  # type: ignore[attr-defined]
            ),
            "depth": depth,
        }
        children = node.childCount  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - an object gone while walking: the next walk sees the rest
        return
    if depth > 1 and not showing:
        return
    found.append(entry)
    for i in range(children):
        walk(node.getChildAtIndex(i), found, depth + 1)  # type: ignore[attr-defined]


def main(app_name: str) -> None:
    desktop = pyatspi.Registry.getDesktop(0)
    found: list[dict[str, object]] = []
    names = []
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is None:
            continue
        names.append(app.name)
        if app.name == app_name:
            walk(app, found)
    print(json.dumps({"applications": names, "objects": found}))


if __name__ == "__main__":
    main(sys.argv[1])
