#!/usr/bin/env python3
"""The Python baseline of bench/: JSON Lines cables to the cables.csv layout
with the json and csv modules only (no telegram parsing), as a ten-line
script would do it.  usage: jsonl2csv.py IN.jsonl > OUT.csv"""
import csv, json, sys

FIELDS = ("id", "created", "origin", "classification", "header_text", "body")
w = csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator="\n")
with open(sys.argv[1], encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        c = json.loads(line)
        w.writerow([n] + [c.get(k) or "" for k in FIELDS])
