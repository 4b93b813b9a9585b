"""Every CLI input gets exit 0, 2 or 3 and never a traceback (issue 13 items 2-4).

Hypothesis drives ``cryogen_widgets.cli.main(argv)`` in-process with design and coil
files mutated at any JSON path (wrong types, huge and tiny numbers, NaN/Infinity
tokens, strings for numbers), raw bytes, deep nesting, point lists and CSV files,
cooldown targets, report arguments and the component search's database URL and text. Reports are only fuzzed on the arguments
checked before a kernel starts. DESIGN.md's input rule is the contract: UTF-8,
at most 64 levels, JSON numbers, no empty design.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cryogen_templates import DESIGNS_DIR
from cryogen_widgets.cli import main

EXAMPLES = int(os.environ.get("CRYOGEN_FUZZ_EXAMPLES", "2000"))
"""A few thousand in CI; set CRYOGEN_FUZZ_EXAMPLES to run more or fewer."""

DESIGN = json.loads((DESIGNS_DIR / "two-stage-pt420.cryo.json").read_text())
COIL = json.loads((DESIGNS_DIR / "coils" / "accelerator_examples.coil.json").read_text())
WORK = Path(tempfile.mkdtemp(prefix="cryogen-fuzz-"))


def _paths(obj, prefix=()):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


DESIGN_PATHS = list(_paths(DESIGN))
COIL_PATHS = list(_paths(COIL))

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(10**300, 10**4000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e-320, 5e-324, 1e-300, 1.27e-6, 1e8, 1e9, 1e308, -0.0, 0.0]),
    st.text(max_size=12),
    st.sampled_from(["2.0", "300", "<img src=x onerror=alert(1)>", "\x00", "é" * 300]),
)
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _mutated(doc, paths, draw_path, draw_value, n):
    doc = copy.deepcopy(doc)
    for path, value in zip(draw_path[:n], draw_value[:n], strict=False):
        target = doc
        try:
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return doc


def _text(doc) -> str:
    return json.dumps(doc, allow_nan=True, default=str)


raw_files = st.one_of(
    st.binary(max_size=40),
    st.integers(1, 4000).map(lambda n: ("[" * n + "]" * n).encode()),
    st.integers(1, 4000).map(lambda n: ('{"a":' * n + "1" + "}" * n).encode()),
    st.sampled_from([b"", b"{}", b"[]", b"NaN", b'{"schema": "cryogen/design@1"}', b"\xff\xfe{}"]),
)


@st.composite
def mutated_file(draw, doc, paths, most: int) -> bytes:
    """``doc`` with up to ``most`` values replaced at random JSON paths, or raw bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(raw_files)
    n = draw(st.integers(1, most))
    where = draw(st.lists(st.sampled_from(paths), min_size=n, max_size=n))
    what = draw(st.lists(values, min_size=n, max_size=n))
    return _text(_mutated(doc, paths, where, what, n)).encode("utf-8", "surrogatepass")


def design_file():
    return mutated_file(DESIGN, DESIGN_PATHS, 3)


def coil_file():
    return mutated_file(COIL, COIL_PATHS, 2)


numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "0", "-1", "abc", "", "1e-9", "40", "4.5"]),
)
points = st.one_of(
    st.lists(st.tuples(numbers, numbers, numbers), min_size=1, max_size=3).map(
        lambda ps: ";".join(",".join(p) for p in ps)
    ),
    st.text(max_size=15),
)


DB_URLS = st.sampled_from(
    [
        "nonsense",
        "foo://x/y",
        "mysql://u:p@h/db",
        "postgresql://u:p@127.0.0.1:1/db",  # nothing listens on port 1: unreachable
        f"sqlite:///{WORK / 'store.sqlite'}",
    ]
)


def _write(data: bytes, suffix: str) -> str:
    fd, name = tempfile.mkstemp(dir=WORK, suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return name


@st.composite
def argv(draw) -> list[str]:
    command = draw(
        st.sampled_from(
            ["solve", "cooldown", "field", "field-csv", "report", "materials", "components"]
        )
    )
    if command == "solve":
        return ["solve", _write(draw(design_file()), ".cryo.json"), "--json"]
    if command == "cooldown":
        args = ["cooldown", _write(draw(design_file()), ".cryo.json"), "--json"]
        if draw(st.booleans()):
            args += ["--target-K", draw(numbers)]
        if draw(st.booleans()):
            args += ["--node", draw(st.sampled_from(["plate", "shield", "vessel", "pt", "x"]))]
        return [*args, "--max-seconds", draw(st.sampled_from(["0.3", "0.3", "nan", "-1", "0"]))]
    if command in ("field", "field-csv"):
        coil = _write(draw(coil_file()), ".coil.json")
        if command == "field":
            return ["field", coil, f"--points={draw(points)}", "--json"]
        rows = draw(st.lists(st.tuples(numbers, numbers, numbers), max_size=3))
        csv = "\n".join(",".join(r) for r in rows).encode()
        return [
            "field",
            coil,
            "--points-file",
            _write(draw(st.one_of(st.just(csv), raw_files)), ".csv"),
        ]
    if command == "report":  # only arguments refused before a kernel starts
        design = _write(draw(design_file()), ".cryo.json")
        bad = draw(
            st.sampled_from(
                [
                    ["-o", str(WORK / "missing" / "r.html")],
                    ["-o", str(WORK / "r.docx")],
                    ["-o", str(WORK / "r.html"), "-p", "no_such_parameter=1"],
                    ["-o", str(WORK / "r.html"), "-p", "target_K=NaN"],
                    ["-o", str(WORK / "r.html"), "-p", "x"],
                ]
            )
        )
        return ["report", design, *bad]
    if command == "components":  # the store's --db and text checks
        text = st.one_of(st.text(max_size=12), st.sampled_from(["a\x00b", "m" * 300]))
        return ["components", "search", draw(text), "--maker", draw(text), "--db", draw(DB_URLS)]
    return ["materials", draw(st.sampled_from(["SS304", "x", ""])), "--T", draw(points)]


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
    except SystemExit as exc:  # argparse usage errors
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(argv())
def test_every_cli_input_exits_0_2_or_3_without_a_traceback(args):
    code, out, err = run(args)
    assert code in (0, 2, 3), (args, code, err[-500:])
    assert "Traceback" not in err, (args, err[-2000:])
    if code == 0 and "--json" in args:
        payload = json.loads(out, parse_constant=lambda c: math.nan)  # strict: no NaN
        for key in ("temperatures_K", "heat_flows_W", "stage_loads_W", "margins_W"):
            if args[0] in ("solve", "cooldown"):
                assert key in payload
