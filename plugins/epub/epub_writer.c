/* epub_writer.c - writes one EPUB 3 book from any number of cables.
 *
 * Chapters are written to the zip as cables arrive; only a few facts of
 * each cable (id, label, origin, date, first tag, chapter CRC) stay in
 * memory for the title page, the navigation document and the package
 * document, which are written at the end.  The zip order is mimetype,
 * META-INF/container.xml, OEBPS/style.css, the chapters, then title.xhtml,
 * nav.xhtml and content.opf; the spine follows the navigation order
 * (grouped, then by date), as epubcheck wants the table of contents in
 * reading order.
 *
 * Reproducible: every time in the book is SOURCE_DATE_EPOCH when it is set,
 * else 1980-01-01T00:00:00Z, and the identifier is a hash of the cable ids
 * and chapter contents, so the same cables give the same bytes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epub_plugin.h"

#define LABEL_MAX 110 /* bytes of subject shown in the table of contents */
/* epubcheck 4.2.6 checks the reading order of the table of contents with
 * one recursive call per link and overflows its default stack at a few
 * thousand links (StackOverflowError, seen on 10,000); above this many
 * cables the table of contents lists the groups only, and each group's own
 * page lists its cables. */
#define NAV_CABLES_MAX 1000

enum group_by { GROUP_ORIGIN, GROUP_DATE, GROUP_TAG };

struct fact {
  char *id, *label, *origin, *date, *tag; /* one allocation, starting at id */
  size_t seq;                             /* 1-based chapter number */
  const char *group;                      /* its group's name, set at close */
  char year[5];
};

struct group {
  const char *name;    /* "" for the cables without one */
  size_t start, count; /* in the sorted order */
};

struct epub_writer {
  struct epubp_zip zip;
  bool zip_open;
  enum group_by group;
  const char *title;
  time_t when;
  struct cx_buf page;
  struct fact *facts;
  size_t n, cap;
  uint64_t h1, h2;      /* identifier hashes */
  struct group *groups; /* set at close */
  size_t ngroups;
};

static const char container_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "<rootfiles>\n"
    "<rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "</rootfiles>\n"
    "</container>\n";

static void hash_bytes(struct epub_writer *w, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) {
    w->h1 = (w->h1 ^ s[i]) * 0x100000001b3ULL;
    w->h2 = (w->h2 ^ s[i]) * 0x100000001b3ULL;
    w->h2 ^= w->h2 >> 29;
  }
}

static int parse_epoch(const char *s, time_t *t) {
  if (!s || !*s) return -1;
  errno = 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (errno || *end || v < 0 || !isdigit((unsigned char)*s)) return -1;
  *t = (time_t)v;
  return 0;
}

int epubp_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  const char *g = cx_options_get(opts, "group-by");
  enum group_by group = GROUP_ORIGIN;
  if (g && !strcmp(g, "date"))
    group = GROUP_DATE;
  else if (g && !strcmp(g, "tag"))
    group = GROUP_TAG;
  else if (g && strcmp(g, "origin"))
    return cx_error(ctx, CX_FATAL, 0, "epub: group-by \"%s\" is not one of origin, date, tag", g);
  struct epub_writer *w = calloc(1, sizeof *w);
  if (!w) return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  w->group = group;
  w->title = cx_options_get(opts, "title");
  if (!w->title || !*w->title) w->title = "Diplomatic cables";
  w->when = 315532800; /* 1980-01-01T00:00:00Z */
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && parse_epoch(sde, &w->when))
    cx_warn(ctx, 0, "epub: SOURCE_DATE_EPOCH \"%.40s\" is not a number of seconds; ignored", sde);
  w->h1 = 0xcbf29ce484222325ULL;
  w->h2 = 0x84222325cbf29ce4ULL;
  cx_buf_init(&w->page, (size_t)1 << 31);
  *state = w;
  int rc = epubp_zip_open(&w->zip, out, w->when, ctx);
  if (!rc) {
    w->zip_open = true;
    static const char mt[] = "application/epub+zip";
    rc = epubp_zip_add(&w->zip, "mimetype", mt, sizeof mt - 1, true, NULL, ctx);
  }
  if (!rc)
    rc = epubp_zip_add(&w->zip, "META-INF/container.xml", container_xml, sizeof container_xml - 1,
                       false, NULL, ctx);
  if (!rc)
    rc = epubp_zip_add(&w->zip, "OEBPS/style.css", epubp_css, strlen(epubp_css), false, NULL, ctx);
  if (rc) {
    epubp_writer_close(w, NULL);
    *state = NULL;
    return CX_FATAL;
  }
  return CX_OK;
}

/* The first len bytes of s, cut back to a character boundary. */
static size_t utf8_cut(const char *s, size_t len) {
  size_t n = strlen(s);
  if (n <= len) return n;
  while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
    len--;
  return len;
}

static int add_fact(struct epub_writer *w, const struct cx_cable *c, size_t seq) {
  if (cx_grow(&w->facts, &w->cap, w->n, sizeof *w->facts, 256) != CX_OK) return -1;
  const char *id = c->id ? c->id : c->canonical_id ? c->canonical_id : "";
  const char *label = c->subject ? c->subject : c->title ? c->title : "";
  size_t llen = utf8_cut(label, LABEL_MAX);
  bool cut = llen < strlen(label);
  const char *origin = c->origin ? c->origin : "";
  const char *tag = c->tags.n ? c->tags.v[0] : "";
  size_t dlen = c->created && strlen(c->created) >= 10 ? 10 : 0;
  size_t ilen = strlen(id), olen = strlen(origin), tlen = strlen(tag);
  char *m = malloc(ilen + llen + 4 + olen + dlen + tlen + 5);
  if (!m) return -1;
  struct fact *f = &w->facts[w->n];
  f->seq = seq;
  f->id = m;
  memcpy(m, id, ilen + 1);
  f->label = m += ilen + 1;
  memcpy(m, label, llen);
  if (cut) { /* an ellipsis */
    memcpy(m + llen, "\xE2\x80\xA6", 3);
    llen += 3;
  }
  m[llen] = '\0';
  f->origin = m += llen + 1;
  memcpy(m, origin, olen + 1);
  f->date = m += olen + 1;
  memcpy(m, dlen ? c->created : "", dlen);
  m[dlen] = '\0';
  f->tag = m += dlen + 1;
  memcpy(m, tag, tlen + 1);
  w->n++;
  return 0;
}

/* Where a chapter's text goes as it is made: deflated into the book. */
struct spill {
  struct epubp_zip *zip;
  struct cx_ctx *ctx;
  int rc; /* the zip's error, reported on ctx */
};

static int spill_page(void *user, struct cx_buf *b) {
  struct spill *s = user;
  s->rc = epubp_zip_feed(s->zip, b->data, b->len, s->ctx);
  cx_buf_reset(b);
  return s->rc;
}

int epubp_writer_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct epub_writer *w = state;
  size_t bad = 0, seq = w->n + 1;
  char name[48];
  snprintf(name, sizeof name, "OEBPS/c%06zu.xhtml", seq);
  cx_buf_reset(&w->page);
  if (epubp_zip_begin(&w->zip, ctx)) return CX_FATAL;
  struct spill sp = {&w->zip, ctx, CX_OK};
  int rc = epubp_chapter_to(&w->page, c, &bad, spill_page, &sp);
  if (rc == CX_OK) rc = spill_page(&sp, &w->page);
  uint32_t crc;
  if (rc == CX_OK) rc = epubp_zip_end(&w->zip, name, &crc, ctx);
  /* a huge chapter's page is not kept for the next cables */
  if (w->page.cap > EPUBP_KEEP) cx_buf_free(&w->page);
  if (rc != CX_OK) {
    if (!sp.rc && ctx->code != CX_FATAL)
      cx_error(ctx, CX_FATAL, 0, "epub: out of memory writing chapter %zu", seq);
    return CX_FATAL;
  }
  if (add_fact(w, c, seq)) return cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
  const char *id = w->facts[w->n - 1].id;
  hash_bytes(w, id, strlen(id) + 1);
  unsigned char cb[4] = {(unsigned char)crc, (unsigned char)(crc >> 8), (unsigned char)(crc >> 16),
                         (unsigned char)(crc >> 24)};
  hash_bytes(w, cb, 4);
  if (bad)
    return cx_error(ctx, CX_WARN, 0, "epub: %s: %zu byte%s that were not UTF-8 written as U+FFFD",
                    *id ? id : name, bad, bad == 1 ? "" : "s");
  return CX_OK;
}

/* ---- the closing documents ---- */

static const char *group_key(enum group_by g, struct fact *f) {
  switch (g) {
  case GROUP_DATE:
    if (!*f->date) return "";
    memcpy(f->year, f->date, 4);
    f->year[4] = '\0';
    return f->year;
  case GROUP_TAG:
    return f->tag;
  case GROUP_ORIGIN:
    break;
  }
  return f->origin;
}

/* Groups by name (an empty one last), then by date (undated last), then in
 * the order the cables came. */
static int cmp_facts(const void *a, const void *b) {
  const struct fact *x = *(struct fact *const *)a, *y = *(struct fact *const *)b;
  const char *gx = x->group, *gy = y->group;
  if (!*gx != !*gy) return *gx ? -1 : 1;
  int r = strcmp(gx, gy);
  if (r) return r;
  if (!*x->date != !*y->date) return *x->date ? -1 : 1;
  r = strcmp(x->date, y->date);
  if (r) return r;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int add_text(struct cx_buf *b, const char *s) {
  return epubp_text(b, s, false, NULL);
}

static const char *no_group_name(enum group_by g) {
  return g == GROUP_DATE ? "Undated" : g == GROUP_TAG ? "No tags" : "Unknown origin";
}

/* One contents entry: "2008-11-14 [Origin, ]ID: label" linking to the chapter. */
static int entry(struct cx_buf *b, const struct epub_writer *w, const struct fact *f) {
  int rc = cx_buf_printf(b, "<li><a href=\"c%06zu.xhtml\">", f->seq);
  if (!rc && *f->date) rc = cx_buf_printf(b, "%s ", f->date);
  if (!rc && w->group != GROUP_ORIGIN && *f->origin) {
    rc = add_text(b, f->origin);
    if (!rc) rc = cx_buf_adds(b, ", ");
  }
  /* a link must show text: a blank id (" ") shows as none */
  bool blank = f->id[strspn(f->id, " \t\r\n")] == '\0';
  if (!rc) rc = add_text(b, blank ? "cable" : f->id);
  if (!rc && *f->label) rc = cx_buf_adds(b, ": ");
  if (!rc) rc = add_text(b, f->label);
  if (!rc) rc = cx_buf_adds(b, "</a></li>\n");
  return rc;
}

static int group_name(struct cx_buf *b, const struct epub_writer *w, const struct group *g) {
  int rc = add_text(b, *g->name ? g->name : no_group_name(w->group));
  if (!rc) rc = cx_buf_printf(b, " (%zu)", g->count);
  return rc;
}

/* The table of contents: the title page, then each group (its page), and
 * under it each cable when the book has at most NAV_CABLES_MAX. */
static int nav_page(struct epub_writer *w, struct fact **order) {
  struct cx_buf *b = &w->page;
  cx_buf_reset(b);
  bool cables = w->n <= NAV_CABLES_MAX;
  int rc = epubp_page_start(b, "Contents", "data-cx-book=\"nav\"");
  if (!rc)
    rc = cx_buf_adds(b, "<nav epub:type=\"toc\" id=\"toc\">\n<h1>Contents</h1>\n<ol>\n"
                        "<li><a href=\"title.xhtml\">Title page</a></li>\n");
  for (size_t gi = 0; gi < w->ngroups && !rc; gi++) {
    const struct group *g = &w->groups[gi];
    rc = cx_buf_printf(b, "<li><a href=\"g%05zu.xhtml\">", gi + 1);
    if (!rc) rc = group_name(b, w, g);
    if (!rc) rc = cx_buf_adds(b, cables ? "</a>\n<ol>\n" : "</a></li>\n");
    for (size_t i = g->start; cables && i < g->start + g->count && !rc; i++)
      rc = entry(b, w, order[i]);
    if (!rc && cables) rc = cx_buf_adds(b, "</ol></li>\n");
  }
  if (!rc) rc = cx_buf_adds(b, "</ol>\n</nav>\n");
  if (!rc) rc = epubp_page_end(b);
  return rc;
}

/* A group's own contents page, before its chapters in the spine. */
static int group_page(struct epub_writer *w, struct fact **order, const struct group *g) {
  struct cx_buf *b = &w->page;
  cx_buf_reset(b);
  int rc =
      epubp_page_start(b, *g->name ? g->name : no_group_name(w->group), "data-cx-book=\"group\"");
  if (!rc) rc = cx_buf_adds(b, "<section>\n<h1>");
  if (!rc) rc = group_name(b, w, g);
  if (!rc) rc = cx_buf_adds(b, "</h1>\n<ol class=\"cx-list\">\n");
  for (size_t i = g->start; i < g->start + g->count && !rc; i++)
    rc = entry(b, w, order[i]);
  if (!rc) rc = cx_buf_adds(b, "</ol>\n</section>\n");
  if (!rc) rc = epubp_page_end(b);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int title_page(struct epub_writer *w) {
  struct cx_buf *b = &w->page;
  cx_buf_reset(b);
  const char *lo = NULL, *hi = NULL;
  for (size_t i = 0; i < w->n; i++) {
    const char *d = w->facts[i].date;
    if (!*d) continue;
    if (!lo || strcmp(d, lo) < 0) lo = d;
    if (!hi || strcmp(d, hi) > 0) hi = d;
  }
  int rc = epubp_page_start(b, w->title, "data-cx-book=\"title\"");
  if (!rc) rc = cx_buf_adds(b, "<section class=\"cx-title\" epub:type=\"titlepage\">\n<h1>");
  if (!rc) rc = add_text(b, w->title);
  if (!rc) rc = cx_buf_printf(b, "</h1>\n<p>%zu cable%s</p>\n", w->n, w->n == 1 ? "" : "s");
  if (!rc && lo) rc = cx_buf_printf(b, "<p>%s to %s</p>\n", lo, hi);
  if (!rc && w->n) {
    const char **o = malloc(w->n * sizeof *o);
    if (!o) return CX_FATAL;
    for (size_t i = 0; i < w->n; i++)
      o[i] = w->facts[i].origin;
    qsort(o, w->n, sizeof *o, cmp_str);
    size_t distinct = 0;
    for (size_t i = 0; i < w->n; i++)
      if (!i || strcmp(o[i], o[i - 1])) distinct++;
    rc = cx_buf_printf(b,
                       "</section>\n<section>\n<h2>%zu origin%s</h2>\n<table class=\"meta\">\n"
                       "<thead><tr><th>Origin</th><th>Cables</th></tr></thead>\n<tbody>\n",
                       distinct, distinct == 1 ? "" : "s");
    for (size_t i = 0; i < w->n && !rc;) {
      size_t k = i;
      while (k < w->n && !strcmp(o[k], o[i]))
        k++;
      rc = cx_buf_adds(b, "<tr><td>");
      if (!rc) rc = add_text(b, *o[i] ? o[i] : no_group_name(GROUP_ORIGIN));
      if (!rc) rc = cx_buf_printf(b, "</td><td>%zu</td></tr>\n", k - i);
      i = k;
    }
    free(o);
    if (!rc) rc = cx_buf_adds(b, "</tbody>\n</table>\n");
  }
  static const char *const by[] = {"origin", "date", "tag"};
  if (!rc)
    rc = cx_buf_printf(b,
                       "<p class=\"cx-foot\">Written by cablex; contents grouped by %s.</p>\n"
                       "</section>\n",
                       by[w->group]);
  if (!rc) rc = epubp_page_end(b);
  return rc;
}

static int package(struct epub_writer *w, struct fact **order) {
  struct cx_buf *b = &w->page;
  cx_buf_reset(b);
  struct tm tm;
  char when[32];
  if (!gmtime_r(&w->when, &tm) || !strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm))
    strcpy(when, "1980-01-01T00:00:00Z");
  /* a name-based UUID (version 5 bits) from the hashes */
  uint64_t a = w->h1, c = w->h2;
  int rc = cx_buf_printf(
      b,
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
      "unique-identifier=\"uid\" xml:lang=\"en\">\n"
      "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
      "<dc:identifier id=\"uid\">urn:uuid:%08x-%04x-5%03x-%04x-%012llx</dc:identifier>\n"
      "<dc:title>",
      (unsigned)(a >> 32), (unsigned)((a >> 16) & 0xFFFF), (unsigned)(a & 0xFFF),
      (unsigned)(0x8000 | ((c >> 48) & 0x3FFF)), (unsigned long long)(c & 0xFFFFFFFFFFFFULL));
  if (!rc) rc = add_text(b, w->title);
  if (!rc)
    rc = cx_buf_printf(b,
                       "</dc:title>\n<dc:language>en</dc:language>\n"
                       "<dc:creator>cablex</dc:creator>\n"
                       "<meta property=\"dcterms:modified\">%s</meta>\n</metadata>\n<manifest>\n"
                       "<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" "
                       "properties=\"nav\"/>\n"
                       "<item id=\"title\" href=\"title.xhtml\" "
                       "media-type=\"application/xhtml+xml\"/>\n"
                       "<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n",
                       when);
  for (size_t i = 0; i < w->n && !rc; i++)
    rc = cx_buf_printf(b,
                       "<item id=\"c%06zu\" href=\"c%06zu.xhtml\" "
                       "media-type=\"application/xhtml+xml\"/>\n",
                       w->facts[i].seq, w->facts[i].seq);
  for (size_t i = 0; i < w->ngroups && !rc; i++)
    rc = cx_buf_printf(b,
                       "<item id=\"g%05zu\" href=\"g%05zu.xhtml\" "
                       "media-type=\"application/xhtml+xml\"/>\n",
                       i + 1, i + 1);
  if (!rc)
    rc = cx_buf_adds(b, "</manifest>\n<spine>\n<itemref idref=\"title\"/>\n"
                        "<itemref idref=\"nav\"/>\n");
  for (size_t gi = 0; gi < w->ngroups && !rc; gi++) {
    const struct group *g = &w->groups[gi];
    rc = cx_buf_printf(b, "<itemref idref=\"g%05zu\"/>\n", gi + 1);
    for (size_t i = g->start; i < g->start + g->count && !rc; i++)
      rc = cx_buf_printf(b, "<itemref idref=\"c%06zu\"/>\n", order[i]->seq);
  }
  if (!rc) rc = cx_buf_adds(b, "</spine>\n</package>\n");
  return rc;
}

int epubp_writer_close(void *state, struct cx_ctx *ctx) {
  struct epub_writer *w = state;
  if (!w) return CX_OK;
  int rc = CX_OK;
  struct fact **order = NULL;
  if (ctx && w->zip_open) {
    order = malloc((w->n ? w->n : 1) * sizeof *order);
    if (!order) {
      rc = cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
      goto out;
    }
    for (size_t i = 0; i < w->n; i++) {
      order[i] = &w->facts[i];
      order[i]->group = group_key(w->group, order[i]);
    }
    qsort(order, w->n, sizeof *order, cmp_facts);
    w->groups = malloc((w->n ? w->n : 1) * sizeof *w->groups);
    if (!w->groups) {
      rc = cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
      goto out;
    }
    for (size_t i = 0; i < w->n; i++) {
      if (i == 0 || strcmp(order[i]->group, order[i - 1]->group))
        w->groups[w->ngroups++] = (struct group){order[i]->group, i, 0};
      w->groups[w->ngroups - 1].count++;
    }
    rc = title_page(w);
    if (!rc)
      rc = epubp_zip_add(&w->zip, "OEBPS/title.xhtml", w->page.data, w->page.len, false, NULL, ctx);
    if (!rc) rc = nav_page(w, order);
    if (!rc)
      rc = epubp_zip_add(&w->zip, "OEBPS/nav.xhtml", w->page.data, w->page.len, false, NULL, ctx);
    for (size_t gi = 0; gi < w->ngroups && !rc; gi++) {
      char name[48];
      snprintf(name, sizeof name, "OEBPS/g%05zu.xhtml", gi + 1);
      rc = group_page(w, order, &w->groups[gi]);
      if (!rc) rc = epubp_zip_add(&w->zip, name, w->page.data, w->page.len, false, NULL, ctx);
    }
    if (!rc) rc = package(w, order);
    if (!rc)
      rc = epubp_zip_add(&w->zip, "OEBPS/content.opf", w->page.data, w->page.len, false, NULL, ctx);
    if (rc) {
      if (ctx->code != CX_FATAL) cx_error(ctx, CX_FATAL, 0, "epub: out of memory");
      rc = CX_FATAL;
      goto out;
    }
    w->zip_open = false;
    rc = epubp_zip_close(&w->zip, ctx);
  }
out:
  if (w->zip_open) epubp_zip_free(&w->zip);
  free(order);
  free(w->groups);
  for (size_t i = 0; i < w->n; i++)
    free(w->facts[i].id);
  free(w->facts);
  cx_buf_free(&w->page);
  free(w);
  return rc;
}
