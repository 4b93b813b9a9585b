"""``make bench``: run every ``bench_*.py`` module's ``main()`` and print its figures.

Speed goals are measured here side by side with a peer code, never asserted in unit tests.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import tests.benchmarks as pkg


def main(selected: list[str]) -> int:
    names = sorted(
        m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("bench_")
    )
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    for name in names:
        print(f"\n=== {name} " + "=" * max(0, 60 - len(name)), flush=True)
        t0 = time.perf_counter()
        importlib.import_module(f"tests.benchmarks.{name}").main()
        print(f"--- {name} done in {time.perf_counter() - t0:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
