#!/usr/bin/python3
"""The pdftext reader on the real cable PDFs of ../shared/corpus/pdf: each
PDF, read directly and through each of its three pdftotext extractions
(default, -layout, full-width), must give the same id, created,
classification, subject and tags, and a body equal to the full-width
extraction's body apart from the furniture.

Bodies are compared with whitespace removed and a '-' at a line end taken
out (-layout keeps a hyphen at a line end; plain pdftotext joins the lines
and drops it), since -layout and plain mode differ in blank lines and
indentation.  Subjects are compared exactly; one that differs only by such
a hyphen is shown as "~" and accepted.  An extraction that lost text off the
page's right edge cannot give the body: it must say so (extra.pdftext
cut_lines and a warning) and is shown as "cut".

usage: pdftext_modes.py CABLEX SHARED_DIR   (exit 77 when SHARED_DIR or
pdftotext is missing).  Prints a table per file.
"""
import json
import os
import re
import shutil
import subprocess
import sys

FIELDS = ("id", "created", "classification", "subject", "tags")
MODES = ("pdftotext", "pdftotext_layout", "pdftotext_fullwidth", "pdf")


def read(cablex, path):
    p = subprocess.run([cablex, "convert", "-q", "-f", "pdftext", "-t", "json", path],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit("%s: cablex failed (%d): %s" % (path, p.returncode, p.stderr))
    lines = [l for l in p.stdout.splitlines() if l.strip()]
    if len(lines) != 1:
        raise SystemExit("%s: %d cables, expected 1" % (path, len(lines)))
    return json.loads(lines[0])


def norm_body(s):
    s = re.sub(r"-[ \t]*\n", "", s or "")
    return re.sub(r"\s+", "", s)


def norm_field(s):
    return re.sub(r"[\s-]+", "", s or "")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    cablex, shared = sys.argv[1], sys.argv[2]
    base = os.path.join(shared, "corpus", "pdf")
    if not os.path.isdir(os.path.join(base, "pdf")):
        print("skip: %s/pdf not found" % base)
        return 77
    if not shutil.which("pdftotext"):
        print("skip: pdftotext not installed (poppler-utils)")
        return 77
    names = sorted(f[:-4] for f in os.listdir(os.path.join(base, "pdf")) if f.endswith(".pdf"))
    failures = []
    rows = []
    for name in names:
        cables = {}
        for mode in MODES:
            if mode == "pdf":
                path = os.path.join(base, "pdf", name + ".pdf")
            else:
                path = os.path.join(base, mode, name + ".txt")
            if os.path.exists(path):
                cables[mode] = read(cablex, path)
        ref = cables.get("pdftotext_fullwidth")
        if ref is None:
            failures.append("%s: no full-width extraction" % name)
            continue
        row = {"name": name}
        for mode, c in cables.items():
            cells = []
            for f in FIELDS:
                a, b = c.get(f), ref.get(f)
                if a == b:
                    cells.append("=")
                elif f == "subject" and norm_field(a) == norm_field(b):
                    cells.append("~")
                else:
                    cells.append("X")
                    failures.append("%s %s: %s %r != full-width %r" % (name, mode, f, a, b))
            px = (c.get("extra") or {}).get("pdftext") or {}
            if norm_body(c.get("body")) + norm_body(c.get("header_text")) == \
                    norm_body(ref.get("body")) + norm_body(ref.get("header_text")):
                body = "="
                if px.get("cut_lines"):
                    failures.append("%s %s: cut reported on a whole text" % (name, mode))
            elif px.get("cut_lines"):
                lost = len(norm_body(ref.get("body"))) - len(norm_body(c.get("body")))
                body = "cut %d/%d (-%d)" % (px["cut_lines"], px["cut_width"], lost)
            else:
                body = "X"
                failures.append("%s %s: body differs from the full-width body" % (name, mode))
            row[mode] = "".join(cells) + " " + body + " " + px.get("mode", "?")
        row["id"] = ref.get("id")
        rows.append(row)

    print("fields: id created classification subject tags ('=' same as full-width, '~' same "
          "but for a line-end hyphen plain pdftotext drops); then the body; then the mode the "
          "reader saw")
    print("| file | id | default | -layout | full-width | PDF read directly |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %s | %s |" % (r["name"], r["id"], " | ".join(r.get(m, "-") for m in MODES)))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
