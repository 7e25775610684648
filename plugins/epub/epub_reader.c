/* epub_reader.c - reads cables back from an EPUB (formats/epub.md).
 *
 * libarchive reads the zip as a stream (the input may be a pipe).  A page
 * of a cablex book carries its cable in data-f/data-t marked elements
 * (epub_xhtml.c): expat walks it and rebuilds the model's JSON form as
 * values (struct cx_value), which libcablex's cx_cable_from_value turns
 * into the cable by the model's field table, checking it as the json
 * reader does.  Such chapters are returned as they are met: a book is read
 * in the memory of one chapter.
 *
 * Any other page (a foreign book) is kept as its readable text until the
 * archive ends, then returned in spine order: as a cable parsed by
 * cx_telegram_parse when the text looks like a telegram, else as a cable
 * holding only the text in extra.epub.text (CX_WARN).  extra.epub names the
 * page and its title either way.
 */
#include <archive.h>
#include <archive_entry.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "epub_plugin.h"

#define RD_CHUNK (64 * 1024)
#define MAX_DEPTH 512
#define FOREIGN_MAX ((size_t)256 << 20) /* text of foreign pages kept for the spine */

/* ---- one page ---- */

struct pframe {
  char t;             /* own type: o a s u(num) n t f, 0 untagged, c control */
  int owner;          /* index of the nearest tagged frame, -1 outside the model */
  struct cx_value *v; /* own value, when tagged */
  bool pre, skip;     /* foreign text: inside <pre>; inside <head>/<script>/<style> */
};

struct page {
  XML_Parser p;
  struct cx_value *model;
  struct cx_buf *str; /* the text of the string or number being read */
  struct cx_buf *text, *title;
  struct pframe st[MAX_DEPTH];
  int depth;
  bool in_title, model_seen, model_done, *book;
  int rc; /* CX_OK, or a failure: msg holds it */
  char msg[200];
};

static void stop(struct page *pg, const char *fmt, const char *arg) {
  if (pg->rc == CX_OK) {
    pg->rc = CX_FAILED;
    snprintf(pg->msg, sizeof pg->msg, fmt, arg);
  }
  XML_StopParser(pg->p, XML_FALSE);
}

static void sadd(struct page *pg, const char *s, size_t n) {
  if (pg->rc == CX_OK && cx_buf_add(pg->str, s, n)) stop(pg, "%s", "the cable is too large");
}

static void tadd(struct page *pg, const char *s, size_t n) {
  if (pg->rc == CX_OK && cx_buf_add(pg->text, s, n)) stop(pg, "%s", "the page is too large");
}

static const char *attr(const XML_Char **a, const char *name) {
  for (; a[0]; a += 2)
    if (!strcmp(a[0], name)) return a[1];
  return NULL;
}

static bool is_block(const char *n) {
  static const char *const blocks[] = {
      "p",  "div", "br",         "h1",      "h2",      "h3", "h4", "h5", "h6",    "li",
      "tr", "pre", "blockquote", "section", "article", "dt", "dd", "hr", "table", NULL};
  for (const char *const *b = blocks; *b; b++)
    if (!strcmp(n, *b)) return true;
  return false;
}

static char type_code(const char *t) {
  if (!strcmp(t, "o")) return 'o';
  if (!strcmp(t, "a")) return 'a';
  if (!strcmp(t, "s")) return 's';
  if (!strcmp(t, "num")) return 'u';
  if (!strcmp(t, "n")) return 'n';
  if (!strcmp(t, "t")) return 't';
  if (!strcmp(t, "f")) return 'f';
  return 0;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The new member of the object o named by data-f (or data-fx, in hex). */
static struct cx_value *member(struct page *pg, struct cx_value *o, const XML_Char **a) {
  const char *f = attr(a, "data-f"), *fx = attr(a, "data-fx");
  char *key = NULL;
  if (f) {
    key = strdup(f);
  } else if (fx && strlen(fx) % 2 == 0) {
    key = malloc(strlen(fx) / 2 + 1);
    for (size_t i = 0; key && fx[i]; i += 2) {
      int hi = hexval(fx[i]), lo = hexval(fx[i + 1]);
      if (hi < 0 || lo < 0) return free(key), stop(pg, "%s", "a data-fx name is not hex"), NULL;
      key[i / 2] = (char)(hi * 16 + lo);
      if (!key[i / 2]) return free(key), stop(pg, "%s", "a data-fx name holds a NUL"), NULL;
      key[i / 2 + 1] = '\0';
    }
    if (key && !fx[0]) key[0] = '\0';
  } else {
    stop(pg, "%s", "a field of an object has no data-f name");
    return NULL;
  }
  struct cx_value *v = NULL;
  if (!key)
    stop(pg, "%s", "out of memory");
  else if (cx_value_get(o, key))
    stop(pg, "duplicate object key \"%.40s\"", key);
  else if (!(v = cx_value_put_new(o, key)))
    stop(pg, "%s", "out of memory");
  free(key);
  return v;
}

/* A data-t value starts in the frame f, inside the value of own. */
static void value_start(struct page *pg, struct pframe *own, struct pframe *f, char tc,
                        const XML_Char **a) {
  struct cx_value *v = own->t == 'o' ? member(pg, own->v, a) : cx_value_append(own->v);
  if (!v) {
    if (pg->rc == CX_OK) stop(pg, "%s", "out of memory");
    return;
  }
  f->t = tc;
  f->v = v;
  f->owner = pg->depth;
  static const char codes[] = "oantf";
  static const enum cx_value_kind kinds[] = {CX_VALUE_OBJECT, CX_VALUE_ARRAY, CX_VALUE_NULL,
                                             CX_VALUE_TRUE, CX_VALUE_FALSE};
  const char *k = strchr(codes, tc);
  if (k)
    v->kind = kinds[k - codes];
  else
    cx_buf_reset(pg->str); /* s, u: text to come */
}

static void XMLCALL on_start(void *u, const XML_Char *name, const XML_Char **a) {
  struct page *pg = u;
  if (pg->depth >= MAX_DEPTH) return stop(pg, "%s", "elements nested too deep");
  struct pframe *up = pg->depth ? &pg->st[pg->depth - 1] : NULL;
  struct pframe *f = &pg->st[pg->depth];
  memset(f, 0, sizeof *f);
  f->owner = up ? up->owner : -1;
  f->pre = (up && up->pre) || !strcmp(name, "pre");
  f->skip = (up && up->skip) || !strcmp(name, "head") || !strcmp(name, "script") ||
            !strcmp(name, "style");
  if (!strcmp(name, "title") && !pg->title->len) pg->in_title = true;
  if (!strcmp(name, "body") && attr(a, "data-cx-book")) *pg->book = true;
  if (f->owner < 0 && !pg->model_seen && attr(a, "data-cx-model")) {
    const char *v = attr(a, "data-cx-model"), *t = attr(a, "data-t");
    if (strcmp(v, "1") || !t || strcmp(t, "o"))
      return stop(pg, "cablex model \"%.20s\" is not one this reader knows", v);
    pg->model_seen = true;
    f->t = 'o';
    f->v = pg->model;
    f->v->kind = CX_VALUE_OBJECT;
    f->owner = pg->depth;
  } else if (f->owner >= 0) {
    struct pframe *own = &pg->st[f->owner];
    const char *t = attr(a, "data-t");
    if (own->t == 's' || own->t == 'u' || own->t == 'c' || own->t == 'n' || own->t == 't' ||
        own->t == 'f') {
      /* inside a value: only the marks of characters XML cannot carry */
      const char *cc = attr(a, "data-c");
      if (own->t == 's' && cc) {
        char *end;
        unsigned long v = strtoul(cc, &end, 10);
        if (*end || !v || (v >= 0x20 && v != 0xFFFE && v != 0xFFFF))
          return stop(pg, "a data-c mark \"%.20s\" is not a character XML cannot carry", cc);
        if (v < 0x20) {
          char ch = (char)v;
          sadd(pg, &ch, 1);
        } else {
          sadd(pg, v == 0xFFFE ? "\xEF\xBF\xBE" : "\xEF\xBF\xBF", 3);
        }
        f->t = 'c';
        f->owner = pg->depth;
      }
    } else if (t) {
      char tc = type_code(t);
      if (!tc) return stop(pg, "data-t \"%.20s\" is not a type", t);
      value_start(pg, own, f, tc, a);
    }
  }
  pg->depth++;
}

static void XMLCALL on_end(void *u, const XML_Char *name) {
  struct page *pg = u;
  if (!pg->depth) return;
  struct pframe *f = &pg->st[--pg->depth];
  if (!strcmp(name, "title")) pg->in_title = false;
  if (f->owner == pg->depth) {
    if (pg->rc == CX_OK && (f->t == 's' || f->t == 'u')) {
      const char *txt = pg->str->data ? pg->str->data : "";
      if (f->t == 'u' && !cx_is_json_number(txt, pg->str->len))
        stop(pg, "%s", "a data-t=\"num\" value is not a number");
      else if (cx_value_set_text(f->v, f->t == 's' ? CX_VALUE_STRING : CX_VALUE_NUMBER, txt,
                                 pg->str->len) != CX_OK)
        stop(pg, "%s", "out of memory");
    }
    if (pg->depth == 0 || pg->st[pg->depth - 1].owner < 0) pg->model_done = true;
  } else if (f->owner < 0 && !f->skip && is_block(name)) {
    tadd(pg, "\n", 1);
  }
}

static void XMLCALL on_text(void *u, const XML_Char *s, int len) {
  struct page *pg = u;
  if (pg->in_title && pg->rc == CX_OK && cx_buf_add(pg->title, s, (size_t)len))
    stop(pg, "%s", "the title is too large");
  if (!pg->depth) return;
  struct pframe *f = &pg->st[pg->depth - 1];
  if (f->owner >= 0) {
    char t = pg->st[f->owner].t;
    if (t == 's' || t == 'u') sadd(pg, s, (size_t)len);
    return;
  }
  if (f->skip) return;
  if (f->pre) return tadd(pg, s, (size_t)len);
  /* outside <pre>, white space runs are one space */
  for (int i = 0; i < len; i++) {
    char c = s[i];
    bool sp = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (sp) {
      size_t n = pg->text->len;
      if (n && pg->text->data[n - 1] != ' ' && pg->text->data[n - 1] != '\n') tadd(pg, " ", 1);
    } else {
      tadd(pg, &c, 1);
    }
  }
}

/* Internal entities are the road to entity bombs; EPUB pages need none. */
static void XMLCALL on_entity(void *u, const XML_Char *name, int pe, const XML_Char *v, int vlen,
                              const XML_Char *base, const XML_Char *sys, const XML_Char *pub,
                              const XML_Char *notation) {
  (void)pe, (void)v, (void)vlen, (void)base, (void)sys, (void)pub, (void)notation;
  stop(u, "the page declares the entity \"%.40s\" (refused)", name);
}

int epubp_page_parse(const char *xhtml, size_t len, struct cx_value *model, struct cx_buf *str,
                     struct cx_buf *text, struct cx_buf *title, bool *book_page,
                     struct cx_ctx *ctx) {
  struct page pg;
  memset(&pg, 0, sizeof pg);
  pg.model = model;
  pg.str = str;
  pg.text = text;
  pg.title = title;
  pg.book = book_page;
  *book_page = false;
  cx_value_clear(model);
  cx_buf_reset(text);
  cx_buf_reset(title);
  pg.p = XML_ParserCreate("UTF-8");
  if (!pg.p) return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  XML_SetUserData(pg.p, &pg);
  XML_SetElementHandler(pg.p, on_start, on_end);
  XML_SetCharacterDataHandler(pg.p, on_text);
  XML_SetEntityDeclHandler(pg.p, on_entity);
  XML_SetParamEntityParsing(pg.p, XML_PARAM_ENTITY_PARSING_NEVER);
  unsigned long line = 0;
  int rc = CX_OK;
  if (len > (size_t)INT32_MAX) {
    rc = cx_error(ctx, CX_FAILED, 0, "epub: page too large");
  } else if (XML_Parse(pg.p, xhtml, (int)len, XML_TRUE) == XML_STATUS_ERROR || pg.rc) {
    line = (unsigned long)XML_GetCurrentLineNumber(pg.p);
    rc = cx_error(ctx, CX_FAILED, line, "epub: %s",
                  pg.rc ? pg.msg : XML_ErrorString(XML_GetErrorCode(pg.p)));
  }
  XML_ParserFree(pg.p);
  if (rc) return rc;
  if (pg.model_seen && !pg.model_done)
    return cx_error(ctx, CX_FAILED, 0, "epub: the cable element is not closed");
  return pg.model_seen ? 1 : 0;
}

/* ---- the package document (spine) ---- */

struct opf {
  XML_Parser p;
  struct cx_strv ids, hrefs, props, spine;
};

static void XMLCALL opf_entity(void *u, const XML_Char *name, int pe, const XML_Char *v, int vlen,
                               const XML_Char *base, const XML_Char *sys, const XML_Char *pub,
                               const XML_Char *notation) {
  (void)name, (void)pe, (void)v, (void)vlen, (void)base, (void)sys, (void)pub, (void)notation;
  XML_StopParser(((struct opf *)u)->p, XML_FALSE);
}

static void XMLCALL opf_start(void *u, const XML_Char *name, const XML_Char **a) {
  struct opf *o = u;
  const char *n = strrchr(name, ':');
  n = n ? n + 1 : name;
  if (!strcmp(n, "item")) {
    const char *id = attr(a, "id"), *href = attr(a, "href"), *pr = attr(a, "properties");
    if (id && href) {
      cx_strv_push(&o->ids, id);
      cx_strv_push(&o->hrefs, href);
      cx_strv_push(&o->props, pr ? pr : "");
    }
  } else if (!strcmp(n, "itemref")) {
    const char *id = attr(a, "idref");
    if (id) cx_strv_push(&o->spine, id);
  }
}

/* ---- the reader ---- */

struct foreign {
  char *name, *title, *text; /* name first: name_ix_make() reads it there */
  bool emitted;
  size_t passed; /* on the first page of a name in fp_ix: how many of that
                  * name find_page has gone past (returned ones) */
};

struct epub_reader {
  struct archive *a;
  struct cx_istream *in;
  unsigned char chunk[RD_CHUNK]; /* what libarchive reads from (it keeps a pointer) */
  unsigned char out[RD_CHUNK];   /* what it decompresses into */
  size_t max;
  struct cx_buf data, str, text, title;
  struct cx_value model; /* the cable of a cablex chapter, as values */
  struct foreign *fp;
  size_t nf, capf, kept;
  struct cx_strv order; /* page names in spine order, once the archive ended */
  struct cx_strv navs;  /* pages the package calls nav */
  bool opf_seen, ended, fatal, indexed;
  size_t next;                    /* next of order to return */
  struct name_ix *fp_ix, *nav_ix; /* fp and navs sorted by name, once ended */
  unsigned long long probes;      /* names compared matching the spine */
};

static la_ssize_t rd_read(struct archive *a, void *u, const void **buf) {
  struct epub_reader *r = u;
  long n = cx_istream_read(r->in, r->chunk, sizeof r->chunk);
  if (n < 0) {
    archive_set_error(a, -1, "read error");
    return -1;
  }
  *buf = r->chunk;
  return n;
}

int epubp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  static const char sig[] = "mimetypeapplication/epub+zip";
  if (len >= 30 + sizeof sig - 1 && !memcmp(head, "PK\3\4", 4) &&
      !memcmp(head + 30, sig, sizeof sig - 1))
    return 100; /* the EPUB signature: surer than any plain zip's 90 */
  if (len >= 4 && !memcmp(head, "PK\3\4", 4) && name) {
    size_t n = strlen(name);
    if (n > 5 && !strcmp(name + n - 5, ".epub")) return 50;
  }
  return 0;
}

int epubp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  struct epub_reader *r =
      cx_reader_state(sizeof *r, offsetof(struct epub_reader, max), opts, ctx, "epub");
  if (!r) return CX_FATAL;
  r->in = in;
  /* a chapter shows the telegram and its paragraphs: a few times the cable */
  size_t max = r->max;
  r->max = max > ((size_t)1 << 28) ? (size_t)1 << 30 : max * 4 + ((size_t)1 << 20);
  cx_buf_init(&r->data, r->max);
  cx_buf_init(&r->str, r->max);
  cx_buf_init(&r->text, r->max);
  cx_buf_init(&r->title, 64 * 1024);
  r->a = archive_read_new();
  if (!r->a) {
    epubp_reader_close(r);
    return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  }
  archive_read_support_format_zip_streamable(r->a);
  if (archive_read_open(r->a, r, NULL, rd_read, NULL) != ARCHIVE_OK) {
    int rc = cx_error(ctx, CX_FATAL, 0, "epub: not a zip: %s", archive_error_string(r->a));
    epubp_reader_close(r);
    return rc;
  }
  *state = r;
  return CX_OK;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && !strcmp(s + n - k, suffix);
}

/* Reads the current entry into r->data.  CX_OK, CX_FAILED (too large:
 * skipped, counted as failed) or CX_FATAL. */
static int read_entry(struct epub_reader *r, const char *name, struct cx_ctx *ctx) {
  cx_buf_reset(&r->data);
  for (;;) {
    la_ssize_t n = archive_read_data(r->a, r->out, sizeof r->out);
    if (n == 0) return CX_OK;
    if (n < 0) return cx_error(ctx, CX_FATAL, 0, "epub: %s: %s", name, archive_error_string(r->a));
    if (cx_buf_add(&r->data, r->out, (size_t)n)) {
      archive_read_data_skip(r->a);
      return cx_error(ctx, CX_FAILED, 0, "epub: %s is larger than %zu bytes; not converted", name,
                      r->max);
    }
  }
}

static void set_source(struct cx_cable *c, struct epub_reader *r, const char *entry) {
  cx_set(&c->source.format, "epub");
  cx_set(&c->source.path, cx_istream_name(r->in));
  cx_set(&c->source.entry, entry);
}

/* The cable of a cablex chapter, from its values in r->model. */
static int model_cable(struct epub_reader *r, const char *name, struct cx_ctx *ctx,
                       struct cx_cable **cable) {
  char msg[CX_MSG_MAX - 64];
  int rc = cx_cable_from_value(&r->model, cable, msg, sizeof msg);
  cx_value_clear(&r->model);
  if (rc == CX_FATAL) rc = CX_FAILED; /* one chapter's cable: only it is lost */
  if (rc == CX_FAILED) return cx_error(ctx, rc, 0, "epub: %s: %s", name, msg);
  if (cx_cable_is_empty(*cable)) {
    cx_cable_free(*cable);
    *cable = NULL;
    return cx_error(ctx, CX_FAILED, 0, "epub: %s holds an empty cable", name);
  }
  set_source(*cable, r, name);
  if (rc == CX_WARN) return cx_error(ctx, rc, 0, "epub: %s: %s", name, msg);
  return rc;
}

static int keep_foreign(struct epub_reader *r, const char *name, struct cx_ctx *ctx) {
  if (cx_grow(&r->fp, &r->capf, r->nf, sizeof *r->fp, 16) != CX_OK)
    return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  r->kept += r->text.len + r->title.len;
  if (r->kept > FOREIGN_MAX)
    return cx_error(ctx, CX_FATAL, 0,
                    "epub: the pages that are not cablex chapters pass %zu MiB of text",
                    FOREIGN_MAX >> 20);
  struct foreign *f = &r->fp[r->nf];
  memset(f, 0, sizeof *f);
  f->name = strdup(name);
  f->title = strdup(r->title.data ? r->title.data : "");
  f->text = strdup(r->text.data ? r->text.data : "");
  if (!f->name || !f->title || !f->text) {
    free(f->name);
    free(f->title);
    free(f->text);
    return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  }
  r->nf++;
  return CX_OK;
}

/* Resolves href (relative to the package at opf_name) into a zip name. */
static char *resolve(const char *opf_name, const char *href) {
  const char *slash = strrchr(opf_name, '/');
  size_t dir = slash ? (size_t)(slash - opf_name + 1) : 0;
  size_t hl = strcspn(href, "#");
  char *s = malloc(dir + hl + 1);
  if (!s) return NULL;
  memcpy(s, opf_name, dir);
  memcpy(s + dir, href, hl);
  s[dir + hl] = '\0';
  /* undo "dir/../" */
  char *p;
  while ((p = strstr(s, "/../"))) {
    char *q = p;
    while (q > s && q[-1] != '/')
      q--;
    memmove(q, p + 4, strlen(p + 4) + 1);
  }
  return s;
}

/* A sorted index of names, so that matching the spine against the manifest
 * and the zip's pages takes O(n log n), not O(n^2): a hostile book may hold
 * 100k items.  Equal names keep their order (the first one is found). */
struct name_ix {
  const char *s;
  size_t i;
};

static int name_ix_cmp(const void *a, const void *b) {
  const struct name_ix *x = a, *y = b;
  int c = strcmp(x->s, y->s);
  return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The index of names[0..n) (at stride bytes apart, the name pointer at
 * the start of each), or NULL when n is 0 or memory runs out. */
static struct name_ix *name_ix_make(const void *names, size_t n, size_t stride) {
  struct name_ix *x = n ? malloc(n * sizeof *x) : NULL;
  if (!x) return NULL;
  for (size_t i = 0; i < n; i++) {
    x[i].s = *(char *const *)((const char *)names + i * stride);
    x[i].i = i;
  }
  qsort(x, n, sizeof *x, name_ix_cmp);
  return x;
}

/* The first entry of x[0..n) named s, or n.  *probes counts the names
 * compared. */
static size_t name_ix_find(const struct name_ix *x, size_t n, const char *s,
                           unsigned long long *probes) {
  size_t lo = 0, hi = n;
  ++*probes;
  while (lo < hi) {
    ++*probes;
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(x[mid].s, s) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < n && !strcmp(x[lo].s, s) ? lo : n;
}

static int read_opf(struct epub_reader *r, const char *name, struct cx_ctx *ctx) {
  struct opf o;
  memset(&o, 0, sizeof o);
  XML_Parser p = XML_ParserCreate("UTF-8");
  if (!p) return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  o.p = p;
  XML_SetUserData(p, &o);
  XML_SetElementHandler(p, opf_start, NULL);
  XML_SetEntityDeclHandler(p, opf_entity);
  XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
  int rc = CX_OK;
  if (r->data.len > (size_t)INT32_MAX ||
      XML_Parse(p, r->data.data, (int)r->data.len, XML_TRUE) == XML_STATUS_ERROR)
    rc = cx_warn(ctx, (unsigned long)XML_GetCurrentLineNumber(p),
                 "epub: %s is not readable XML (%s); pages are read in zip order", name,
                 XML_ErrorString(XML_GetErrorCode(p)));
  XML_ParserFree(p);
  struct name_ix *ix = rc == CX_OK ? name_ix_make(o.ids.v, o.ids.n, sizeof *o.ids.v) : NULL;
  if (rc == CX_OK && o.ids.n && !ix) rc = cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  if (rc == CX_OK) {
    r->opf_seen = true;
    for (size_t i = 0; i < o.spine.n; i++) {
      size_t j = name_ix_find(ix, o.ids.n, o.spine.v[i], &r->probes);
      if (j == o.ids.n) continue;
      char *s = resolve(name, o.hrefs.v[ix[j].i]);
      if (s) cx_strv_push(&r->order, s);
      free(s);
    }
    for (size_t k = 0; k < o.ids.n; k++)
      if (strstr(o.props.v[k], "nav")) {
        char *s = resolve(name, o.hrefs.v[k]);
        if (s) cx_strv_push(&r->navs, s);
        free(s);
      }
  }
  free(ix);
  cx_strv_clear(&o.ids);
  cx_strv_clear(&o.hrefs);
  cx_strv_clear(&o.props);
  cx_strv_clear(&o.spine);
  return rc == CX_WARN ? CX_OK : rc;
}

/* Does text read like a telegram (captions the parser knows)? */
static bool telegram_like(const char *s) {
  static const char *const marks[] = {
      "SUBJECT:",    "TAGS:",  "E.O.",         "VZCZC",       "SIPDIS", "C O N F I D E N T I A L",
      "S E C R E T", "UNCLAS", "FM AMEMBASSY", "FM SECSTATE", NULL};
  int hits = 0;
  for (const char *const *m = marks; *m; m++)
    if (strstr(s, *m)) hits++;
  return hits >= 2;
}

static int put_str(struct cx_value *obj, const char *key, const char *s) {
  struct cx_value *v = cx_value_put(obj, key);
  return v ? cx_value_set_text(v, CX_VALUE_STRING, s, strlen(s)) : CX_FATAL;
}

static int foreign_cable(struct epub_reader *r, struct foreign *f, struct cx_ctx *ctx,
                         struct cx_cable **cable) {
  struct cx_cable *c = cx_cable_new();
  if (!c) return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  /* trim the blank lines around the text */
  char *t = f->text;
  while (*t == '\n' || *t == ' ')
    t++;
  size_t n = strlen(t);
  while (n && (t[n - 1] == '\n' || t[n - 1] == ' '))
    n--;
  t[n] = '\0';
  int rc = CX_OK;
  bool tele = telegram_like(t);
  if (tele) {
    rc = cx_telegram_parse(c, t, n, 1, ctx);
    if (rc == CX_FAILED) tele = false;
  }
  struct cx_value *e = cx_value_put(&c->extra, "epub");
  if (e) e->kind = CX_VALUE_OBJECT;
  if (!e || put_str(e, "chapter", f->name) || (*f->title && put_str(e, "title", f->title)) ||
      (!tele && put_str(e, "text", t))) {
    cx_cable_free(c);
    return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  }
  set_source(c, r, f->name);
  *cable = c;
  if (!tele)
    return cx_error(ctx, CX_WARN, 0,
                    "epub: %s is not a cablex chapter and does not read as a telegram; its text "
                    "is kept in extra.epub.text",
                    f->name);
  if (!c->id)
    return cx_error(ctx, CX_WARN, 0,
                    "epub: %s read as a telegram but states no cable id; title kept in "
                    "extra.epub",
                    f->name);
  return rc == CX_WARN ? CX_WARN : CX_OK;
}

/* The first page named want not yet returned, or NULL.  Pages of one name
 * are returned in index order, so the search starts past those returned:
 * a spine that lists one name n times over n pages of that name costs O(n),
 * not O(n^2). */
static struct foreign *find_page(struct epub_reader *r, const char *want) {
  size_t j0 = name_ix_find(r->fp_ix, r->nf, want, &r->probes);
  if (j0 == r->nf) return NULL;
  struct foreign *head = &r->fp[r->fp_ix[j0].i];
  for (size_t j = j0 + head->passed; j < r->nf; j++) {
    r->probes++;
    if (strcmp(r->fp_ix[j].s, want)) break;
    struct foreign *f = &r->fp[r->fp_ix[j].i];
    head->passed = j - j0 + 1;
    if (!f->emitted) return f;
  }
  return NULL;
}

/* After the archive: the foreign pages in spine order (zip order without a
 * package document), navigation documents left out. */
static int next_foreign(struct epub_reader *r, struct cx_ctx *ctx, struct cx_cable **cable) {
  if (!r->indexed) { /* the pages are all known now: index them once */
    r->indexed = true;
    r->fp_ix = name_ix_make(r->fp, r->nf, sizeof *r->fp);
    r->nav_ix = name_ix_make(r->navs.v, r->navs.n, sizeof *r->navs.v);
    if ((r->nf && !r->fp_ix) || (r->navs.n && !r->nav_ix)) {
      r->fatal = true;
      return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
    }
  }
  for (;;) {
    struct foreign *f = NULL;
    if (r->opf_seen) {
      while (r->next < r->order.n && !f)
        f = find_page(r, r->order.v[r->next++]);
    } else if (r->next < r->nf) {
      f = &r->fp[r->next++];
    }
    if (!f) return CX_EOF;
    f->emitted = true;
    if (name_ix_find(r->nav_ix, r->navs.n, f->name, &r->probes) < r->navs.n) continue;
    return foreign_cable(r, f, ctx, cable);
  }
}

int epubp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct epub_reader *r = state;
  *cable = NULL;
  if (r->fatal) return CX_FATAL;
  while (!r->ended) {
    struct archive_entry *e;
    int ar = archive_read_next_header(r->a, &e);
    if (ar == ARCHIVE_EOF) {
      r->ended = true;
      if (!r->opf_seen)
        cx_warn(ctx, 0,
                "epub: the book has no package document (.opf): truncated, or not an EPUB; "
                "pages read in zip order");
      break;
    }
    if (ar < ARCHIVE_WARN) {
      r->fatal = true;
      const char *why = archive_error_string(r->a);
      return cx_error(ctx, CX_FATAL, 0, "epub: %s",
                      why ? why : "the zip ends where an entry should start (truncated?)");
    }
    const char *name = archive_entry_pathname(e);
    if (!name || archive_entry_filetype(e) != AE_IFREG) continue;
    bool page = ends_with(name, ".xhtml") || ends_with(name, ".html") || ends_with(name, ".htm");
    bool opf = ends_with(name, ".opf");
    if (!page && !opf) continue;
    char *nm = strdup(name);
    if (!nm) return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
    int rc = read_entry(r, nm, ctx);
    if (rc == CX_OK && opf) rc = read_opf(r, nm, ctx);
    if (rc == CX_OK && page) {
      bool book = false;
      rc = epubp_page_parse(r->data.data ? r->data.data : "", r->data.len, &r->model, &r->str,
                            &r->text, &r->title, &book, ctx);
      if (rc == 1) {
        rc = model_cable(r, nm, ctx, cable);
        free(nm);
        return rc;
      }
      if (rc == 0 && !book) rc = keep_foreign(r, nm, ctx);
    }
    free(nm);
    if (rc == CX_FATAL) r->fatal = true;
    if (rc < 0) return rc;
  }
  return next_foreign(r, ctx, cable);
}

unsigned long long epubp_reader_probes(const void *state) {
  return ((const struct epub_reader *)state)->probes;
}

void epubp_reader_close(void *state) {
  struct epub_reader *r = state;
  if (!r) return;
  if (r->a) archive_read_free(r->a);
  cx_buf_free(&r->data);
  cx_buf_free(&r->str);
  cx_value_clear(&r->model);
  cx_buf_free(&r->text);
  cx_buf_free(&r->title);
  for (size_t i = 0; i < r->nf; i++) {
    free(r->fp[i].name);
    free(r->fp[i].title);
    free(r->fp[i].text);
  }
  free(r->fp);
  free(r->fp_ix);
  free(r->nav_ix);
  cx_strv_clear(&r->order);
  cx_strv_clear(&r->navs);
  free(r);
}
