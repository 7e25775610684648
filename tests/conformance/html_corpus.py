#!/usr/bin/python3
"""Conformance: every Cablegate page of ../shared/corpus/html through the html plugin.

usage: html_corpus.py CABLEX SHARED_DIR

For each page, independently of cablex, the page's table, heading and tag links
are read with Python's html.parser, and the telegram is made as corpus/README.md
says the text files were (header <pre>, a blank line, body <pre>, entities
decoded, the site's links dropped).  Then, with the built cablex:
  - html -> JSON: id, created, released, classification, origin, title and tags
    (when the page has tag links) must be the page's; header_text + body must
    equal the corresponding corpus/text file, and the text file must equal the
    telegram read here;
  - html -> JSON -> html -> JSON: the model must be unchanged (source aside),
    and the page cablex wrote, read and written again, must be the same bytes;
  - the <pre> blocks cablex writes are the site's, up to the escaping of & < >
    (the site left them raw);
  - all pages in one run to one html stream and back: the same models, and their
    JSON Lines valid against formats/cable.schema.json.
Prints the numbers.  Exit 0 when everything matched, 1 otherwise, 77 (skipped)
when the shared corpus is not there.
"""
import glob
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile


class Page(html.parser.HTMLParser):
    """The heading, the table's first data row, the media links and the tag
    links of the cable pane (after the heading)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_h3 = self.pane = False
        self.heading = ''
        self.table = 0
        self.row = None
        self.rows = []
        self.cell = None
        self.link = None
        self.tags = []
        self.media = []
        self.pre = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'h3':
            self.in_h3 = True
            self.h3 = ''
        elif tag == 'table' and a.get('class') == 'cable':
            self.table += 1
        elif tag == 'tr' and self.table:
            self.row = []
        elif tag in ('td', 'th') and self.row is not None:
            self.cell = ''
            self.colspan = 'colspan' in a
        elif tag == 'a':
            self.link = (a.get('href') or '', '')
        elif tag == 'pre':
            self.pre += 1

    def handle_endtag(self, tag):
        if tag == 'h3' and self.in_h3:
            self.in_h3 = False
            if self.h3.startswith('Viewing cable'):
                self.heading = self.h3
                self.pane = True
        elif tag == 'table' and self.table:
            self.table -= 1
        elif tag == 'tr' and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag in ('td', 'th') and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == 'a' and self.link:
            href, text = self.link
            if self.pane and href.startswith('/tag/'):
                self.tags.append(text.strip())
            elif self.cell is not None and self.colspan:
                self.media.append({'href': href, 'text': text.strip()})
            self.link = None

    def handle_data(self, data):
        if self.in_h3:
            self.h3 += data
        if self.cell is not None:
            self.cell += data
        if self.link:
            self.link = (self.link[0], self.link[1] + data)


ENTITY = re.compile(r'&(#[xX][0-9a-fA-F]+|#[0-9]+|[A-Za-z][A-Za-z0-9]*);')


def unref(s):
    import html as h
    return ENTITY.sub(lambda m: h.unescape(m.group(0)), s)


def telegram(page):
    """Header <pre>, blank line, body <pre>, newline; anchors and links dropped."""
    pres = re.findall(r'<pre>(.*?)</pre>', page, re.S)
    def clean(x):
        x = re.sub(r"<a id='par[0-9A-Za-z]+' href='#par[0-9A-Za-z]+'>\u00b6</a>", '', x)
        x = re.sub(r'<a [^>]*>|</a>', '', x)
        return unref(x)
    return clean(pres[0]) + '\n\n' + clean(pres[1]) + '\n'


def iso(d):
    return d.replace(' ', 'T') + (':00' if len(d) == 16 else '')


def run(cmd, data=None):
    p = subprocess.run(cmd, input=data, capture_output=True, timeout=300)
    return p.returncode, p.stdout, p.stderr.decode('utf-8', 'replace')


def strip_source(c):
    c = dict(c)
    c.pop('source', None)
    return c


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cablex, shared = sys.argv[1], sys.argv[2]
    root = os.path.join(shared, 'corpus', 'html')
    pages = sorted(glob.glob(os.path.join(root, '*', '*.html')))
    if not pages:
        print('SKIP: %s not found' % root)
        return 77
    fails = []
    n = dict(pages=0, converted=0, fields=0, tags=0, telegram=0, model=0, bytes=0, warned=0,
             pre=0)
    models = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in pages:
            name = os.path.relpath(path, root)
            n['pages'] += 1
            src = open(path, encoding='utf-8').read()
            pg = Page()
            pg.feed(src)
            rc, out, err = run([cablex, 'convert', '-f', 'html', '-t', 'json', path])
            try:
                c = json.loads(out)
            except ValueError:
                fails.append('%s: html -> json failed (%d): %s' % (name, rc, err.strip()[:300]))
                continue
            n['converted'] += 1
            warns = [l for l in err.splitlines() if ': html: ' in l]
            if warns:
                n['warned'] += 1
                print('warning: ' + warns[0])
            models.append(c)
            head, vals = pg.rows[0], pg.rows[1]
            t = dict(zip(head, vals))
            hid = pg.heading[len('Viewing cable '):]
            title = hid.split(',', 1)[1].strip() if ',' in hid else ''
            want = {'id': t['Reference ID'], 'created': iso(t['Created']),
                    'released': iso(t['Released']), 'classification': t['Classification'],
                    'origin': t['Origin'], 'title': title or None}
            # created corrected from the DTG keeps the page's value in extra.page_created
            got = dict(c, created=(c.get('extra') or {}).get('page_created') or c.get('created'))
            bad = ['%s %r != %r' % (k, got.get(k), v) for k, v in want.items() if got.get(k) != v]
            if pg.tags:
                n['tags'] += 1
                if c.get('tags') != pg.tags:
                    bad.append('tags %r != %r' % (c.get('tags'), pg.tags))
            media = (c.get('extra') or {}).get('html_media')
            if (media or []) != pg.media:
                bad.append('media %r != %r' % (media, pg.media))
            if bad:
                fails.append('%s: %s' % (name, '; '.join(bad)))
            else:
                n['fields'] += 1
            txt = os.path.join(shared, 'corpus', 'text', name[:-5] + '.txt')
            got = (c.get('header_text') or '') + (c.get('body') or '')
            if os.path.exists(txt):
                want_t = open(txt, encoding='utf-8', newline='').read()
                if got == want_t and telegram(src) == want_t:
                    n['telegram'] += 1
                else:
                    fails.append('%s: telegram differs from %s' % (name, os.path.relpath(txt, shared)))
            else:
                fails.append('%s: no text file %s' % (name, txt))
            # the model through the writer and back; the page written twice
            rc, page1, err = run([cablex, 'convert', '-q', '-f', 'json', '-t', 'html', '-'], out)
            rc, json2, err2 = run([cablex, 'convert', '-q', '-f', 'html', '-t', 'json', '-'], page1)
            rc, page2, err3 = run([cablex, 'convert', '-q', '-f', 'json', '-t', 'html', '-'], json2)
            try:
                c2 = json.loads(json2)
            except ValueError:
                fails.append('%s: json -> html -> json failed: %s %s' % (name, err.strip()[:200], err2.strip()[:200]))
                continue
            if strip_source(c2) == strip_source(c):
                n['model'] += 1
            else:
                diff = [k for k in c if k != 'source' and c.get(k) != c2.get(k)]
                fails.append('%s: html -> json -> html -> json changed %s' % (name, diff))
            mine = re.findall(r'<code><pre>.*?</pre></code>', page1.decode('utf-8'), re.S)
            site = re.findall(r'<code><pre>.*?</pre></code>', src, re.S)
            mine = [x.replace('&amp;', '&').replace('&lt;', '<').replace('&gt;', '>') for x in mine]
            if mine == site:
                n['pre'] += 1
            else:
                fails.append('%s: the <pre> blocks written are not the site\'s' % name)
            if page1 == page2 and page1:
                n['bytes'] += 1
            else:
                fails.append('%s: the page cablex wrote is not written back the same' % name)
        # every page in one stream each way
        jl = os.path.join(tmp, 'all.jsonl')
        hs = os.path.join(tmp, 'all.html')
        run([cablex, 'convert', '-q', '-f', 'html', '-t', 'json', '-o', jl] + pages)
        run([cablex, 'convert', '-q', '-f', 'json', '-t', 'html', '-o', hs, jl])
        rc, back, err = run([cablex, 'convert', '-q', '-f', 'html', '-t', 'json', hs])
        validate = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tools',
                                'validate-json')
        rc, vout, verr = run(['/usr/bin/python3', validate, jl])
        if rc != 0:
            fails.append('JSON Schema: %s' % (vout.decode('utf-8', 'replace') + verr)[:300])
        again = [strip_source(json.loads(l)) for l in back.decode('utf-8').splitlines() if l.strip()]
        same = sum(1 for a, b in zip(again, models) if a == strip_source(b))
        if len(again) != len(models) or same != len(models):
            fails.append('one stream: %d cables back, %d of %d the same (%s)' %
                         (len(again), same, len(models), err.strip()[:200]))
    for f in fails:
        print('FAIL ' + f)
    print('html conformance: %(pages)d pages; converted %(converted)d (%(warned)d with warnings); '
          'table/heading/tags/media equal %(fields)d (tags compared on %(tags)d); telegram equal '
          'to corpus/text %(telegram)d; html -> json -> html -> json same model %(model)d; '
          'page written back byte-identical %(bytes)d; <pre> blocks as the site\'s (up to '
          '& < > escaping) %(pre)d' % n)
    print('one html stream of %d cables: %d read back the same' % (len(models), same))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
