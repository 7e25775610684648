#!/usr/bin/python3
"""Random-mutation fuzz of `cablex convert` over the project's own fixtures.

usage: fuzz.py --cablex BIN --tmp DIR [--seed N] [--count N] [--batch N]
               [--timeout SECS] [--validate VALIDATE_JSON] SEED_PATH...

Each SEED_PATH is a file or a directory (walked) of raw cables (*.txt) or
JSON cables (*.json, *.jsonl).  Mutants are made from them with a fixed
random seed (so a failure is reproducible), written in batches to a temp
directory, and each batch is converted twice by one cablex run each:
to JSON Lines and to raw; the JSON Lines output is then read back and
written as raw.  A run fails when it

  - is killed by a signal or exits >= 3 (a crash, an abort),
  - prints a sanitizer report (AddressSanitizer, LeakSanitizer, UBSan),
  - takes longer than --timeout (a hang),
  - exits 2 (the output was lost: it never should be here),
  - reports an error that does not name the input it is about,
  - writes JSON that does not validate against the schema (--validate).

A failing batch is re-run mutant by mutant; the culprits are kept in
DIR/failures/ with the command that shows the problem.  Exit status 0 when
every run passed, 1 otherwise.
"""
import argparse
import gzip
import os
import random
import shutil
import subprocess
import sys

SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                   "AddressSanitizer:", "UndefinedBehaviorSanitizer")

RAW_TOKENS = [
    b"VZCZCXRO2779\n", b"PP RUEHDBU\n", b"DE RUEHTA #3065/01 2401138\n", b"ZNY CCCCC ZZH\n",
    b"P 281138Z AUG 06\n", b"O R 181205Z NOV 75 ZFF4\n", b"FM AMEMBASSY ALMATY\n",
    b"TO RUEHC/SECSTATE WASHDC PRIORITY 6738\n", b"INFO ", b"XMT ", b"XMT/AMCONSUL X\n",
    b"RUEHMD/AMEMBASSY MADRID PRIORITY 0086\n", b"PAGE 01 ", b"ACTION AF-00\n",
    b"INFO LOG-00 ", b"------", b"Distribution:", b"TO PAGE 02 STATE 015113 182333Z\n",
    b"C O N F I D E N T I A L SECTION 01 OF 04 ALMATY 003065\n", b"UNCLAS ", b"S E C R E T ",
    b"SECTION 99 OF 01 ", b"SIPDIS\n", b"NOFORN\n", b"SENSITIVE\n", b"E.O. 12958: ",
    b"DECL: 08/28/2016\n", b"TAGS: ", b"SUBJECT: ", b"REF: A. STATE 1234 B. ", b"REF: ",
    b"Classified By: ", b"1. (C) ", b"1.", b"(SBU)", b"Summary:", b"End Summary.",
    b"\n\n", b"\n", b"\r\n", b"\f\n", b"\n\f\n", b"\xc2\xa0", b"\xef\xbb\xbf", b"\x00",
    b"Identifier\nCreated\nClassification\nOrigin\n", b"Cable title:\xc2\xa0\xc2\xa0\n",
    b"Tags:\xc2\xa0\xc2\xa0", b"pdf\xc2\xa0how-to read a cable\n", b"2006-08-28 11:38:00\n",
    b"9999-99-99 99:99:99\n", b"This record is a partial extract of the original cable. "
    b"The full text of the original cable is not available.\n", b"201247Z Jan 04\n",
    b",s", b"&#x8;", b"&#8", b"\t", b"(", b")", b"/", b"//",
]
JSON_TOKENS = [
    b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"null", b"true", b"false", b"0", b"-0",
    b"1e999", b"-1", b"1.5", b"99999999999999999999999", b'"\\u0000"', b'"\\ud800"',
    b'"\\uDFFF"', b'"\\u00e9"', b'"\xff"', b'"extra":{"a":', b'"sections":', b'"tags":[',
    b'"paragraphs":[{"number":', b'"header":{"to":[{"name":', b'"model_version":',
    b'"created":"2006-13-45T25:61:61"', b'"id":', b'"body":', b'"header_text":', b"\n", b" ",
    b"\r\n", b"\xef\xbb\xbf", b"[[[[[[[[[[", b"]]]]]]]]]]", b"{}", b"[]",
]
INVALID_UTF8 = [b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\xff", b"\x80", b"\xf8\x88\x80\x80",
                b"\xf4\x90\x80\x80", b"\xc2"]
INTERESTING = [0, 0x0C, 0x0A, 0x0D, 0x20, 0x22, 0x5C, 0x7B, 0x5B, 0x7F, 0x80, 0xA0, 0xC2,
               0xFF, 0xEF]


def mutate(rng, data, kind, others, tokens=None):
    d = bytearray(data)
    if tokens is None:
        tokens = JSON_TOKENS if kind == "json" else RAW_TOKENS
    for _ in range(rng.randint(1, 4)):
        n = len(d)
        pos = rng.randint(0, n)
        op = rng.randrange(12)
        if op == 0 and n:
            i = rng.randrange(n)
            d[i] ^= 1 << rng.randrange(8)
        elif op == 1 and n:
            d[rng.randrange(n)] = rng.choice(INTERESTING)
        elif op == 2:
            d[pos:pos] = rng.choice(tokens)
        elif op == 3:
            # at a line start, where the parsers look
            starts = [0] + [i + 1 for i, b in enumerate(d) if b == 10]
            p = rng.choice(starts)
            d[p:p] = rng.choice(tokens)
        elif op == 4 and n:
            k = rng.randint(1, 64)
            del d[pos:pos + k]
        elif op == 5 and n:
            a = rng.randrange(n)
            k = rng.randint(1, 200)
            chunk = bytes(d[a:a + k])
            d[pos:pos] = chunk * rng.choice([1, 2, 10, 100, 1000])
        elif op == 6:
            del d[pos:]
        elif op == 7:
            other = rng.choice(others)
            a = rng.randint(0, len(other))
            d = d[:pos] + bytearray(other[a:])
        elif op == 8:
            lines = bytes(d).split(b"\n")
            if len(lines) > 2:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
                d = bytearray(b"\n".join(lines))
        elif op == 9:
            d[pos:pos] = bytes([rng.choice(b"AZ \"[{")]) * rng.choice([300, 5000, 70000])
        elif op == 10:
            d = bytearray(bytes(d).replace(b"\n", b"\r\n") if rng.random() < 0.5
                          else bytes(d).replace(b"\r\n", b"\n"))
        elif op == 11:
            d[pos:pos] = rng.choice(INVALID_UTF8)
    return bytes(d)


def collect(paths):
    seeds = []
    for p in paths:
        files = []
        if os.path.isdir(p):
            for root, _dirs, names in os.walk(p):
                files += [os.path.join(root, n) for n in sorted(names)]
        elif os.path.isfile(p):
            files.append(p)
        for f in sorted(files):
            if f.endswith(".txt"):
                kind = "raw"
            elif f.endswith(".json") or f.endswith(".jsonl"):
                kind = "json"
            else:
                continue
            with open(f, "rb") as fh:
                seeds.append((kind, fh.read()))
    return seeds


class Checker:
    def __init__(self, args):
        self.args = args
        self.problems = []

    def run(self, cmd, names):
        """Runs cmd; returns a list of what is wrong (empty when fine)."""
        env = dict(os.environ)
        # leaks are errors; keep reports short
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        try:
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               timeout=self.args.timeout, env=env)
        except subprocess.TimeoutExpired:
            return ["timeout after %gs (hang?)" % self.args.timeout]
        err = p.stderr.decode("utf-8", "replace")
        bad = []
        if p.returncode < 0 or p.returncode >= 3:
            bad.append("exit status %d (crash?)" % p.returncode)
        elif p.returncode == 2:
            bad.append("exit status 2: the output was lost")
        for mark in SANITIZER_MARKS:
            if mark in err:
                bad.append("sanitizer report: " + mark)
                break
        for line in err.splitlines():
            if not line.startswith("cablex: ") or " converted, " in line:
                continue
            if not any(n in line for n in names):
                bad.append("message without its input's name: " + line)
                break
        if bad:
            bad.append("stderr:\n" + "\n".join("    " + l for l in err.splitlines()[:20]))
        return bad

    def check_batch(self, paths, out_dir):
        """Every conversion of the given inputs; a list of problems."""
        cx = self.args.cablex
        names = list(paths) + [os.path.join(out_dir, "back.txt"),
                               os.path.join(out_dir, "all.jsonl")]
        jl = os.path.join(out_dir, "all.jsonl")
        problems = []
        for cmd in ([cx, "convert", "-q", "-t", "jsonl", "-o", jl] + paths,
                    [cx, "convert", "-q", "-t", "raw", "-o", os.path.join(out_dir, "all.txt")]
                    + paths):
            bad = self.run(cmd, names)
            if bad:
                problems.append((" ".join(cmd), bad))
                return problems
        if self.args.validate and os.path.getsize(jl) > 0:
            p = subprocess.run([sys.executable, self.args.validate, jl], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
            if p.returncode != 0:
                problems.append(("validate-json " + jl,
                                 ["JSON output does not validate: "
                                  + p.stdout.decode("utf-8", "replace").strip()]))
                return problems
        cmd = [cx, "convert", "-q", "-f", "json", "-t", "raw", "-o",
               os.path.join(out_dir, "back.txt"), jl]
        bad = self.run(cmd, names)
        if bad:
            problems.append((" ".join(cmd), bad))
        return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cablex", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--batch", type=int, default=30)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--validate")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()

    seeds = collect(args.paths)
    if not seeds:
        sys.stderr.write("fuzz: no seed cables found in %s\n" % " ".join(args.paths))
        return 1
    rng = random.Random(args.seed)
    shutil.rmtree(args.tmp, ignore_errors=True)
    os.makedirs(args.tmp)
    fail_dir = os.path.join(args.tmp, "failures")
    checker = Checker(args)
    everything = [d for _k, d in seeds]
    failures = 0
    done = 0
    batch_no = 0
    while done < args.count:
        n = min(args.batch, args.count - done)
        bdir = os.path.join(args.tmp, "batch%03d" % batch_no)
        os.makedirs(bdir)
        paths = []
        for i in range(n):
            kind, data = rng.choice(seeds)
            m = mutate(rng, data, kind, everything)
            ext = {"raw": ".txt", "json": rng.choice([".json", ".jsonl"])}[kind]
            r = rng.random()
            if r < 0.1:
                ext = ".dat"  # no extension that names a plugin: probed
            name = os.path.join(bdir, "m%04d%s" % (done + i, ext))
            if rng.random() < 0.12:
                gz = gzip.compress(m, 6)
                if rng.random() < 0.5:  # a damaged gzip stream
                    g = bytearray(gz)
                    if rng.random() < 0.5:
                        del g[rng.randint(10, len(g)):]
                    else:
                        g[rng.randrange(10, len(g))] ^= 0xFF
                    gz = bytes(g)
                m = gz
                name += ".gz"
            with open(name, "wb") as fh:
                fh.write(m)
            paths.append(name)
        out_dir = os.path.join(args.tmp, "out%03d" % batch_no)
        os.makedirs(out_dir)
        problems = checker.check_batch(paths, out_dir)
        if problems:
            # find the mutants that cause it, one by one
            os.makedirs(fail_dir, exist_ok=True)
            culprits = 0
            for p in paths:
                one = os.path.join(args.tmp, "one")
                shutil.rmtree(one, ignore_errors=True)
                os.makedirs(one)
                sub = checker.check_batch([p], one)
                if sub:
                    culprits += 1
                    keep = os.path.join(fail_dir, os.path.basename(p))
                    shutil.copy(p, keep)
                    print("FAIL: mutant %s (kept as %s)" % (p, keep))
                    for cmd, bad in sub:
                        print("  command: %s" % cmd)
                        for b in bad:
                            print("  " + b)
            if not culprits:
                print("FAIL: batch %s fails only as a whole:" % bdir)
                for cmd, bad in problems:
                    print("  command: %s" % cmd)
                    for b in bad:
                        print("  " + b)
                culprits = 1
            failures += culprits
        else:
            shutil.rmtree(bdir)
            shutil.rmtree(out_dir)
        done += n
        batch_no += 1
    if failures:
        print("fuzz: %d of %d mutants failed (seed %d); kept in %s"
              % (failures, args.count, args.seed, fail_dir))
        return 1
    shutil.rmtree(args.tmp, ignore_errors=True)
    print("fuzz: %d mutants (seed %d), no crash, hang, leak or lost output"
          % (args.count, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
