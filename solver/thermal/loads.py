"""Stage loads: the heat each node's cooling sources must remove at a network state (DESIGN.md)."""

from __future__ import annotations

import numpy as np

from solver.thermal.network import Network


def stage_loads(net: Network, T: np.ndarray, flows: np.ndarray) -> np.ndarray:
    """Heat each node's cooling sources must remove at ``T`` (W).

    The sum of link flows into the node plus its own ``heat_load_W`` and heat_load
    components (DESIGN.md). NaN for the warmest boundary, whose load is not defined.
    """
    into = net.body_inflows(T)
    plain = np.ones(len(net.link_ids), dtype=bool)
    plain[[t.link for t in net.terminals]] = False
    np.add.at(into, net.link_to[plain], flows[plain])
    np.subtract.at(into, net.link_from[plain], flows[plain])
    loads = into + net.own_load_W
    boundary = np.array([c.type == "boundary" for c in net.design.nodes], dtype=bool)
    if boundary.any():  # a bath is never the warmest boundary (DESIGN.md)
        warmest = np.flatnonzero(boundary)[np.argmax(net.T_fixed[boundary])]
        loads[warmest] = np.nan
    return loads
