"""Turn pytest-benchmark JSON into the README's tables and a throughput plot.

    python3 benchmarks/report.py bench.json [--plot benchmarks/results/throughput.png]
        [--readme README.md] [--docs docs/performance.md]

``--readme`` replaces the table between the bench markers of the README with the headline
table (the largest size every library ran at); ``--docs`` replaces the one of the performance
page with the headline table and every size.

Figures: rows/s of fastf1 (best round), its speedup over scikit-learn and torchmetrics,
the percentage of the read-bandwidth probe (a parallel sum over the same bytes, the physical
limit) and the end-to-end / bare-kernel time ratio; the machine is described above the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
from collections import defaultdict
from importlib import metadata


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = []
    for name in ("numpy", "numba", "scikit-learn", "torch", "torchmetrics"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            + ", ".join(versions))


def load(path: str) -> dict:
    """{(workload, n): {lib: best seconds}}"""
    with open(path) as f:
        data = json.load(f)
    table: dict = defaultdict(dict)
    for bench in data["benchmarks"]:
        info = bench["extra_info"]
        table[(info["workload"], info["n"])][info["lib"]] = bench["stats"]["min"]
    return table


def _fmt_rate(rows_per_s: float) -> str:
    return f"{rows_per_s / 1e9:.2f} G" if rows_per_s >= 1e9 else f"{rows_per_s / 1e6:.0f} M"


def _ratio(a: float | None, b: float | None, suffix: str = "x") -> str:
    return f"{a / b:,.0f}{suffix}" if a and b and a / b >= 10 else (
        f"{a / b:.1f}{suffix}" if a and b else "-")


def markdown(table: dict, sizes: list[int] | None = None) -> str:
    head = ("| workload | rows | fastf1 rows/s | vs sklearn | vs torchmetrics (no validation) "
            "| % of probe | API / kernel |\n|---|---|---|---|---|---|---|\n")
    lines = []
    for (workload, n), libs in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        if sizes and n not in sizes or "fastf1" not in libs or " K=" in workload:
            continue  # (the scorecard rows have a table of their own)
        ours = libs["fastf1"]
        tm = _ratio(libs.get("torchmetrics"), ours)
        tm_nv = _ratio(libs.get("torchmetrics-novalidate"), ours)
        probe = f"{100 * libs['probe'] / ours:.0f}%" if "probe" in libs else "-"
        kernel = _ratio(ours, libs.get("fastf1-kernel"))
        lines.append(f"| {workload} | {n:.0e} | {_fmt_rate(n / ours)} | "
                     f"{_ratio(libs.get('sklearn'), ours)} | {tm} ({tm_nv}) | {probe} | {kernel} |")
    return head + "\n".join(lines) + "\n"


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:,.1f} ms"


def scorecard_markdown(table: dict) -> str:
    """The rest of the scorecard (bench_core.test_scorecard, workloads "<function> K=<k>"):
    fastf1's time and its ratio to ``f1_score`` on the same data (top-k: on the argmax of the
    same score matrix), the speedups, and for the label-compare losses the floors: one
    NumPy compare and the read-bandwidth probe over the same bytes."""
    rows = {key: libs for key, libs in table.items() if " K=" in key[0] and "fastf1" in libs}
    if not rows:
        return ""
    head = ("| function | K | rows | fastf1 | / f1_score | vs sklearn | vs torchmetrics "
            "| NumPy compare | probe |\n|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for (workload, n), libs in sorted(rows.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        name, k = workload.rsplit(" K=", 1)
        if name.startswith("f1_score"):
            continue
        ref = "f1_score[argmax]" if name == "top_k_accuracy_score" else "f1_score"
        f1 = rows.get((f"{ref} K={k}", n), {}).get("fastf1")
        ours = libs["fastf1"]
        lines.append(
            f"| {name} | {k} | {n:.0e} | {_ms(ours)} | "
            f"{f'{ours / f1:.2f}x' if f1 else '-'} | {_ratio(libs.get('sklearn'), ours)} | "
            f"{_ratio(libs.get('torchmetrics'), ours)} | {_ms(libs.get('numpy'))} | "
            f"{_ms(libs.get('probe'))} |")
    return head + "\n".join(lines) + "\n"


def plot(table: dict, path: str, workload: str = "labels-int32-K10") -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict = defaultdict(list)
    for (name, n), libs in sorted(table.items()):
        if name == workload:
            for lib, seconds in libs.items():
                series[lib].append((n, n / seconds))
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for lib, points in sorted(series.items()):
        xs, ys = zip(*sorted(points))
        ax.plot(xs, ys, marker="o", label=lib)
    ax.set(xscale="log", yscale="log", xlabel="rows", ylabel="rows per second",
           title=f"f1_score(average='macro'), {workload}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.text(0.01, 0.01, machine()[:110], fontsize=6)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json")
    parser.add_argument("--plot")
    parser.add_argument("--readme", help="replace the table between the bench markers with "
                        "the headline table")
    parser.add_argument("--docs", help="replace the table between the bench markers with the "
                        "headline table and every size")
    args = parser.parse_args()
    table = load(args.json)
    # the headline: the largest size every library ran at (1e8 is fastf1 alone)
    compared = [n for (_, n), libs in table.items() if "sklearn" in libs] or [n for _, n in table]
    text = f"Machine: {machine()}.\n\n" + markdown(table, [max(compared)])
    full = markdown(table)
    scorecard = scorecard_markdown(table)
    print(text)
    print(full)
    print(scorecard)
    if args.plot:
        plot(table, args.plot)
    blocks = {args.readme: text,
              args.docs: f"{text}\n<details markdown=\"1\"><summary>All sizes</summary>\n\n{full}\n</details>"}
    for path, block in blocks.items():
        if path:
            replace_block(path, block)


def replace_block(path: str, block: str) -> None:
    """Put ``block`` between the ``bench:start`` and ``bench:end`` markers of a Markdown file."""
    with open(path) as f:
        page = f.read()
    block = f"<!-- bench:start -->\n{block}\n<!-- bench:end -->"
    page = re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", lambda _: block, page, flags=re.S)
    with open(path, "w") as f:
        f.write(page)


if __name__ == "__main__":
    main()
