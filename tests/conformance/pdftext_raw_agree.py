#!/usr/bin/python3
"""The pdftext reader must not damage a cable that carries no PDF
artefacts: on every cable of ../shared/corpus/text and corpus/seed, read
with -f pdftext and with -f raw, the fields must agree.  The one difference
allowed is a longer subject when pdftext joined a subject line that stops
on an unfinished word with the line after a blank (the text itself splits
it so); each such case is listed.

usage: pdftext_raw_agree.py CABLEX SHARED_DIR   (exit 77 without SHARED_DIR)
"""
import json
import os
import subprocess
import sys
import tempfile

FIELDS = ("id", "created", "classification", "origin", "title", "tags", "subject", "signer",
          "references", "paragraphs", "header", "classified_by", "declassify", "summary")


def convert(cablex, fmt, inputs, out):
    p = subprocess.run([cablex, "convert", "-q", "-f", fmt, "-t", "json", "-o", out + "/"] + inputs,
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        raise SystemExit("cablex -f %s failed (%d): %s" % (fmt, p.returncode, p.stderr))


def main():
    cablex, shared = sys.argv[1], sys.argv[2]
    inputs = [os.path.join(shared, "corpus", d) for d in ("text", "seed")]
    inputs = [d for d in inputs if os.path.isdir(d)]
    # the texts only: -f forces a reader on every file, and raw skips a
    # .meta.json sidecar as not a cable where pdftext would read it
    inputs = sorted(os.path.join(root, f) for d in inputs for root, _, files in os.walk(d)
                    for f in files if f.endswith(".txt"))
    if not inputs:
        print("skip: %s/corpus not found" % shared)
        return 77
    with tempfile.TemporaryDirectory() as tmp:
        convert(cablex, "raw", inputs, tmp + "/raw")
        convert(cablex, "pdftext", inputs, tmp + "/pdftext")
        names = sorted(os.listdir(tmp + "/raw"))
        fails, joined = [], []
        for n in names:
            r = json.load(open(os.path.join(tmp, "raw", n)))
            pp = os.path.join(tmp, "pdftext", n)
            if not os.path.exists(pp):
                fails.append("%s: not read by pdftext" % n)
                continue
            p = json.load(open(pp))
            for f in FIELDS:
                if r[f] == p[f]:
                    continue
                if f == "subject" and r[f] and p[f] and p[f].startswith(r[f]) and \
                        p["extra"]["pdftext"].get("split_lines_joined"):
                    joined.append("%s: %r -> %r" % (n, r[f], p[f]))
                    continue
                fails.append("%s: %s differs: raw %r, pdftext %r" % (n, f, r[f], p[f]))
        print("%d cables compared; %d subjects joined across a blank line" % (len(names), len(joined)))
        for j in joined:
            print("  joined:", j)
        for f in fails:
            print("FAIL:", f)
        if len(names) == 0:
            print("FAIL: nothing converted")
            return 1
        return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
