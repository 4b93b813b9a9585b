"""RF loss of a coax segment from its catalogue attenuation: how much of a signal it dissipates.

The Coax Co. SC parts in the component catalog carry their attenuation (dB/m) at 300 K
and at 4 K at tabulated frequencies (catalogue values, source in
``materials_data/components/coax.json``). For a segment between two stages:

- the frequency: linear interpolation between the tabulated frequencies; outside them
  the signal frequency is refused (DesignError naming ``frequency_GHz``);
- the temperature: α linear in T between the 4 K and 300 K values, taken at the
  segment's mean temperature (T_warm + T_cold)/2 (a stated assumption: the catalogue
  gives only the two temperatures); below 4 K the 4 K value is held, and said so in
  the flags (an upper bound where the conductors keep improving);
- a part without both values (the NbTi parts have only the 300 K, normal-state figure)
  gets no cable loss, and the flags say so: the budget then counts attenuators only.

The dissipated power of a segment, P_in (1 − 10^(−αL/10)), goes half to each end
(uniform dissipation along a segment anchored at both ends, as for the Joule heat).
"""

from __future__ import annotations

import numpy as np

from solver import catalog
from solver.errors import DesignError

WARM_K, COLD_K = 300.0, 4.0  # K, the two temperatures of the catalogue attenuation


def attenuation_dB_per_m(
    part_id: str, frequency_GHz: float, warm_K: float, cold_K: float, where: str
) -> tuple[float | None, list[str]]:
    """Attenuation (dB/m) of catalog part ``part_id`` on a segment from ``warm_K`` to ``cold_K``.

    Returns ``(alpha, flags)``; ``alpha`` is None when the part has no 300 K and 4 K
    attenuation (the flag says so). ``where`` names the line and segment in messages.
    """
    params = catalog.get(part_id).parameters
    freqs = params.get("attenuation_frequencies_GHz")
    warm, cold = params.get("attenuation_300K_dB_per_m"), params.get("attenuation_4K_dB_per_m")
    if freqs is None or warm is None or cold is None:
        missing = f"{where}: {part_id} has no 300 K and 4 K attenuation in the catalog"
        return None, [f"{missing}; its cable loss is left out"]
    lo, hi = float(freqs[0]), float(freqs[-1])
    if not lo <= frequency_GHz <= hi:
        raise DesignError(
            f"{where}, field 'frequency_GHz': {frequency_GHz:g} GHz is outside {lo:g}-{hi:g} GHz, "
            f"the frequencies {part_id}'s catalogue attenuation covers"
        )
    a_warm = float(np.interp(frequency_GHz, freqs, warm))
    a_cold = float(np.interp(frequency_GHz, freqs, cold))
    T = 0.5 * (warm_K + cold_K)
    flags = []
    if T < COLD_K:
        flags.append(
            f"{where}: mean temperature {T:.3g} K is below 4 K; {part_id}'s 4 K attenuation held"
        )
    x = (min(max(T, COLD_K), WARM_K) - COLD_K) / (WARM_K - COLD_K)
    return a_cold + x * (a_warm - a_cold), flags


def signal_heat(average_power_W, attenuation_dB, cable_dB=None) -> np.ndarray:
    """Signal power dissipated at each stage, W per line, shape of ``attenuation_dB``.

    Along the last axis (warm to cold) segment k carries the signal from stage k−1
    (room for k = 0) to stage k, whose attenuator follows. Segment k dissipates
    P_k(1 − c_k), c_k = 10^(−C_k/10), half at each end (the warm half of segment 0 leaves
    at room temperature); attenuator k dissipates P_k c_k (1 − t_k), t_k = 10^(−A_k/10);
    P_{k+1} = P_k c_k t_k, P_0 = ``average_power_W`` (P₀·duty at room temperature).
    Without ``cable_dB`` only the attenuators dissipate.
    """
    att = np.asarray(attenuation_dB, dtype=float)
    cable = np.zeros_like(att) if cable_dB is None else np.asarray(cable_dB, dtype=float)
    t, c = 10.0 ** (-att / 10.0), 10.0 ** (-cable / 10.0)
    ones = np.ones_like(att[..., :1])
    entering = np.cumprod(np.concatenate([ones, (c * t)[..., :-1]], -1), -1)
    entering = entering * np.asarray(average_power_W, dtype=float)[..., None]
    in_cable = entering * (1.0 - c)
    heat = entering * c * (1.0 - t) + 0.5 * in_cable
    heat[..., :-1] += 0.5 * in_cable[..., 1:]
    return heat
