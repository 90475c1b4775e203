#!/usr/bin/python3
"""Prints HalfBatchCeiling's lines (ceiling.jsonl, next to this script) as a table."""

import json
import os

here = os.path.dirname(os.path.abspath(__file__))
print(f"{'case':30} {'1w B':>8} {'1w B/2':>8} {'2w B':>8} {'ceiling':>8} {'2w/1w':>6}  2w/ceiling")
rows = [json.loads(line) for line in open(os.path.join(here, "ceiling.jsonl"))
        if line.startswith("{")]
for r in rows:
    name = f"{r['family']} {r['case']} d={r['dim']} b={r['batch']}"
    print(f"{name:30} {r['samples_per_s']:8.0f} {r['half_batch_samples_per_s']:8.0f} "
          f"{r['two_workers_samples_per_s']:8.0f} {r['ceiling']:8.2f} "
          f"{r['two_workers_over_one']:6.2f}  {r['two_workers_over_one'] / r['ceiling']:.2f}")
below = [r for r in rows if r["ceiling"] < 1.7]
print(f"\n{len(below)} of {len(rows)} cases have a ceiling below 1.7; "
      f"{sum(r['two_workers_over_one'] >= 1.7 for r in rows)} reach 1.7 with two workers")
