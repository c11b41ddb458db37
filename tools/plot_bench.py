#!/usr/bin/env python3
"""Draws a bench_pyg_side_by_side.py result: bench/results/<date>_<machine>.json -> .png beside it.

Top panel: milliseconds per model forward (the seed model, or the report's `plot_title`: the GPS
model of tools/bench_pyg_gps.py) against the batch size G, log-log, for PyG and every
graphtx variant in the file. Bottom panel: the speed-up PyG time / graphtx time per variant (above
the dashed line at 1, graphtx is faster).

    python tools/plot_bench.py bench/results/2026-11-24_cpu-2core.json [--out other.png]
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("result", help="JSON written by tools/bench_pyg_side_by_side.py or tools/bench_pyg_gps.py")
    ap.add_argument("--out", help="PNG path (default: the JSON's path with .png)")
    args = ap.parse_args()
    with open(args.result) as f:
        rep = json.load(f)
    rows = sorted(rep["results"], key=lambda r: r["G"])
    if not rows:
        print(f"{args.result}: no results to plot", file=sys.stderr)
        return 1
    out = args.out or os.path.splitext(args.result)[0] + ".png"
    gs = [r["G"] for r in rows]
    variants = rep.get("graphtx_variants") or sorted(rows[0]["graphtx"])
    styles = {"pyg": dict(color="tab:red", marker="s")}
    palette = ["tab:blue", "tab:green", "tab:purple", "tab:orange"]

    fig, (ax_t, ax_r) = plt.subplots(2, 1, figsize=(8, 8), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    ax_t.plot(gs, [r["pyg"]["median_ms"] for r in rows], label=f"PyG {rep['torch_geometric']} (torch {rep['torch'].split('+')[0]})",
              **styles["pyg"])
    for i, v in enumerate(variants):
        pts = [(r["G"], r["graphtx"][v]) for r in rows if v in r["graphtx"]]
        color = palette[i % len(palette)]
        algorithm = pts[0][1].get("algorithm", v) if pts else v
        name = v if algorithm == v else f"{v} = {algorithm}"
        ax_t.plot([g for g, _ in pts], [d["median_ms"] for _, d in pts], marker="o", color=color, label=f"graphtx ({name})")
        ax_r.plot([g for g, _ in pts], [d["ratio_pyg_over_graphtx"] for _, d in pts], marker="o", color=color,
                  label=f"PyG / graphtx ({name})")
        for g, d in pts:
            ax_r.annotate(f"{d['ratio_pyg_over_graphtx']:.2f}", (g, d["ratio_pyg_over_graphtx"]),
                          textcoords="offset points", xytext=(0, 6), ha="center", fontsize=7, color=color)
    ax_t.set_xscale("log", base=2)
    ax_t.set_yscale("log")
    ax_t.set_ylabel("ms per forward (median)")
    ax_t.grid(True, which="both", alpha=0.3)
    ax_t.legend()
    seed = next((r for r in rows if r["G"] == 512), None)
    title = f"{rep.get('plot_title', 'Seed model forward')}, {rep['machine']}: {rep['cpu_model']}, {rep['threads']} threads"
    if seed is not None:
        pyg_ms = seed['pyg']['median_ms']
        title += (f"\nseed batch G=512 (N={seed['N']}): PyG {pyg_ms / 1e3:.1f} s" if pyg_ms >= 1e3
                  else f"\nseed batch G=512 (N={seed['N']}): PyG {pyg_ms:.0f} ms")
    ax_t.set_title(title, fontsize=10)
    ax_r.axhline(1.0, color="gray", linestyle="--", linewidth=1)
    ax_r.set_xscale("log", base=2)
    ax_r.set_xticks(gs)
    ax_r.set_xticklabels([str(g) for g in gs])
    ax_r.set_xlabel("graphs per batch G (molecule batches, ~14 nodes per graph)")
    ax_r.set_ylabel("speed-up: PyG time / graphtx time")
    ax_r.set_ylim(bottom=0)
    ax_r.grid(True, which="both", alpha=0.3)
    ax_r.legend(fontsize=8)
    fig.text(0.01, 0.005, f"{rep['date']}, graphtx {rep['git_revision']}; skipped: "
             + (", ".join(f"G={s['G']}" for s in rep.get("skipped", [])) or "none"), fontsize=7, color="gray")
    fig.tight_layout(rect=(0, 0.02, 1, 1))
    fig.savefig(out, dpi=110)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
