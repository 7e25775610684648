/* test_epub.c - the epub plugin: the zip layout epubcheck insists on, lossless
 * round trips of cables that hold everything XML finds hard, reproducible
 * bytes and SOURCE_DATE_EPOCH, the page parser on foreign and hostile pages,
 * the probe, and the names compared matching a 20k-item spine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <cmocka.h>

#include "../../plugins/epub/epub_plugin.h"
#include "cablex/options.h"
#include "test_files.h"

static char tmpdir[64];

static int setup_dir(void **state) {
  (void)state;
  strcpy(tmpdir, "/tmp/cx-epub-test.XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

static uint32_t rd16(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p) {
  return rd16(p) | rd16(p + 2) << 16;
}

/* ---- cables that are hard to carry ---- */

static struct cx_cable *full_cable(void) {
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  cx_set(&c->id, "06XXTEST3065");
  cx_set(&c->canonical_id, "06XXTEST3065");
  cx_set(&c->created, "2006-08-28T11:38:00");
  cx_set(&c->classification, "CONFIDENTIAL");
  cx_set(&c->origin, "US Office Almaty");
  cx_set(&c->title, "Title with <markup> & \"quotes\"");
  cx_strv_push(&c->tags, "OVIP (STEINBERG, JAMES B.)");
  cx_strv_push(&c->tags, "PREL");
  cx_strv_push(&c->tags, "");
  c->has_header = true;
  cx_set(&c->header.transmission_id, "VZCZCXRO2779");
  cx_set(&c->header.routing, "PP RUEHDBU\nDE RUEHTA");
  cx_set(&c->header.dtg, "281138Z AUG 06");
  cx_set(&c->header.from, "AMEMBASSY ALMATY");
  struct cx_recipient *r = cx_recipients_add(&c->header.to);
  cx_set(&r->routing_indicator, "RUEHC");
  cx_set(&r->name, "SECSTATE WASHDC");
  cx_set(&r->precedence, "PRIORITY");
  cx_set(&r->serial, "6738");
  r = cx_recipients_add(&c->header.info);
  cx_set(&r->name, "ALL NATO POST COLLECTIVE");
  cx_strv_push(&r->excluded, "AMEMBASSY ANKARA");
  cx_strv_push(&r->excluded, "USNATO");
  cx_set(&c->subject,
         "KAZAKHSTAN: A <b>subject</b> \xC2\xA0with NBSP & \xE2\x80\x9Cquotes\xE2\x80\x9D");
  struct cx_reference *ref = cx_references_add(&c->references);
  cx_set(&ref->letter, "A");
  cx_set(&ref->text, "STATE 124823");
  ref->kind = CX_REF_CABLE;
  cx_set(&ref->cable_id, "07STATE124823");
  ref = cx_references_add(&c->references);
  cx_set(&ref->text, "an email of 3 May");
  ref->kind = CX_REF_EMAIL;
  c->has_classified_by = true;
  cx_set(&c->classified_by.text, "Classified By: Ambassador John Ordway, reasons 1.4 (b) and (d)");
  cx_strv_push(&c->classified_by.names, "AMBASSADOR JOHN ORDWAY");
  c->has_declassify = true;
  cx_set(&c->declassify.text, "E.O. 12958: DECL: 08/28/2016");
  cx_set(&c->declassify.date, "2016-08-28");
  c->sipdis = true;
  c->sections = 3;
  cx_set(&c->summary, "");
  cx_set(&c->signer, "ORDWAY");
  struct cx_paragraph *p = cx_paragraphs_add(&c->paragraphs);
  cx_set(&p->number, "1");
  cx_set(&p->marking, "C");
  cx_set(&p->text, "First  paragraph,\n  wrapped\tand ]]> spaced.  ");
  p = cx_paragraphs_add(&c->paragraphs);
  cx_set(&p->text, "Unnumbered text.");
  /* a form feed from PDF text, CR LF, other C0 controls, U+FFFE, a leading
   * newline (an HTML parser would eat it after <pre>) */
  cx_set(&c->header_text, "\nR 281138Z AUG 06\r\n");
  cx_set(&c->body, "C O N F I D E N T I A L\fXXTEST 003065\r\n\x01\x02\x1b\x1f\x7f"
                   "\xEF\xBF\xBE\xEF\xBF\xBF end\n\n");
  struct cx_value *e = cx_value_put(&c->extra, "note");
  cx_value_set_text(e, CX_VALUE_STRING,
                    "a\x0b"
                    "b",
                    3);
  e = cx_value_put(&c->extra, "amount");
  cx_value_set_text(e, CX_VALUE_NUMBER, "1.50", 4);
  e = cx_value_put(&c->extra, "odd \"key\" <&>\x02\t");
  e->kind = CX_VALUE_TRUE;
  e = cx_value_put(&c->extra, "list");
  e->kind = CX_VALUE_ARRAY;
  struct cx_value *it = cx_value_append(e);
  it->kind = CX_VALUE_FALSE;
  it = cx_value_append(e);
  it->kind = CX_VALUE_NULL;
  it = cx_value_append(e);
  it->kind = CX_VALUE_OBJECT;
  struct cx_value *in = cx_value_put(it, "deep");
  cx_value_set_text(in, CX_VALUE_NUMBER, "-2e+10", 6);
  it = cx_value_append(e);
  it->kind = CX_VALUE_ARRAY; /* empty */
  e = cx_value_put(&c->extra, "empty");
  e->kind = CX_VALUE_OBJECT;
  e = cx_value_put(&c->extra, "");
  cx_value_set_text(e, CX_VALUE_STRING, "", 0);
  return c;
}

static const char *book_path(const char *name) {
  static char path[128];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  return path;
}

/* Writes cables[0..n) to name with opts; returns the last write code. */
static int write_book(const char *name, struct cx_cable **cables, size_t n,
                      const struct cx_options *opts) {
  struct cx_ctx ctx = {0};
  struct cx_ostream *out = cx_ostream_open(book_path(name), &ctx);
  assert_non_null(out);
  void *st = NULL;
  assert_int_equal(epubp_writer_open(out, opts, &ctx, &st), CX_OK);
  int last = CX_OK;
  for (size_t i = 0; i < n; i++) {
    last = epubp_writer_write(st, cables[i], &ctx);
    if (last == CX_WARN) print_message("warning: %s\n", ctx.msg);
    assert_true(last == CX_OK || last == CX_WARN);
  }
  assert_int_equal(epubp_writer_close(st, &ctx), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  return last;
}

/* Reads every cable of name; returns how many (cables[] filled). */
static size_t read_book(const char *name, struct cx_cable **cables, size_t max, int *worst) {
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open(book_path(name), &ctx);
  assert_non_null(in);
  void *st = NULL;
  assert_int_equal(epubp_reader_open(in, NULL, &ctx, &st), CX_OK);
  size_t n = 0;
  *worst = CX_OK;
  for (;;) {
    struct cx_cable *c = NULL;
    int rc = epubp_reader_next(st, &ctx, &c);
    if (rc == CX_EOF) break;
    if (rc < *worst) *worst = rc;
    if (rc == CX_WARN) print_message("warning: %s\n", ctx.msg);
    assert_true(rc == CX_OK || rc == CX_WARN);
    assert_non_null(c);
    assert_true(n < max);
    cables[n++] = c;
  }
  epubp_reader_close(st);
  cx_istream_close(in);
  return n;
}

static void test_roundtrip(void **state) {
  (void)state;
  struct cx_cable *c[3] = {full_cable(), cx_cable_new(), full_cable()};
  /* the second has no id, a subject only (all nulls is not a cable); the
   * third comes first in the contents */
  cx_set(&c[1]->subject, "NO ID");
  cx_set(&c[2]->id, "05XXTEST517");
  cx_set(&c[2]->origin, "Embassy Accra");
  assert_int_equal(write_book("rt.epub", c, 3, NULL), CX_OK);
  struct cx_cable *back[4];
  int worst;
  size_t n = read_book("rt.epub", back, 4, &worst);
  assert_int_equal(worst, CX_OK);
  assert_int_equal(n, 3);
  for (size_t i = 0; i < 3; i++) {
    /* chapters come back in the order written, not in contents order */
    assert_true(cx_cable_equal(c[i], back[i]));
    assert_string_equal(back[i]->source.format, "epub");
    cx_cable_free(back[i]);
  }
  /* and equal means something: a changed byte of the body is seen */
  cx_set(&c[0]->body, "C O N F I D E N T I A L\fXXTEST 003065\n");
  n = read_book("rt.epub", back, 4, &worst);
  assert_false(cx_cable_equal(c[0], back[0]));
  for (size_t i = 0; i < n; i++)
    cx_cable_free(back[i]);
  for (size_t i = 0; i < 3; i++)
    cx_cable_free(c[i]);
}

/* mimetype first, stored, no extra field; every local header carries its
 * sizes (no data descriptor) and no extra field; the end record counts the
 * entries. */
static void test_zip_layout(void **state) {
  (void)state;
  struct cx_cable *c = full_cable();
  write_book("zip.epub", &c, 1, NULL);
  cx_cable_free(c);
  size_t len;
  unsigned char *z = (unsigned char *)try_read_file(book_path("zip.epub"), &len);
  assert_non_null(z);
  assert_memory_equal(z, "PK\3\4", 4);
  assert_int_equal(rd16(z + 8), 0);  /* stored */
  assert_int_equal(rd16(z + 26), 8); /* name length */
  assert_int_equal(rd16(z + 28), 0); /* extra length */
  assert_memory_equal(z + 30, "mimetypeapplication/epub+zip", 28);
  size_t off = 0, entries = 0;
  while (off + 30 <= len && rd32(z + off) == 0x04034b50) {
    assert_int_equal(rd16(z + off + 6) & 8, 0); /* no data descriptor */
    assert_int_equal(rd16(z + off + 28), 0);    /* no extra field */
    off += 30 + rd16(z + off + 26) + rd32(z + off + 18);
    entries++;
  }
  assert_int_equal(entries, 8); /* mimetype container css chapter title nav group opf */
  assert_int_equal(rd32(z + off), 0x02014b50);
  const unsigned char *e = z + len - 22;
  assert_int_equal(rd32(e), 0x06054b50);
  assert_int_equal(rd16(e + 10), entries);
  assert_int_equal(rd32(e + 16), off);
  free(z);
}

/* The text of one zip entry, read with libarchive. */
static char *entry_text(const char *book, const char *entry) {
  struct archive *a = archive_read_new();
  archive_read_support_format_zip(a);
  assert_int_equal(archive_read_open_filename(a, book_path(book), 4096), ARCHIVE_OK);
  struct archive_entry *e;
  char *text = NULL;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    if (strcmp(archive_entry_pathname(e), entry)) continue;
    size_t n = (size_t)archive_entry_size(e);
    text = malloc(n + 1);
    assert_int_equal(archive_read_data(a, text, n), (la_ssize_t)n);
    text[n] = '\0';
    break;
  }
  archive_read_free(a);
  assert_non_null(text);
  return text;
}

static void test_reproducible(void **state) {
  (void)state;
  struct cx_cable *c[2] = {full_cable(), cx_cable_new()};
  unsetenv("SOURCE_DATE_EPOCH");
  write_book("a.epub", c, 2, NULL);
  write_book("b.epub", c, 2, NULL);
  size_t la, lb;
  char *a = try_read_file(book_path("a.epub"), &la), *b = try_read_file(book_path("b.epub"), &lb);
  assert_int_equal(la, lb);
  assert_memory_equal(a, b, la);
  char *opf = entry_text("a.epub", "OEBPS/content.opf");
  assert_non_null(strstr(opf, "<meta property=\"dcterms:modified\">1980-01-01T00:00:00Z</meta>"));
  char *id1 = strstr(opf, "urn:uuid:");
  assert_non_null(id1);
  char uid[46];
  memcpy(uid, id1, 45);
  uid[45] = '\0';
  free(opf);

  setenv("SOURCE_DATE_EPOCH", "1600000000", 1);
  write_book("c.epub", c, 2, NULL);
  unsetenv("SOURCE_DATE_EPOCH");
  opf = entry_text("c.epub", "OEBPS/content.opf");
  assert_non_null(strstr(opf, "<meta property=\"dcterms:modified\">2020-09-13T12:26:40Z</meta>"));
  assert_non_null(strstr(opf, uid)); /* the identifier is the content's, not the time's */
  free(opf);
  size_t lc;
  unsigned char *z = (unsigned char *)try_read_file(book_path("c.epub"), &lc);
  /* 2020-09-13 12:26:40 in DOS form */
  assert_int_equal(rd16(z + 10), (12 << 11) | (26 << 5) | 20);
  assert_int_equal(rd16(z + 12), ((2020 - 1980) << 9) | (9 << 5) | 13);
  free(z);

  /* other cables, another identifier */
  cx_set(&c[1]->id, "99XXTEST7");
  write_book("d.epub", c, 2, NULL);
  opf = entry_text("d.epub", "OEBPS/content.opf");
  assert_null(strstr(opf, uid));
  free(opf);
  free(a);
  free(b);
  cx_cable_free(c[0]);
  cx_cable_free(c[1]);
}

static void test_group_by(void **state) {
  (void)state;
  struct cx_cable *c[3] = {cx_cable_new(), cx_cable_new(), cx_cable_new()};
  const char *ids[] = {"09XXTEST1", "08XXTEST2", "08XXTEST3"};
  const char *dates[] = {"2009-01-02T00:00:00", "2008-05-06T00:00:00", "2008-01-01T00:00:00"};
  const char *origins[] = {"Embassy Zagreb", "Embassy Ankara", "Embassy Zagreb"};
  const char *tags[] = {"PREL", "ECON", "ECON"};
  for (int i = 0; i < 3; i++) {
    cx_set(&c[i]->id, ids[i]);
    cx_set(&c[i]->created, dates[i]);
    cx_set(&c[i]->origin, origins[i]);
    cx_strv_push(&c[i]->tags, tags[i]);
  }
  write_book("origin.epub", c, 3, NULL);
  char *nav = entry_text("origin.epub", "OEBPS/nav.xhtml");
  char *ankara = strstr(nav, "Embassy Ankara (1)"), *zagreb = strstr(nav, "Embassy Zagreb (2)");
  assert_non_null(ankara);
  assert_non_null(zagreb);
  assert_true(ankara < zagreb);
  /* by date inside the group: 08XXTEST3 (c000003) before 09XXTEST1 */
  assert_true(strstr(nav, "c000003.xhtml") < strstr(nav, "c000001.xhtml"));
  free(nav);
  char *opf = entry_text("origin.epub", "OEBPS/content.opf");
  /* the spine follows the contents */
  char *s2 = strstr(opf, "idref=\"c000002\""), *s3 = strstr(opf, "idref=\"c000003\""),
       *s1 = strstr(opf, "idref=\"c000001\""), *g1 = strstr(opf, "idref=\"g00001\""),
       *g2 = strstr(opf, "idref=\"g00002\"");
  assert_true(g1 && s2 && g2 && s3 && s1);
  assert_true(g1 < s2 && s2 < g2 && g2 < s3 && s3 < s1);
  free(opf);
  /* a group's page lists its cables */
  char *gp = entry_text("origin.epub", "OEBPS/g00002.xhtml");
  assert_non_null(strstr(gp, "<h1>Embassy Zagreb (2)</h1>"));
  assert_true(strstr(gp, "c000003.xhtml") < strstr(gp, "c000001.xhtml"));
  free(gp);

  struct cx_options *o = cx_options_new();
  cx_options_set(o, "group-by", "date");
  write_book("date.epub", c, 3, o);
  nav = entry_text("date.epub", "OEBPS/nav.xhtml");
  assert_non_null(strstr(nav, "<a href=\"g00001.xhtml\">2008 (2)</a>"));
  assert_non_null(strstr(nav, "<a href=\"g00002.xhtml\">2009 (1)</a>"));
  free(nav);
  cx_options_set(o, "group-by", "tag");
  cx_options_set(o, "title", "Tagged <cables>");
  write_book("tag.epub", c, 3, o);
  nav = entry_text("tag.epub", "OEBPS/nav.xhtml");
  assert_non_null(strstr(nav, "<a href=\"g00001.xhtml\">ECON (2)</a>"));
  free(nav);
  char *title = entry_text("tag.epub", "OEBPS/title.xhtml");
  assert_non_null(strstr(title, "<h1>Tagged &lt;cables&gt;</h1>"));
  assert_non_null(strstr(title, "<p>3 cables</p>"));
  assert_non_null(strstr(title, "<p>2008-01-01 to 2009-01-02</p>"));
  free(title);

  cx_options_set(o, "group-by", "colour");
  struct cx_ctx ctx = {0};
  struct cx_ostream *out = cx_ostream_open(book_path("bad.epub"), &ctx);
  void *st = NULL;
  assert_int_equal(epubp_writer_open(out, o, &ctx, &st), CX_FATAL);
  assert_non_null(strstr(ctx.msg, "colour"));
  cx_ostream_abort(out);
  cx_options_free(o);
  for (int i = 0; i < 3; i++)
    cx_cable_free(c[i]);
}

/* Past 1000 cables the table of contents lists only the groups (epubcheck
 * 4.2.6 overflows its stack on a table of 10,000 links); every cable is
 * still listed on its group's page. */
static void test_big_nav(void **state) {
  (void)state;
  enum { N = 1001 };
  struct cx_cable **c = calloc(N, sizeof *c);
  for (int i = 0; i < N; i++) {
    char id[32];
    c[i] = cx_cable_new();
    snprintf(id, sizeof id, "09XXTEST%d", i);
    cx_set(&c[i]->id, id);
    cx_set(&c[i]->origin, i % 2 ? "Embassy Odd" : "Embassy Even");
  }
  write_book("big.epub", c, N, NULL);
  char *nav = entry_text("big.epub", "OEBPS/nav.xhtml");
  assert_non_null(strstr(nav, "<a href=\"g00001.xhtml\">Embassy Even (501)</a></li>"));
  assert_non_null(strstr(nav, "<a href=\"g00002.xhtml\">Embassy Odd (500)</a></li>"));
  assert_null(strstr(nav, "c000001.xhtml"));
  free(nav);
  char *gp = entry_text("big.epub", "OEBPS/g00002.xhtml");
  assert_non_null(strstr(gp, "<li><a href=\"c001000.xhtml\">09XXTEST999</a></li>"));
  free(gp);
  /* at 1000, every cable is in the table */
  write_book("big.epub", c, N - 1, NULL);
  nav = entry_text("big.epub", "OEBPS/nav.xhtml");
  assert_non_null(strstr(nav, "<li><a href=\"c001000.xhtml\">09XXTEST999</a></li>"));
  free(nav);
  for (int i = 0; i < N; i++)
    cx_cable_free(c[i]);
  free(c);
}

static void test_invalid_utf8(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  cx_set(&c->id, "01XXTEST1");
  cx_set(&c->subject, "caf\xE9 \xC0\xAF!");
  assert_int_equal(write_book("bad8.epub", &c, 1, NULL), CX_WARN);
  struct cx_cable *back[2];
  int worst;
  assert_int_equal(read_book("bad8.epub", back, 2, &worst), 1);
  assert_string_equal(back[0]->subject, "caf\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD!");
  cx_cable_free(back[0]);
  cx_cable_free(c);
}

static struct cx_value model;

static int parse(const char *xhtml, struct cx_buf *str, struct cx_buf *text, struct cx_buf *title,
                 bool *book, struct cx_ctx *ctx) {
  return epubp_page_parse(xhtml, strlen(xhtml), &model, str, text, title, book, ctx);
}

static void test_page_parse(void **state) {
  (void)state;
  struct cx_buf str, text, title;
  cx_buf_init(&str, 1 << 20);
  cx_buf_init(&text, 1 << 20);
  cx_buf_init(&title, 1 << 10);
  struct cx_ctx ctx = {0};
  bool book;
  /* a foreign page: its readable text, block by block */
  assert_int_equal(parse("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">"
                         "<head><title>Ch 1</title><style>p{}</style></head><body>"
                         "<h1>SUBJECT:  Hello</h1><p>one\n  two</p><pre>a\n  b</pre></body></html>",
                         &str, &text, &title, &book, &ctx),
                   0);
  assert_false(book);
  assert_string_equal(title.data, "Ch 1");
  assert_string_equal(text.data, "SUBJECT: Hello\none two\na\n  b\n");
  /* a model page */
  assert_int_equal(
      parse("<html><body><h1>x</h1><article data-cx-model=\"1\" data-t=\"o\">"
            "<p>label <span data-f=\"id\" data-t=\"s\">A<span data-c=\"12\">X</span>"
            "&#13;&quot;</span></p><ul data-f=\"tags\" data-t=\"a\"><li data-t=\"s\">"
            "T</li><li data-t=\"n\">none</li></ul>"
            "<span data-fx=\"6b02\" data-t=\"num\">-1.5e3</span></article></body></html>",
            &str, &text, &title, &book, &ctx),
      1);
  /* {"id":"A\f\r\"","tags":["T",null],"k\u0002":-1.5e3} */
  assert_int_equal(model.kind, CX_VALUE_OBJECT);
  assert_int_equal(model.n, 3);
  assert_string_equal(cx_value_get(&model, "id")->text, "A\f\r\"");
  const struct cx_value *tags = cx_value_get(&model, "tags");
  assert_int_equal(tags->kind, CX_VALUE_ARRAY);
  assert_int_equal(tags->n, 2);
  assert_string_equal(tags->items[0].text, "T");
  assert_int_equal(tags->items[1].kind, CX_VALUE_NULL);
  assert_int_equal(cx_value_get(&model, "k\x02")->kind, CX_VALUE_NUMBER);
  assert_string_equal(cx_value_get(&model, "k\x02")->text, "-1.5e3");
  /* a book page (title, contents) */
  assert_int_equal(parse("<html><body data-cx-book=\"nav\"><p>x</p></body></html>", &str, &text,
                         &title, &book, &ctx),
                   0);
  assert_true(book);
  /* refused: entities, unknown types, numbers that are not, nameless
   * members, unknown model versions, a truncated page */
  const char *bad[] = {
      "<!DOCTYPE html [<!ENTITY a \"aaaa\">]><html>&a;</html>",
      "<html><article data-cx-model=\"1\" data-t=\"o\"><b data-f=\"x\" data-t=\"q\"/></article>"
      "</html>",
      "<html><article data-cx-model=\"1\" data-t=\"o\"><b data-f=\"x\" data-t=\"num\">1x</b>"
      "</article></html>",
      "<html><article data-cx-model=\"1\" data-t=\"o\"><b data-t=\"s\">v</b></article></html>",
      "<html><article data-cx-model=\"2\" data-t=\"o\"></article></html>",
      "<html><article data-cx-model=\"1\" data-t=\"o\"><b data-f=\"x\" data-t=\"s\">v</b>",
      "<html><article data-cx-model=\"1\" data-t=\"o\"><b data-f=\"x\" data-t=\"s\">"
      "<i data-c=\"65\">A</i></b></article></html>",
      "<html><article data-cx-model=\"1\" data-t=\"o\"><b data-f=\"x\" data-t=\"s\">v</b>"
      "<b data-f=\"x\" data-t=\"n\"/></article></html>",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    ctx.msg[0] = '\0';
    assert_int_equal(parse(bad[i], &str, &text, &title, &book, &ctx), CX_FAILED);
    assert_true(ctx.msg[0] != '\0');
  }
  cx_buf_free(&str);
  cx_buf_free(&text);
  cx_buf_free(&title);
  cx_value_clear(&model);
}

/* A book cut after its chapters still gives them, then says it is cut; a
 * book cut inside a chapter loses that one. */
static void test_truncated(void **state) {
  (void)state;
  struct cx_cable *c[2] = {full_cable(), full_cable()};
  write_book("whole.epub", c, 2, NULL);
  size_t len;
  char *z = try_read_file(book_path("whole.epub"), &len);
  char *title = NULL;
  for (size_t i = 0; i + 17 <= len && !title; i++)
    if (!memcmp(z + i, "OEBPS/title.xhtml", 17)) title = z + i;
  assert_non_null(title);
  size_t cuts[2] = {(size_t)(title - z) - 30, (size_t)(title - z) - 200};
  for (int k = 0; k < 2; k++) {
    FILE *f = fopen(book_path("cut.epub"), "wb");
    assert_int_equal(fwrite(z, 1, cuts[k], f), cuts[k]);
    fclose(f);
    struct cx_ctx ctx = {0};
    struct cx_istream *in = cx_istream_open(book_path("cut.epub"), &ctx);
    void *st = NULL;
    assert_int_equal(epubp_reader_open(in, NULL, &ctx, &st), CX_OK);
    size_t good = 0, lost = 0;
    int rc;
    struct cx_cable *back = NULL;
    while ((rc = epubp_reader_next(st, &ctx, &back)) != CX_EOF && rc != CX_FATAL) {
      if (rc == CX_OK) good++;
      if (rc == CX_FAILED) lost++;
      cx_cable_free(back);
    }
    if (k == 0) {
      /* the zip itself ends where a header should be */
      assert_int_equal(rc, CX_FATAL);
      assert_non_null(strstr(ctx.msg, "runcated"));
      assert_int_equal(good, 2);
    } else {
      assert_int_equal(good, 1);
      assert_true(lost == 1 || rc == CX_FATAL);
    }
    epubp_reader_close(st);
    cx_istream_close(in);
  }
  free(z);
  cx_cable_free(c[0]);
  cx_cable_free(c[1]);
}

static void test_probe(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  write_book("p.epub", &c, 1, NULL);
  cx_cable_free(c);
  size_t len;
  char *z = try_read_file(book_path("p.epub"), &len);
  assert_int_equal(epubp_probe((unsigned char *)z, len, "-"), 100);
  assert_int_equal(epubp_probe((unsigned char *)"PK\3\4xxxx", 8, "a.epub"), 50);
  assert_int_equal(epubp_probe((unsigned char *)"PK\3\4xxxx", 8, "a.zip"), 0);
  assert_int_equal(epubp_probe((unsigned char *)"{}", 2, "a.epub"), 0);
  free(z);
}

/* Writes a book whose package lists n items, all in the spine (last
 * first), of which only the first `pages` exist (gen.py spine-epub); with
 * `same`, one item that the spine lists n times, and `pages` zip entries
 * of its one name. */
static void write_spine_book(const char *name, size_t n, size_t pages, bool same) {
  struct cx_ctx ctx = {0};
  struct cx_buf b;
  cx_buf_init(&b, (size_t)1 << 30);
  struct cx_ostream *out = cx_ostream_open(book_path(name), &ctx);
  assert_non_null(out);
  struct epubp_zip z;
  assert_int_equal(epubp_zip_open(&z, out, 0, &ctx), CX_OK);
  static const char mt[] = "application/epub+zip";
  assert_int_equal(epubp_zip_add(&z, "mimetype", mt, strlen(mt), true, NULL, &ctx), CX_OK);
  assert_int_equal(cx_buf_adds(&b, "<?xml version=\"1.0\"?><container version=\"1.0\" "
                                   "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
                                   "<rootfiles><rootfile full-path=\"book.opf\" media-type="
                                   "\"application/oebps-package+xml\"/></rootfiles></container>"),
                   CX_OK);
  assert_int_equal(epubp_zip_add(&z, "META-INF/container.xml", b.data, b.len, false, NULL, &ctx),
                   CX_OK);
  cx_buf_reset(&b);
  assert_int_equal(cx_buf_adds(&b, "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/"
                                   "2007/opf\" version=\"3.0\"><manifest>"),
                   CX_OK);
  for (size_t i = 0; i < (same ? 1 : n); i++)
    assert_int_equal(cx_buf_printf(&b, "<item id=\"a%zu\" href=\"p%zu.xhtml\"/>", i, i), CX_OK);
  assert_int_equal(cx_buf_adds(&b, "</manifest><spine>"), CX_OK);
  for (size_t i = n; i-- > 0;)
    assert_int_equal(cx_buf_printf(&b, "<itemref idref=\"a%zu\"/>", same ? 0 : i), CX_OK);
  assert_int_equal(cx_buf_adds(&b, "</spine></package>"), CX_OK);
  assert_int_equal(epubp_zip_add(&z, "book.opf", b.data, b.len, false, NULL, &ctx), CX_OK);
  for (size_t i = 0; i < pages; i++) {
    char page[160], pname[32];
    snprintf(page, sizeof page,
             "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>page %zu</p></body></html>", i);
    snprintf(pname, sizeof pname, "p%zu.xhtml", same ? 0 : i);
    assert_int_equal(epubp_zip_add(&z, pname, page, strlen(page), false, NULL, &ctx), CX_OK);
  }
  assert_int_equal(epubp_zip_close(&z, &ctx), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  cx_buf_free(&b);
}

/* Reads book name: how many pages it gives (the first one's chapter name
 * in first, of size 32) and how many names the reader compared. */
static size_t read_spine_book(const char *name, char *first, unsigned long long *probes) {
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open(book_path(name), &ctx);
  assert_non_null(in);
  void *st = NULL;
  assert_int_equal(epubp_reader_open(in, NULL, &ctx, &st), CX_OK);
  size_t n = 0;
  struct cx_cable *c = NULL;
  int rc;
  while ((rc = epubp_reader_next(st, &ctx, &c)) != CX_EOF) {
    assert_true(rc == CX_OK || rc == CX_WARN);
    if (!n++) {
      const struct cx_value *e = cx_value_get(&c->extra, "epub");
      assert_non_null(e);
      snprintf(first, 32, "%s", cx_value_get(e, "chapter")->text);
    }
    cx_cable_free(c);
  }
  *probes = epubp_reader_probes(st);
  epubp_reader_close(st);
  cx_istream_close(in);
  return n;
}

/* Issue 12, case 7: the spine was matched against the manifest and the
 * pages by scanning them (100k items: 45 s).  With sorted indexes each
 * spine item costs a few name comparisons (two binary searches, about
 * 2 log2 n), not n/2: counted, never timed.  The same holds for a spine
 * that lists one item n times over n zip entries of that one name (each
 * looked for past the ones already given). */
static void test_spine_probes(void **state) {
  (void)state;
  enum { N = 20000, PAGES = 30 };
  char first[32];
  unsigned long long probes;
  write_spine_book("spine.epub", N, PAGES, false);
  assert_int_equal(read_spine_book("spine.epub", first, &probes), PAGES);
  assert_string_equal(first, "p29.xhtml"); /* spine order: the last page first */
  print_message("%llu names compared for %d spine items (%.1f each)\n", probes, N,
                (double)probes / N);
  /* 2 log2(20000) is about 29; a scan would be thousands per item */
  assert_true(probes < 40ULL * N);
  write_spine_book("same.epub", N, N, true);
  assert_int_equal(read_spine_book("same.epub", first, &probes), N);
  print_message("%llu names compared for %d spine items of one name (%.1f each)\n", probes, N,
                (double)probes / N);
  assert_true(probes < 40ULL * N);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip),    cmocka_unit_test(test_zip_layout),
      cmocka_unit_test(test_reproducible), cmocka_unit_test(test_group_by),
      cmocka_unit_test(test_invalid_utf8), cmocka_unit_test(test_page_parse),
      cmocka_unit_test(test_big_nav),      cmocka_unit_test(test_truncated),
      cmocka_unit_test(test_probe),        cmocka_unit_test(test_spine_probes),
  };
  return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
