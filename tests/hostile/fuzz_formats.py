#!/usr/bin/python3
"""Random-mutation fuzz of the xml, csv, html and pdftext readers.

usage: fuzz_formats.py --cablex BIN --src SRC --tmp DIR [--formats LIST]
                       [--seed N] [--count N] [--batch N] [--timeout SECS]
                       [--validate VALIDATE_JSON]

The seeds of each format are the project's own fixtures (SRC/tests/data/FMT)
and SRC/samples converted to FMT at test time (one document of all of them,
and one file per cable); pdftext reads the samples' text as it is, and two
PDFs made by tests/pdftext/mkpdf.py when pdftotext is installed.  --count
mutants per format are made with a fixed random seed (fuzz.py's mutations,
with tokens of the format), written in batches (a few gzip-compressed, a few
of them damaged, a few with a name that does not say the format), and each
batch is

  0. its first mutant converted from standard input (the content decides),
  1. converted to JSON Lines as cablex chooses the reader (extension, content),
  2. converted to JSON Lines with -f FMT, and the output validated,
  3. written back as FMT from that JSON Lines (raw for pdftext, input only),
  4. read back with -f FMT: cables cablex wrote itself must all convert,
  5. converted straight to FMT (raw for pdftext) and that read back as well.

Format "writers" mutates JSON cables (SRC/tests/data/json and the samples)
and writes each batch with the xml, csv and html writers: what a writer
wrote must read back with exit status 0.

A run fails when it is killed by a signal or exits >= 2, prints a sanitizer
report, exceeds --timeout, prints a message that does not begin with the
name of its input (a message from a format reader must also give the line:
"cablex: FILE:LINE: FMT: ..." or "cablex: FILE(ENTRY):LINE: FMT: ...", but
for pdftext's messages about the whole text), or
writes JSON that does not validate.  Culprits are kept in DIR/failures/
with the command that shows the problem.  Exit 0 when every run passed.
"""
import argparse
import gzip
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz  # noqa: E402  (the mutations and the run checks are shared)

# "writers": hostile models (mutated JSON) written by the xml, csv and html writers
FORMATS = ("xml", "csv", "html", "pdftext", "writers")
EXT = {"xml": ".xml", "csv": ".csv", "html": ".html", "pdftext": ".pdf", "writers": ".jsonl"}
FIXTURE_EXT = {"xml": (".xml",), "csv": (".csv",), "html": (".html", ".htm"),
               "pdftext": (".txt",), "writers": (".jsonl",)}
FIXTURE_DIR = {"writers": "json"}

XML_TOKENS = [
    b"<cable>", b"</cable>", b"<cables>", b"</cables>", b"<body>", b"</body>", b"<tags>",
    b"<tag>", b"</tag>", b"<extra>", b"</extra>", b"<paragraphs>", b"<p number=\"1\">",
    b"<![CDATA[", b"]]>", b"<!--", b"-->", b"<?xml version=\"1.0\"?>", b"<?pi x?>",
    b"&amp;", b"&lt;", b"&#0;", b"&#x0;", b"&#xD800;", b"&#x110000;", b"&#99999999999;",
    b"&#65;", b"&nope;", b"&", b"<", b">", b"\"", b"'", b" a=\"1\"", b" a=\"1\" a=\"2\"",
    b"<!DOCTYPE cables>", b"<!ENTITY e \"x\">", b"xmlns=\"urn:x\"", b"xmlns:p=\"urn:p\"",
    b"<p:cable>", b"</p:cable>", b"<a>" * 50, b"<a>" * 5000, b"</a>" * 50,
    b"<extra><a><b><c>", b"</c></b></a></extra>", b"model_version=\"99\"",
    b"<sipdis>maybe</sipdis>", b"<created>2006-13-45T25:61:61Z</created>",
    b"<id></id>", b"\x00", b"\xef\xbb\xbf", b"\xfe\xff", b"\n", b"\r\n", b"\t",
]
CSV_TOKENS = [
    b"\"", b"\"\"", b"\\\"", b"\\\\", b"\\", b"\\'", b",", b"\",\"", b"\"\n\"", b"\n",
    b"\r\n", b"\r", b"\"1\",\"", b"\"1/5/2007 12:00\",", b"\"99/99/9999 99:99\",",
    b"\"07XXTEST12\",", b"\"Embassy Riga\",", b"\"SECRET//NOFORN\",", b"\"|||\",",
    b"id,date,identifier,origin,classification,references,header,body\n",
    b"\"" + b"," * 40 + b"\"", b"," * 40, b"\x00", b"\xef\xbb\xbf", b"\t", b" ",
    b"R 051200Z JAN 07\nFM AMEMBASSY RIGA\n", b"SUBJECT: ", b"TAGS: ",
]
HTML_TOKENS = [
    b"<pre>", b"</pre>", b"<html>", b"</html>", b"<head>", b"</head>", b"<body>",
    b"</body>", b"<table>", b"</table>", b"<tr>", b"</tr>", b"<td>", b"</td>", b"<th>",
    b"<a href=\"x\">", b"</a>", b"<br>", b"<br/>", b"<div>" * 40, b"<div>" * 5000,
    b"</div>" * 40, b"<!--", b"-->", b"<script>", b"</script>", b"<style>", b"<![CDATA[",
    b"<!DOCTYPE html>", b"&amp;", b"&lt;", b"&nbsp;", b"&#0;", b"&#x110000;", b"&#xD800;",
    b"&#99999999999;", b"&#x;", b"&unknownentity;", b"&", b"<", b">", b"\"", b"'",
    b"<meta name=\"generator\" content=\"cablex\">", b"<h3>Viewing cable 07XXTEST12, X</h3>",
    b"Viewing cable ", b"Reference ID", b"Created", b"Released", b"Classification",
    b"Origin", b"<td>2006-08-28 11:38</td>", b"<td>9999-99-99 99:99</td>",
    b"<pre class=\"x\">", b"<PRE>", b"</PRE>", b"\x00", b"\xef\xbb\xbf", b"\n", b"\r\n",
]
PDF_TOKENS = [
    b"\f", b"\f\n", b"\n\f", b"PAGE 01\n", b"PAGE 02 STATE 123456 020203Z\n",
    b"UNCLASSIFIED U.S. Department of State Case No. F-2017-12345 Doc No. C06130929 "
    b"Date: 07/31/2017\n",
    b"UNCLASSIFIED U.S. Department of State Case No. F-2017-12345 Doc No. C06130929 "
    b"Date: 07/31/2017",
    b"Case No. ", b"Case", b"Doc No. C0", b"Date: ", b"RELEASE IN PART B1\n",
    b"RELEASE IN FULL\n", b"B1\n", b"B5,B6\n", b"1.4(D)\n", b"RELEASE IN |\n",
    b"Declassified/Released US Department of State EO Systematic Review 01 Jan 2099\n",
    b"CONFIDENTIAL\n", b"------------------012345 020304Z /62\n", b"SUBJECT: ", b"TAGS: ",
    b"COMMANDER-\n", b"-\n", b"-----\n", b"%PDF-1.4\n", b"\x00", b"\xef\xbb\xbf",
    b"Case " * 200, b"\n" * 2000, b" " * 300,
] + fuzz.RAW_TOKENS
WRITER_TOKENS = fuzz.JSON_TOKENS + [
    b'"\\u0001"', b'"\\u000b"', b'"\\u001f"', b'"\\u007f"', b'"\\u0085"', b'"\\ufffe"',
    b'"\\uffff"', b'"\\u2028"', b'"\\r"', b'"\\r\\n"', b'"]]>"', b'"</pre>"', b'"<!--"', b'"&"',
    b'"\\""', b'"\\\\"', b'"|"', b'","', b'"\\n\\"1\\",\\""', b'"tags":["<b>","",',
    b'"extra":{"":1,"<k>":[{"a":null}],', b'"header_text":"', b'"created":"2006-08-28T11:38:00"',
]
TOKENS = {"xml": XML_TOKENS, "csv": CSV_TOKENS, "html": HTML_TOKENS, "pdftext": PDF_TOKENS,
          "writers": WRITER_TOKENS}

READERS = ("xml", "csv", "html", "pdftext", "raw", "json", "archive", "epub")
MSG = re.compile(r"^cablex: (?:warning: )?(.*)$")


def whole_input(lm, tail):
    """pdftext reads one input as one cable (a PDF has no lines to name): its
    messages about the whole text need no line, those about a byte do."""
    return lm.group(2) == "pdftext" and "NUL" not in tail and "UTF-8" not in tail


def message_problem(line, names):
    """What is wrong with one 'cablex: ...' line, or None."""
    m = MSG.match(line)
    rest = m.group(1)
    for n in sorted(names, key=len, reverse=True):
        if not rest.startswith(n):
            continue
        tail = rest[len(n):]
        if tail.startswith("("):  # an entry of a bundle or a page of a document
            close = tail.find("):")
            if close < 0:
                continue
            tail = tail[close + 1:]
        lm = re.match(r"^(?::(\d+))?: (\w+): ", tail)
        if lm and lm.group(2) in READERS and lm.group(1) is None and not whole_input(lm, tail):
            return "a reader's message without its line: " + line
        return None
    if any(n in rest for n in names):  # the core's own words, e.g. "no input plugin recognises F"
        return None
    return "message without its input's name: " + line


class FormatChecker(fuzz.Checker):
    def run(self, cmd, names, expect_ok=False, stdin=None):
        """Runs cmd (stdin from the file stdin); a list of what is wrong."""
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        try:
            with open(stdin or os.devnull, "rb") as fin:
                p = subprocess.run(cmd, stdin=fin, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, timeout=self.args.timeout, env=env)
        except subprocess.TimeoutExpired:
            return ["timeout after %gs (hang?)" % self.args.timeout]
        err = p.stderr.decode("utf-8", "replace")
        bad = []
        if p.returncode < 0 or p.returncode >= 3:
            bad.append("exit status %d (crash?)" % p.returncode)
        elif p.returncode == 2:
            bad.append("exit status 2: the output was lost")
        elif expect_ok and p.returncode != 0:
            bad.append("exit status %d reading what cablex wrote itself" % p.returncode)
        for mark in fuzz.SANITIZER_MARKS:
            if mark in err:
                bad.append("sanitizer report: " + mark)
                break
        for line in err.splitlines():
            if line.startswith("cablex: ") and " converted, " not in line:
                why = message_problem(line, names)
                if why:
                    bad.append(why)
                    break
        if bad:
            bad.append("stderr:\n" + "\n".join("    " + x for x in err.splitlines()[:20]))
        return bad

    def check_writers(self, paths, out_dir):
        """Mutated JSON models through each writer; what it wrote reads back."""
        cx = self.args.cablex
        jl = os.path.join(out_dir, "all.jsonl")
        steps = [([cx, "convert", "-q", "-f", "json", "-t", "jsonl", "-o", jl] + paths, False,
                  jl, None)]
        for w in ("xml", "csv", "html"):
            out = os.path.join(out_dir, "w" + EXT[w])
            back = os.path.join(out_dir, "w-" + w + ".jsonl")
            steps.append(([cx, "convert", "-q", "-f", "json", "-t", w, "-o", out] + paths, False,
                          None, None))
            steps.append(([cx, "convert", "-q", "-f", w, "-t", "jsonl", "-o", back, out], True,
                          back, out))
        return self.run_steps(steps, list(paths) + [jl] + [os.path.join(out_dir, "w" + EXT[w])
                                                            for w in ("xml", "csv", "html")])

    def run_steps(self, steps, names):
        outs = []
        for cmd, expect_ok, out, needs in steps:
            if needs and (not os.path.exists(needs) or os.path.getsize(needs) == 0):
                continue  # nothing was converted to read back
            bad = self.run(cmd, names, expect_ok)
            if bad:
                return [(" ".join(cmd), bad)]
            if out and os.path.exists(out) and os.path.getsize(out):
                outs.append(out)
        # one validator run for all of them (its start-up is most of its time)
        if self.args.validate and outs:
            p = subprocess.run([sys.executable, self.args.validate] + outs,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            if p.returncode != 0:
                return [("validate-json " + " ".join(outs), ["JSON output does not validate: "
                         + p.stdout.decode("utf-8", "replace").strip()])]
        return []

    def check_batch(self, paths, out_dir):
        cx = self.args.cablex
        fmt = self.fmt
        if fmt == "writers":
            return self.check_writers(paths, out_dir)
        jl1 = os.path.join(out_dir, "probe.jsonl")
        jl = os.path.join(out_dir, "all.jsonl")
        back_fmt = "raw" if fmt == "pdftext" else fmt
        back = os.path.join(out_dir, "back" + (".txt" if fmt == "pdftext" else EXT[fmt]))
        back_jl = os.path.join(out_dir, "back.jsonl")
        direct = os.path.join(out_dir, "direct" + (".txt" if fmt == "pdftext" else EXT[fmt]))
        direct_jl = os.path.join(out_dir, "direct.jsonl")
        names = list(paths) + [jl, back, direct]
        # (command, must exit 0, JSON it writes, a file it reads that must not be empty)
        steps = [
            ([cx, "convert", "-q", "-t", "jsonl", "-o", jl1] + paths, False, jl1, None),
            ([cx, "convert", "-q", "-f", fmt, "-t", "jsonl", "-o", jl] + paths, False, jl, None),
            ([cx, "convert", "-q", "-f", "json", "-t", back_fmt, "-o", back, jl], True, None, jl),
            ([cx, "convert", "-q", "-f", back_fmt, "-t", "jsonl", "-o", back_jl, back], True,
             back_jl, back),
            # straight from the mutants to the format: what failed leaves no
            # half-written cable behind, the rest reads back
            ([cx, "convert", "-q", "-f", fmt, "-t", back_fmt, "-o", direct] + paths, False, None,
             None),
            ([cx, "convert", "-q", "-f", back_fmt, "-t", "jsonl", "-o", direct_jl, direct], True,
             direct_jl, direct),
        ]
        # the first one through a pipe, where only its content tells
        pipe = [cx, "convert", "-q", "-t", "jsonl", "-o", os.path.join(out_dir, "pipe.jsonl")]
        bad = self.run(pipe, ["-"], stdin=paths[0])
        if bad:
            return [(" ".join(pipe) + " <" + paths[0], bad)]
        return self.run_steps(steps, names)


def make_seeds(args, fmt, work):
    """(name, bytes) of every seed of fmt."""
    seeds = []
    fixtures = os.path.join(args.src, "tests", "data", FIXTURE_DIR.get(fmt, fmt))
    if os.path.isdir(fixtures):
        for n in sorted(os.listdir(fixtures)):
            if n.endswith(FIXTURE_EXT[fmt]):
                with open(os.path.join(fixtures, n), "rb") as fh:
                    seeds.append((n, fh.read()))
    samples = os.path.join(args.src, "samples")
    if fmt == "pdftext":
        for n in sorted(os.listdir(samples)):
            with open(os.path.join(samples, n), "rb") as fh:
                seeds.append((n, fh.read()))
        # PDFs too (through pdftotext) when it is there: the fixture's text
        # made into a PDF with furniture, and a sample without
        mkpdf = os.path.join(args.src, "tests", "pdftext", "mkpdf.py")
        if shutil.which("pdftotext") and os.path.exists(mkpdf):
            for src, extra in ((os.path.join(fixtures, "cable.txt"),
                                ["--stamp", "UNCLASSIFIED U.S. Department of State Case No. "
                                 "F-2017-12345 Doc No. C06130929 Date: 07/31/2017",
                                 "--release", "RELEASE IN PART B1", "--page-numbers"]),
                               (os.path.join(samples, "07XXTEST2213.txt"), [])):
                out = os.path.join(work, os.path.basename(src) + ".pdf")
                if subprocess.run([sys.executable, mkpdf, src, out] + extra).returncode == 0:
                    with open(out, "rb") as fh:
                        seeds.append((os.path.basename(out), fh.read()))
        return seeds
    one = os.path.join(work, "samples" + EXT[fmt])
    each = os.path.join(work, "samples-" + fmt) + "/"
    to = "jsonl" if fmt == "writers" else fmt
    for out in (one, each):
        p = subprocess.run([args.cablex, "convert", "-q", "-f", "raw", "-t", to, "-o", out,
                            samples], stderr=subprocess.PIPE)
        if p.returncode != 0:
            sys.stderr.write("fuzz_formats: converting the samples to %s failed: %s\n"
                             % (fmt, p.stderr.decode("utf-8", "replace")))
            sys.exit(1)
    with open(one, "rb") as fh:
        seeds.append((os.path.basename(one), fh.read()))
    for n in sorted(os.listdir(each)):
        with open(os.path.join(each, n), "rb") as fh:
            seeds.append((n, fh.read()))
    return seeds


def write_mutant(rng, name, data):
    if rng.random() < 0.1:
        gz = gzip.compress(data, 6)
        if rng.random() < 0.5:  # a damaged gzip stream
            g = bytearray(gz)
            if rng.random() < 0.5:
                del g[rng.randint(10, len(g)):]
            else:
                g[rng.randrange(10, len(g))] ^= 0xFF
            gz = bytes(g)
        data = gz
        name += ".gz"
    with open(name, "wb") as fh:
        fh.write(data)
    return name


def fuzz_format(args, fmt, checker, rng):
    work = os.path.join(args.tmp, fmt)
    os.makedirs(work)
    seeds = make_seeds(args, fmt, work)
    everything = [d for _n, d in seeds]
    checker.fmt = fmt
    failures = 0
    done = 0
    batch_no = 0
    while done < args.count:
        n = min(args.batch, args.count - done)
        bdir = os.path.join(work, "batch%03d" % batch_no)
        os.makedirs(bdir)
        paths = []
        for i in range(n):
            _n, data = rng.choice(seeds)
            m = fuzz.mutate(rng, data, "json" if fmt == "writers" else "raw", everything,
                            TOKENS[fmt])
            ext = EXT[fmt]
            if rng.random() < 0.1:
                ext = ".dat"  # the content decides
            paths.append(write_mutant(rng, os.path.join(bdir, "m%04d%s" % (done + i, ext)), m))
        out_dir = os.path.join(work, "out%03d" % batch_no)
        os.makedirs(out_dir)
        problems = checker.check_batch(paths, out_dir)
        if problems:
            fail_dir = os.path.join(args.tmp, "failures")
            os.makedirs(fail_dir, exist_ok=True)
            culprits = 0
            for p in paths:
                one = os.path.join(work, "one")
                shutil.rmtree(one, ignore_errors=True)
                os.makedirs(one)
                sub = checker.check_batch([p], one)
                if sub:
                    culprits += 1
                    keep = os.path.join(fail_dir, fmt + "-" + os.path.basename(p))
                    shutil.copy(p, keep)
                    print("FAIL: %s mutant %s (kept as %s)" % (fmt, p, keep))
                    for cmd, bad in sub:
                        print("  command: %s" % cmd)
                        for b in bad:
                            print("  " + b)
            if not culprits:
                print("FAIL: %s batch %s fails only as a whole:" % (fmt, bdir))
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
    return failures


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cablex", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--formats", default=",".join(FORMATS))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=100, help="mutants per format")
    ap.add_argument("--batch", type=int, default=25)
    ap.add_argument("--timeout", type=float, default=20)
    ap.add_argument("--validate")
    args = ap.parse_args()

    shutil.rmtree(args.tmp, ignore_errors=True)
    os.makedirs(args.tmp)
    checker = FormatChecker(args)
    total = 0
    for fmt in args.formats.split(","):
        if fmt not in FORMATS:
            sys.stderr.write("fuzz_formats: unknown format %s\n" % fmt)
            return 2
        # one generator per format, so a format's mutants do not depend on the list
        rng = random.Random("%d:%s" % (args.seed, fmt))
        f = fuzz_format(args, fmt, checker, rng)
        print("fuzz_formats: %s: %d mutants, %d failed" % (fmt, args.count, f))
        total += f
    if total:
        print("fuzz_formats: %d mutants failed (seed %d); kept in %s"
              % (total, args.seed, os.path.join(args.tmp, "failures")))
        return 1
    shutil.rmtree(args.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
