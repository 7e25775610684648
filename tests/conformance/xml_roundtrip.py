#!/usr/bin/python3
"""Conformance: every real cable of ../shared/corpus/text through raw -> XML -> raw / JSON.

usage: xml_roundtrip.py CABLEX SCHEMA SHARED_DIR

Each cable is put into the raw seed layout as ../shared/tools/make-corpus does
(the same way as raw_roundtrip.py), then, with the built cablex:
  - each cable alone: raw -> XML validates against SCHEMA (xmllint --schema),
    and XML -> raw gives the input back byte for byte;
  - all cables in one run: raw files -> one XML document, which validates;
    that document -> raw, split on the separator, gives every input back;
    that document -> JSON Lines equals raw files -> JSON Lines (source left
    out: it names the reader and the path).
Prints the numbers.  Exit 0 when everything matched, 1 otherwise, 77 (skipped)
when the shared corpus or xmllint is not there.
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


def load_make_corpus(shared):
    path = os.path.join(shared, 'tools', 'make-corpus')
    loader = importlib.machinery.SourceFileLoader('make_corpus', path)
    spec = importlib.util.spec_from_loader('make_corpus', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def run(cmd, data=None):
    p = subprocess.run(cmd, input=data, capture_output=True, timeout=300)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def without_source(jsonl):
    out = []
    for line in jsonl.splitlines():
        c = json.loads(line)
        c.pop('source', None)
        out.append(c)
    return out


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    cablex, schema, shared = sys.argv[1:4]
    texts = sorted(glob.glob(os.path.join(shared, 'corpus', 'text', '*', '*.txt')))
    if not texts or not os.path.exists(os.path.join(shared, 'tools', 'make-corpus')):
        print('SKIP: %s/corpus/text or tools/make-corpus not found' % shared)
        return 77
    if not shutil.which('xmllint'):
        print('SKIP: xmllint not found (Debian: libxml2-utils)')
        return 77
    mc = load_make_corpus(shared)
    fails = []
    counts = dict(cables=0, valid=0, roundtrip=0)
    with tempfile.TemporaryDirectory() as tmp:
        paths, docs, xmls = [], [], []
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

            xml = path[:-4] + '.xml'
            rc, _, err = run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'xml', '-o', xml, path])
            if rc != 0:
                fails.append('%s: raw -> xml failed (%d): %s' % (name, rc, err.strip()[:200]))
                continue
            xmls.append(xml)
            rc, back, err = run([cablex, 'convert', '-q', '-f', 'xml', '-t', 'raw', xml])
            if back == doc:
                counts['roundtrip'] += 1
            else:
                fails.append('%s: raw -> xml -> raw differs from the input (%d bytes vs %d) %s' %
                             (name, len(back), len(doc), err.strip()[:200]))

        # every per-cable document against the schema, in batches
        for i in range(0, len(xmls), 100):
            batch = xmls[i:i + 100]
            rc, _, err = run(['xmllint', '--noout', '--schema', schema] + batch)
            bad = [line for line in err.splitlines() if 'validates' not in line]
            counts['valid'] += sum(1 for line in err.splitlines() if line.endswith(' validates'))
            if rc != 0:
                fails.append('schema: %s' % '; '.join(bad)[:400])

        # every cable in one document each way
        allx = os.path.join(tmp, 'all.xml')
        rc, _, err = run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'xml', '-o', allx] + paths)
        if rc != 0:
            fails.append('one document: raw -> xml failed (%d): %s' % (rc, err.strip()[:200]))
        rc, _, err = run(['xmllint', '--noout', '--schema', schema, allx])
        if rc != 0:
            fails.append('one document: schema: %s' % err.strip()[:400])
        rc, stream, err = run([cablex, 'convert', '-q', '-f', 'xml', '-t', 'raw', allx])
        parts = stream.split(b'\n\f\n')
        same = sum(1 for a, b in zip(parts, docs) if a == b)
        if len(parts) != len(docs) or same != len(docs):
            fails.append('one document: %d cables back, %d of %d identical (%s)' %
                         (len(parts), same, len(docs), err.strip()[:200]))
        rc1, via_xml, err1 = run([cablex, 'convert', '-q', '-f', 'xml', '-t', 'json', allx])
        rc2, direct, err2 = run([cablex, 'convert', '-q', '-f', 'raw', '-t', 'json'] + paths)
        a, b = without_source(via_xml), without_source(direct)
        equal = sum(1 for x, y in zip(a, b) if x == y)
        if rc1 or rc2 or len(a) != len(docs) or equal != len(docs):
            fails.append('xml -> json vs raw -> json: %d of %d equal (%s%s)' %
                         (equal, len(docs), err1.strip()[:100], err2.strip()[:100]))

    for f in fails:
        print('FAIL ' + f)
    print('xml conformance: %(cables)d cables; per-cable XML valid %(valid)d; '
          'raw -> xml -> raw identical %(roundtrip)d' % counts)
    print('one document of %d cables: raw back identical %d; xml -> json equal to raw -> json %d'
          % (len(docs), same, equal))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
