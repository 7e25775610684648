#!/usr/bin/python3
"""Makes hostile inputs for the tests/hostile scripts, at test time.

usage: gen.py WHAT OUT [ARGS...]          (OUT "-" is standard output)

  cable OUT SIZE ID        a raw cable of about SIZE bytes (page block with
                           id ID, then a telegram of numbered paragraphs)
  line OUT SIZE            one line of SIZE bytes 'A' and no newline
  newlines OUT COUNT       COUNT newlines and nothing else
  bomb OUT SIZE [BYTE|nl]  gzip of SIZE bytes of BYTE (default 0), or of
                           80-byte lines with "nl"; about 1 KB per MiB when
                           BYTE is repeated, made without compressing SIZE
                           bytes.  Writing to "-" stops quietly when the reader
                           goes away, and with --report FILE writes there how
                           many compressed bytes got out, and of how many.
  deep-json OUT DEPTH ID   a cable whose extra.x nests DEPTH arrays
  string-json OUT SIZE ID  a cable whose body is a SIZE-byte string
  keys-json OUT COUNT ID   a cable with COUNT keys in extra and COUNT more
                           keys outside the model (which go to extra)
  paragraphs-json OUT COUNT ID
                           a cable of COUNT short paragraphs, on one line
                           (issue 12 case 10: 300000 make 15 MB; for the
                           memory figures of a note, not a test)
  corrupt IN OUT           a copy of IN with bytes in its middle damaged
  spine-epub OUT N PAGES   an EPUB whose package has N items, all in the
                           spine (last first), of which PAGES pages exist

SIZE takes K, M, G suffixes (powers of 1024).
"""
import os
import signal
import sys
import zlib


def size_of(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(s[-1:].upper())
    return int(s[:-1]) * mult if mult else int(s)


def opened(path):
    return sys.stdout.buffer if path == "-" else open(path, "wb")


def cable(out, size, ident):
    head = ("Identifier\nCreated\nClassification\nOrigin\n%s\n2006-08-28 11:38:00\nUNCLASSIFIED\n"
            "Embassy Rome\nCable title:  \n\nA GENERATED CABLE OF %d BYTES\n\nTags:  PREL IT \n"
            "UNCLAS ROME 000123\n\nE.O. 12958: N/A\nTAGS: PREL, IT\nSUBJECT: A GENERATED CABLE\n\n"
            % (ident, size)).encode()
    parts = [head]
    n = len(head)
    i = 1
    while n < size - 7:
        p = ("%d. (U) The quick brown fox jumps over the lazy dog, paragraph %d.\n\n"
             % (i, i)).encode()
        parts.append(p)
        n += len(p)
        i += 1
    parts.append(b"SPOGLI\n")
    with opened(out) as f:
        f.write(b"".join(parts))


def bomb(out, size, what, report):
    block = 1 << 20
    if what == "nl":
        data = (b"A" * 79 + b"\n") * (block // 80) + b"A" * (block % 80)
    else:
        data = bytes([int(what)]) * block
    # After a full flush deflate forgets what came before, so every block
    # compresses to the same bytes: compress one, repeat it.
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = co.compress(data) + co.flush(zlib.Z_FULL_FLUSH)
    tail = co.flush(zlib.Z_FINISH)
    blocks, rest = divmod(size, block)
    if rest:
        sys.exit("gen.py: bomb size must be a multiple of 1 MiB")
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    total = len(header) + blocks * len(piece) + len(tail) + 8
    written = 0
    if out == "-":
        signal.signal(signal.SIGPIPE, signal.SIG_DFL if not report else signal.SIG_IGN)
    f = opened(out)
    try:
        f.write(header)
        written += len(header)
        crc = 0
        for _ in range(blocks):
            f.write(piece)
            written += len(piece)
            crc = zlib.crc32(data, crc)
        f.write(tail + crc.to_bytes(4, "little") + (size & 0xFFFFFFFF).to_bytes(4, "little"))
        written = total
        f.flush()
    except BrokenPipeError:
        # the reader stopped early: what this is here to show
        try:
            sys.stdout = None
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        except OSError:
            pass
    finally:
        if report:
            with open(report, "w") as r:
                r.write("%d %d\n" % (written, total))
    if out != "-":
        f.close()


def deep_json(out, depth, ident):
    with opened(out) as f:
        f.write(('{"id":"%s","extra":{"x":' % ident).encode())
        f.write(b"[" * depth + b"]" * depth)
        f.write(b"}}\n")


def string_json(out, size, ident):
    with opened(out) as f:
        f.write(('{"id":"%s","body":"' % ident).encode())
        f.write(b"x" * size)
        f.write(b'"}\n')


def keys_json(out, count, ident):
    with opened(out) as f:
        f.write(('{"id":"%s","extra":{' % ident).encode())
        f.write(",".join('"e%d":%d' % (i, i) for i in range(count)).encode())
        f.write(b"},")
        f.write(",".join('"k%d":[%d]' % (i, i) for i in range(count)).encode())
        f.write(b"}\n")


def paragraphs_json(out, count, ident):
    with opened(out) as f:
        f.write(('{"id":"%s","classification":"UNCLASSIFIED","paragraphs":[' % ident).encode())
        f.write(",".join('{"number":"%d","marking":"U","text":"P %d."}' % (i, i)
                         for i in range(1, count + 1)).encode())
        f.write(b"]}\n")


def spine_epub(out, count, pages):
    """An EPUB whose package lists count items, all in the spine, of which
    only the first pages exist (issue 12 case 7: quadratic matching)."""
    import zipfile
    items = "".join('<item id="a%d" href="p%d.xhtml"/>' % (i, i) for i in range(count))
    spine = "".join('<itemref idref="a%d"/>' % i for i in reversed(range(count)))
    opf = ('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
           '<manifest>%s</manifest><spine>%s</spine></package>' % (items, spine))
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
                   'opendocument:xmlns:container"><rootfiles><rootfile full-path="book.opf" '
                   'media-type="application/oebps-package+xml"/></rootfiles></container>',
                   zipfile.ZIP_DEFLATED)
        z.writestr("book.opf", opf, zipfile.ZIP_DEFLATED)
        for i in range(pages):
            z.writestr("p%d.xhtml" % i,
                       '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>page %d</p>'
                       '</body></html>' % i, zipfile.ZIP_DEFLATED)


def corrupt(src, out):
    with open(src, "rb") as f:
        d = bytearray(f.read())
    mid = len(d) // 2
    for i in range(mid, min(mid + 16, len(d) - 8)):
        d[i] ^= 0x5A
    with opened(out) as f:
        f.write(bytes(d))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    report = None
    if "--report" in argv:
        i = argv.index("--report")
        report = argv[i + 1]
        del argv[i:i + 2]
    what, out, args = argv[1], argv[2], argv[3:]
    if what == "cable":
        cable(out, size_of(args[0]), args[1])
    elif what == "line":
        with opened(out) as f:
            n = size_of(args[0])
            chunk = b"A" * (1 << 20)
            while n > 0:
                f.write(chunk[:n])
                n -= len(chunk)
    elif what == "newlines":
        with opened(out) as f:
            f.write(b"\n" * int(args[0]))
    elif what == "bomb":
        bomb(out, size_of(args[0]), args[1] if len(args) > 1 else "0", report)
    elif what == "deep-json":
        deep_json(out, int(args[0]), args[1])
    elif what == "string-json":
        string_json(out, size_of(args[0]), args[1])
    elif what == "keys-json":
        keys_json(out, int(args[0]), args[1])
    elif what == "paragraphs-json":
        paragraphs_json(out, int(args[0]), args[1])
    elif what == "spine-epub":
        spine_epub(out, int(args[0]), int(args[1]))
    elif what == "corrupt":
        corrupt(out, args[0])
    else:
        sys.exit("gen.py: unknown input kind '%s'\n%s" % (what, __doc__))


if __name__ == "__main__":
    main(sys.argv)
