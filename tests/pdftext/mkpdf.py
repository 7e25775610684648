#!/usr/bin/python3
"""Writes a small PDF of a text file in Courier, the way cable PDFs are
made: one text line per PDF line, never wrapped, so that a line longer than
the page runs off its right edge (the text stays in the PDF).  Optionally
adds page furniture as FOIA releases carry it: a stamp line at the top and
the bottom of every page (small type), a release marker on the first page
and a page number at the foot.

usage: mkpdf.py IN.txt OUT.pdf [--cols N] [--rows N] [--stamp TEXT]
                [--release TEXT] [--page-numbers]
Only the standard library; text is encoded as WinAnsi (the pilcrow too).
"""
import argparse


def esc(s):
    b = s.encode("cp1252", errors="replace")
    out = bytearray()
    for c in b:
        if c in b"()\\":
            out += b"\\" + bytes([c])
        elif c < 32 or c > 126:
            out += b"\\%03o" % c
        else:
            out.append(c)
    return bytes(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--cols", type=int, default=70)
    ap.add_argument("--rows", type=int, default=50)
    ap.add_argument("--stamp")
    ap.add_argument("--release")
    ap.add_argument("--page-numbers", action="store_true")
    a = ap.parse_args()
    lines = open(a.src, encoding="utf-8").read().rstrip("\n").split("\n")
    size, lead, margin = 10, 12, 36
    width = margin * 2 + a.cols * 6  # Courier: 0.6 em a character
    height = margin * 2 + (a.rows + 4) * lead
    pages = [lines[i:i + a.rows] for i in range(0, len(lines), a.rows)]
    objs = []  # bodies, numbered from 1

    def add(body):
        objs.append(body)
        return len(objs)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>")
    kids = []
    pages_id = len(objs) + 2 * len(pages) + 1
    for n, page in enumerate(pages, 1):
        ops = []
        if a.stamp:
            ops.append(b"BT /F1 7 Tf %d %d Td (%s) Tj ET" % (margin, height - 20, esc(a.stamp)))
            ops.append(b"BT /F1 7 Tf %d %d Td (%s) Tj ET" % (margin, 12, esc(a.stamp)))
        if a.release and n == 1:
            ops.append(b"BT /F1 8 Tf %d %d Td (%s) Tj ET" % (width - 120, height - 32, esc(a.release)))
        if a.page_numbers:
            ops.append(b"BT /F1 9 Tf %d %d Td (%d) Tj ET" % (width // 2, 26, n))
        ops.append(b"BT /F1 %d Tf %d TL %d %d Td" % (size, lead, margin, height - margin - 2 * lead))
        for line in page:
            ops.append(b"(%s) Tj T*" % esc(line))
        ops.append(b"ET")
        stream = b"\n".join(ops)
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_id, width, height, font, content)))
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, catalog, xref)
    open(a.out, "wb").write(out)


if __name__ == "__main__":
    main()
