"""Valid ``cryogen/design@1`` designs for the store tests (boundary, stages, conductors)."""

from __future__ import annotations

from typing import Any


def chain_design(n_stages: int = 2, *, name: str = "Chain", note: str = "") -> dict[str, Any]:
    """A 300 K boundary and ``n_stages`` copper stages in a chain of G10 conductors, the last
    stage cooled by a constant cooler. ``note`` goes into ``meta`` (free-form)."""
    components: list[dict[str, Any]] = [
        {"id": "vessel", "type": "boundary", "temperature_K": 300.0}
    ]
    links: list[dict[str, Any]] = []
    previous = "vessel"
    for i in range(n_stages):
        stage = f"s{i}"
        components.append(
            {
                "id": stage,
                "type": "stage",
                "material": "OFHC-Cu-RRR100",
                "mass_kg": 1.0,
                "initial_K": 300.0,
                "heat_load_W": 0.0,
            }
        )
        links.append(
            {
                "id": f"l{i}",
                "type": "conductor",
                "from": previous,
                "to": stage,
                "material": "G10-normal",
                "length_m": 0.1,
                "area_m2": 1e-5,
                "count": 1,
            }
        )
        previous = stage
    components.append(
        {"id": "cooler", "type": "constant_cooler", "stage": previous, "power_W": 1.0}
    )
    return {
        "schema": "cryogen/design@1",
        "name": name,
        "components": components,
        "links": links,
        "layout": {},
        "meta": {"note": note},
    }
