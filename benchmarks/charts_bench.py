"""Figures for the charts at 100,000 codings: the data, the terminal text and the SVG of each.

Uses the synthetic study of analysis_bench.py (60 transcripts, 40 themes, 8 case attributes).

Run: python benchmarks/charts_bench.py [CODINGS]
Prints timings only; nothing is asserted.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_bench import best, build  # noqa: E402

from workbench.display import charts as draw  # noqa: E402
from workbench.domain.charts import svg  # noqa: E402
from workbench.study import Study, charts  # noqa: E402


def main() -> None:
    codings = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        path = build(Path(tmp), codings)
        print(f"set-up: {codings:,} codings in {time.perf_counter() - started:.1f} s")
        console = Console(file=io.StringIO(), width=120)
        with Study.open(path) as study:
            cases = [
                ("heat map, theme x case", lambda: charts.matrix_heat_map(study), draw.heat_map_text, svg.heat_map_svg),
                (
                    "heat map, shares by size",
                    lambda: charts.matrix_heat_map(study, "size", mode="share"),
                    draw.heat_map_text,
                    svg.heat_map_svg,
                ),
                ("bars by size", lambda: charts.bar_chart(study, "size"), draw.bars_text, svg.bars_svg),
                (
                    "co-occurrence heat map",
                    lambda: charts.cooccurrence_heat_map(study),
                    draw.heat_map_text,
                    svg.heat_map_svg,
                ),
                ("saturation", lambda: charts.saturation_curve(study), draw.saturation_text, svg.saturation_svg),
            ]
            print(f"{'':<28} {'data':>9} {'terminal':>9} {'svg':>9} {'svg size':>10}")
            for name, data, text, figure in cases:
                wall, _cpu, chart = best(data)
                shown, _, _ = best(lambda chart=chart, text=text: console.print(text(chart, 120)))
                drawn, _, drawing = best(lambda chart=chart, figure=figure: figure(chart))
                print(f"{name:<28} {wall:7.3f} s {shown:7.3f} s {drawn:7.3f} s {len(drawing.encode()):>8,} B")


if __name__ == "__main__":
    main()
