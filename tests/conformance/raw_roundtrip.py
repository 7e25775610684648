#!/usr/bin/python3
"""Conformance: every real cable of ../shared/corpus/text through raw -> JSON -> raw.

usage: raw_roundtrip.py CABLEX SHARED_DIR

Each cable is put into the raw seed layout exactly as ../shared/tools/make-corpus
does (its raw() function is loaded from there, with the cable's own reference
id), then converted with the built cablex:
  - raw -> JSON: header_text + body must be the telegram text, and id, created,
    classification, origin, title and tags (when the page has tags) must be those
    of the cable's .meta.json (created in ISO form);
  - JSON -> raw: the output must be the input, byte for byte;
  - all cables in one run: raw files -> one JSON Lines stream -> one raw stream,
    split on the separator, must give every input back.
Prints the numbers.  Exit 0 when everything matched, 1 otherwise, 77 (skipped)
when the shared corpus is not there.
"""
import glob
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import tempfile


def load_make_corpus(shared):
    path = os.path.join(shared, 'tools', 'make-corpus')
    loader = importlib.machinery.SourceFileLoader('make_corpus', path)
    spec = importlib.util.spec_from_loader('make_corpus', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def run(cmd, data=None):
    p = subprocess.run(cmd, input=data, capture_output=True, timeout=120)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cablex, shared = sys.argv[1], sys.argv[2]
    texts = sorted(glob.glob(os.path.join(shared, 'corpus', 'text', '*', '*.txt')))
    if not texts or not os.path.exists(os.path.join(shared, 'tools', 'make-corpus')):
        print('SKIP: %s/corpus/text or tools/make-corpus not found' % shared)
        return 77
    mc = load_make_corpus(shared)
    fails = []
    counts = dict(cables=0, split=0, fields=0, tags_checked=0, roundtrip=0)
    with tempfile.TemporaryDirectory() as tmp:
        paths, docs = [], []
        for n, p in enumerate(texts):
            meta = json.load(open(p[:-4] + '.meta.json', encoding='utf-8'))
            text = open(p, encoding='utf-8').read()
            cid = meta['reference_id']
            doc = mc.raw(meta, cid, text).encode('utf-8')
            path = os.path.join(tmp, '%03d-%s.txt' % (n, cid))
            with open(path, 'wb') as f:
                f.write(doc)
            paths.append(path)
            docs.append(doc)
            counts['cables'] += 1
            name = os.path.relpath(p, os.path.join(shared, 'corpus', 'text'))

            rc, out, err = run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'json', path])
            try:
                c = json.loads(out)
            except ValueError:
                fails.append('%s: raw -> json failed (%d): %s' % (name, rc, err.strip()[:200]))
                continue
            if (c.get('header_text') or '') + (c.get('body') or '') == text:
                counts['split'] += 1
            else:
                fails.append('%s: header_text + body is not the telegram text' % name)
            want = {
                'id': cid,
                'created': meta['created'].replace(' ', 'T') + ':00',
                'classification': meta['classification'],
                'origin': meta['origin'],
                'title': meta.get('page_title') or cid,
            }
            # created corrected from the DTG keeps the page's value in extra.page_created
            got = dict(c, created=(c.get('extra') or {}).get('page_created') or c.get('created'))
            bad = ['%s %r != %r' % (k, got.get(k), v) for k, v in want.items() if got.get(k) != v]
            if meta.get('tag_links'):
                counts['tags_checked'] += 1
                if c.get('tags') != meta['tag_links']:
                    bad.append('tags %r != %r' % (c.get('tags'), meta['tag_links']))
            if bad:
                fails.append('%s: %s' % (name, '; '.join(bad)))
            else:
                counts['fields'] += 1

            rc, back, err = run([cablex, 'convert', '-q', '-f', 'json', '-t', 'raw', '-'], out)
            if back == doc:
                counts['roundtrip'] += 1
            else:
                fails.append('%s: json -> raw differs from the input (%d bytes vs %d) %s' %
                             (name, len(back), len(doc), err.strip()[:200]))

        # every cable in one stream each way
        jl = os.path.join(tmp, 'all.jsonl')
        rc, _, err = run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'json', '-o', jl] + paths)
        rc2, stream, err2 = run([cablex, 'convert', '-q', '-f', 'json', '-t', 'raw', jl])
        parts = stream.split(b'\n\f\n')
        same = sum(1 for a, b in zip(parts, docs) if a == b)
        if len(parts) != len(docs) or same != len(docs):
            fails.append('one stream: %d cables back, %d of %d identical (%s%s)' %
                         (len(parts), same, len(docs), err.strip()[:100], err2.strip()[:100]))

    for f in fails:
        print('FAIL ' + f)
    print('raw conformance: %(cables)d cables; split exact %(split)d; metadata fields equal '
          '%(fields)d (tags compared on %(tags_checked)d); raw -> json -> raw identical '
          '%(roundtrip)d' % counts)
    print('one stream of %d cables: %d identical' % (len(docs), same))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
