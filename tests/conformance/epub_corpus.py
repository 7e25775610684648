#!/usr/bin/python3
"""Conformance: every real cable of ../shared/corpus/text in one EPUB book.

usage: epub_corpus.py CABLEX SHARED_DIR

Each cable is put into the raw seed layout exactly as raw_roundtrip.py does
(make-corpus's raw()), then, all cables in one run:
  - raw -> EPUB (one book, and one per --group-by): epubcheck must report
    0 errors and 0 warnings;
  - EPUB -> JSON must equal raw -> JSON, cable by cable, in input order
    (`source` left out: it names the file read);
  - the book written twice is the same bytes.
Exit 0 when everything held, 1 otherwise, 77 (skipped) when the shared corpus,
java or epubcheck is not there.
"""
import glob
import importlib.machinery
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile

EPUBCHECK = '/usr/share/java/epubcheck.jar'


def load_make_corpus(shared):
    path = os.path.join(shared, 'tools', 'make-corpus')
    loader = importlib.machinery.SourceFileLoader('make_corpus', path)
    spec = importlib.util.spec_from_loader('make_corpus', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, timeout=1200)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def epubcheck(path):
    # A short-lived JVM: client compiler and serial GC halve its start-up cost.
    rc, out, err = run(['java', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar',
                        EPUBCHECK, path])
    text = out.decode('utf-8', 'replace') + err
    ok = rc == 0 and 'Messages: 0 fatals / 0 errors / 0 warnings' in text
    summary = [l for l in text.splitlines() if l.startswith(('ERROR', 'WARNING', 'FATAL',
                                                             'Messages'))]
    return ok, summary


def cables(jsonl):
    out = []
    for line in jsonl.splitlines():
        c = json.loads(line)
        c.pop('source', None)
        out.append(c)
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cablex, shared = sys.argv[1], sys.argv[2]
    texts = sorted(glob.glob(os.path.join(shared, 'corpus', 'text', '*', '*.txt')))
    if not texts or not os.path.exists(os.path.join(shared, 'tools', 'make-corpus')):
        print('SKIP: %s/corpus/text or tools/make-corpus not found' % shared)
        return 77
    if not shutil.which('java') or not os.path.exists(EPUBCHECK):
        print('SKIP: java or %s not found' % EPUBCHECK)
        return 77
    mc = load_make_corpus(shared)
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, p in enumerate(texts):
            meta = json.load(open(p[:-4] + '.meta.json', encoding='utf-8'))
            text = open(p, encoding='utf-8').read()
            cid = meta['reference_id']
            path = os.path.join(tmp, '%03d-%s.txt' % (n, cid))
            with open(path, 'wb') as f:
                f.write(mc.raw(meta, cid, text).encode('utf-8'))
            paths.append(path)

        book = os.path.join(tmp, 'all.epub')
        rc, _, err = run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'epub', '-o', book] + paths)
        if rc != 0:
            fails.append('raw -> epub failed (%d): %s' % (rc, err.strip()[:300]))
        ok, summary = epubcheck(book)
        if not ok:
            fails.append('epubcheck on the book of %d cables: %s' % (len(paths),
                                                                      '; '.join(summary[:10])))

        rc, want, err = run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'json'] + paths)
        rc2, got, err2 = run([cablex, 'convert', '-q', '-f', 'epub', '-t', 'json', book])
        a, b = cables(want), cables(got)
        same = sum(1 for x, y in zip(a, b) if x == y)
        if len(a) != len(paths) or len(b) != len(a) or same != len(a):
            fails.append('epub -> json: %d cables back of %d, %d equal to raw -> json (%s%s)' %
                         (len(b), len(a), same, err.strip()[:100], err2.strip()[:200]))
            for x, y in zip(a, b):
                if x != y:
                    keys = [k for k in x if x.get(k) != y.get(k)]
                    fails.append('first difference: %s in %s' % (keys, x.get('id')))
                    break

        again = os.path.join(tmp, 'again.epub')
        run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'epub', '-o', again] + paths)
        if open(book, 'rb').read() != open(again, 'rb').read():
            fails.append('the same cables gave two different books')

        for g in ('date', 'tag'):
            other = os.path.join(tmp, 'by-%s.epub' % g)
            rc, _, err = run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'epub', '-O',
                              'group-by=' + g, '-o', other] + paths)
            ok, summary = epubcheck(other)
            if rc != 0 or not ok:
                fails.append('group-by=%s: rc %d, epubcheck: %s' % (g, rc, '; '.join(summary[:10])))

    for f in fails:
        print('FAIL ' + f)
    print('epub conformance: %d cables in one book; epubcheck %s; epub -> json equal to '
          'raw -> json for %d' % (len(paths), 'clean' if not any('epubcheck' in f for f in fails)
                                 else 'NOT clean', same))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
