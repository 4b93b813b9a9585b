"""Design dicts the flow tests build on: a flow section beside a minimal thermal network."""

from __future__ import annotations

ROOM = [{"id": "room", "type": "boundary", "temperature_K": 300.0}]


def design(flow_section: dict, components: list | None = None, links: list | None = None) -> dict:
    """A design with ``flow_section`` (thermal part: a 300 K boundary unless given)."""
    return {
        "schema": "cryogen/design@1",
        "components": components or ROOM,
        "links": links or [],
        "flow": flow_section,
    }


def pipe_run(fluid: str, inlet: dict, outlet: dict, pipe: dict, **design_parts) -> dict:
    """One element ``line`` (a pipe unless ``pipe`` says otherwise) from ``in`` to ``out``."""
    return design(
        {
            "fluid": fluid,
            "boundaries": [{"id": "in", **inlet}, {"id": "out", **outlet}],
            "elements": [{"id": "line", "type": "pipe", "from": "in", "to": "out", **pipe}],
        },
        **design_parts,
    )
