#!/usr/bin/env python3
"""gen.py - bundles for tests/archive that bsdtar cannot make directly.

  gen.py bomb OUT SIZE_MIB FIRST LAST   tar.gz: FIRST, then bomb.txt of
      SIZE_MIB MiB of zeros, then LAST; the zeros are one gzip member of
      1 MiB repeated, so a GiB costs ~1 MB on disk and no time to make.
  gen.py names OUT CABLE                tar: CABLE under hostile names
      (../, an absolute path, control characters) plus a symlink whose
      name has an escape sequence.
  gen.py corrupt-zip IN OUT NAME        copies a zip, overwriting 64 bytes
      of the compressed data of entry NAME.
  gen.py mutants IN OUTDIR COUNT SEED  COUNT copies of IN with random
      damage (flipped, overwritten, cut, duplicated bytes), fixed seed.
"""
import gzip
import io
import os
import random
import sys
import tarfile


def member(data):
    return gzip.compress(data, 1, mtime=0)


def header(name, size, kind=tarfile.REGTYPE, link=""):
    ti = tarfile.TarInfo(name)
    ti.size = size
    ti.mtime = 0
    ti.type = kind
    ti.linkname = link
    return ti.tobuf(tarfile.USTAR_FORMAT)


def entry(name, data):
    pad = b"\0" * (-len(data) % 512)
    return header(name, len(data)) + data + pad


def bomb(out, mib, first, last):
    a, b = open(first, "rb").read(), open(last, "rb").read()
    with open(out, "wb") as f:
        f.write(member(entry("cable/first.txt", a)))
        f.write(member(header("cable/bomb.txt", mib << 20)))
        z = member(b"\0" * (1 << 20))
        for _ in range(mib):
            f.write(z)
        f.write(member(entry("cable/last.txt", b) + b"\0" * 1024))


def names(out, cable):
    data = open(cable, "rb").read()
    buf = io.BytesIO()
    for name in ("../../escape.txt", "/abs/olute.txt", "ctl\x1b[31m\x07.txt"):
        buf.write(entry(name, data))
    buf.write(header("evil\x1b]0;title\x07link", 0, tarfile.SYMTYPE, "/etc/passwd"))
    buf.write(b"\0" * 1024)
    open(out, "wb").write(buf.getvalue())


def corrupt_zip(src, out, name):
    z = bytearray(open(src, "rb").read())
    at = z.index(b"PK\x03\x04" + b"", 0)
    while True:
        at = z.index(b"PK\x03\x04", at)
        nlen = int.from_bytes(z[at + 26:at + 28], "little")
        xlen = int.from_bytes(z[at + 28:at + 30], "little")
        if z[at + 30:at + 30 + nlen] == name.encode():
            data = at + 30 + nlen + xlen
            for i in range(data + 16, data + 80):
                z[i] = 0xFF
            break
        at += 4
    open(out, "wb").write(z)


def mutants(src, outdir, count, seed):
    data = open(src, "rb").read()
    rng = random.Random(seed)
    base = os.path.basename(src)
    for i in range(count):
        m = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            what = rng.randrange(4)
            at = rng.randrange(len(m)) if m else 0
            if what == 0 and m:
                m[at] ^= 1 << rng.randrange(8)
            elif what == 1 and m:
                for j in range(at, min(len(m), at + rng.randint(1, 32))):
                    m[j] = rng.choice((0, 0xFF, rng.randrange(256)))
            elif what == 2:
                del m[at:]
            else:
                m[at:at] = m[at:at + rng.randint(1, 512)]
        open(os.path.join(outdir, "%03d-%s" % (i, base)), "wb").write(m)


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "bomb":
        bomb(args[0], int(args[1]), args[2], args[3])
    elif cmd == "names":
        names(args[0], args[1])
    elif cmd == "corrupt-zip":
        corrupt_zip(args[0], args[1], args[2])
    elif cmd == "mutants":
        mutants(args[0], args[1], int(args[2]), int(args[3]))
    else:
        sys.exit("gen.py: unknown command " + cmd)
