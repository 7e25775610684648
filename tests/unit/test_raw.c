/* test_raw.c - the raw plugin: the page metadata block in its NBSP and
 * plain-space layouts, reading and writing (byte for byte), several cables
 * in one stream, limits, encoding repair, and the probe.  Fixtures are in
 * tests/data/raw (written for these tests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cablex/options.h"
#include "raw_plugin.h"
#include "trickle.h"
#include "test_files.h"

static char last_warning[CX_MSG_MAX];
static unsigned long last_warning_line;

static void on_warning(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user;
  (void)code;
  snprintf(last_warning, sizeof last_warning, "%s", msg);
  last_warning_line = ctx->line;
}

static void ctx_init(struct cx_ctx *ctx) {
  memset(ctx, 0, sizeof *ctx);
  ctx->file = "test";
  ctx->report = on_warning;
  last_warning[0] = '\0';
  last_warning_line = 0;
}

/* Reads every cable of data; returns how many (codes of each call in rcs). */
static size_t read_all(const char *data, size_t len, const struct cx_options *opts,
                       struct cx_ctx *ctx, struct cx_cable **out, int *rcs, size_t max) {
  struct cx_istream *in = cx_istream_open_mem(data, len, "test", ctx);
  assert_non_null(in);
  void *st = NULL;
  assert_int_equal(rawp_reader_open(in, opts, ctx, &st), CX_OK);
  size_t n = 0;
  for (size_t guard = 0; guard < 64; guard++) {
    struct cx_cable *c = NULL;
    int rc = rawp_reader_next(st, ctx, &c);
    if (rc == CX_EOF) break;
    assert_true(n < max);
    rcs[n] = rc;
    out[n++] = c;
    if (rc == CX_FATAL) break;
  }
  rawp_reader_close(st);
  cx_istream_close(in);
  return n;
}

static struct cx_cable *read_one(const char *data, size_t len, int want_rc) {
  struct cx_ctx ctx;
  ctx_init(&ctx);
  struct cx_cable *c[2];
  int rc[2];
  assert_int_equal(read_all(data, len, NULL, &ctx, c, rc, 2), 1);
  assert_int_equal(rc[0], want_rc);
  assert_non_null(c[0]);
  return c[0];
}

/* Writes the cables with the raw writer; returns the bytes written. */
static char *write_all(struct cx_cable **cs, size_t n, size_t *len, int *rcs) {
  char dir[] = "/tmp/cx_test_raw_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[128];
  snprintf(path, sizeof path, "%s/out.txt", dir);
  struct cx_ctx ctx;
  ctx_init(&ctx);
  struct cx_ostream *out = cx_ostream_open(path, &ctx);
  assert_non_null(out);
  void *st = NULL;
  assert_int_equal(rawp_writer_open(out, NULL, &ctx, &st), CX_OK);
  for (size_t i = 0; i < n; i++) {
    int rc = rawp_writer_write(st, cs[i], &ctx);
    if (rcs) rcs[i] = rc;
    assert_true(rc == CX_OK || rc == CX_WARN);
  }
  assert_int_equal(rawp_writer_close(st, &ctx), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  char *data = read_file(path, len);
  unlink(path);
  rmdir(dir);
  return data;
}

static void assert_roundtrip(const char *name) {
  size_t len, olen;
  char *data = read_data_file("raw", name, &len);
  struct cx_cable *c = read_one(data, len, CX_OK);
  char *out = write_all(&c, 1, &olen, NULL);
  if (olen != len || memcmp(out, data, len)) fail_msg("%s: written back differently", name);
  cx_cable_free(c);
  free(out);
  free(data);
}

static void test_nbsp_layout(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("raw", "seed_nbsp.txt", &len);
  struct cx_cable *c = read_one(data, len, CX_OK);
  assert_string_equal(c->id, "08XXTEST456");
  assert_string_equal(c->canonical_id, "08XXTEST456");
  assert_string_equal(c->created, "2008-05-02T15:30:00");
  assert_string_equal(c->classification, "CONFIDENTIAL");
  assert_string_equal(c->origin, "Embassy Riga");
  assert_string_equal(c->title, "LATVIA: A MADE-UP CABLE FOR THE RAW FORMAT TESTS");
  assert_int_equal(c->tags.n, 3);
  assert_string_equal(c->tags.v[0], "PREL");
  assert_string_equal(c->tags.v[1], "PGOV");
  assert_string_equal(c->tags.v[2], "LG");
  /* the block is kept verbatim, the telegram follows it exactly */
  const struct cx_value *page = cx_value_get(&c->extra, "raw_page");
  assert_non_null(page);
  assert_int_equal(page->kind, CX_VALUE_STRING);
  size_t bl = strlen(page->text);
  assert_memory_equal(page->text, data, bl);
  assert_true(strstr(page->text, "pdf\xc2\xa0how-to read a cable\n") != NULL);
  assert_true(c->has_header);
  assert_true(!strncmp(c->header_text, "VZCZCXRO4411\n", 13));
  assert_int_equal(bl + strlen(c->header_text) + strlen(c->body), len);
  assert_true(!strncmp(c->body, "C O N F I D E N T I A L SECTION 01 OF 02 XXTEST 000456\n", 55));
  assert_string_equal(c->header.from, "AMEMBASSY RIGA");
  assert_int_equal(c->header.info.n, 4);
  cx_cable_free(c);
  free(data);
}

static void test_plain_layout(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("raw", "plain_tags.txt", &len);
  struct cx_cable *c = read_one(data, len, CX_OK);
  assert_string_equal(c->title, "latvia: a made-up cable for the raw format tests");
  /* page order, duplicates kept, a person tag whole */
  assert_int_equal(c->tags.n, 4);
  assert_string_equal(c->tags.v[0], "PREL");
  assert_string_equal(c->tags.v[1], "OVIP (NOBODY, ANNA B.)");
  assert_string_equal(c->tags.v[2], "LG");
  assert_string_equal(c->tags.v[3], "PREL");
  /* the blank line after the header belongs to it */
  size_t hl = strlen(c->header_text);
  assert_true(hl >= 2 && !strcmp(c->header_text + hl - 2, "\n\n"));
  cx_cable_free(c);
  free(data);

  data = read_data_file("raw", "plain_notags.txt", &len);
  c = read_one(data, len, CX_OK);
  assert_string_equal(c->id, "05XXTEST77");
  assert_string_equal(c->classification, "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  assert_string_equal(c->title, "FIRST LINE OF A LONG TITLE\nAND ITS SECOND LINE");
  assert_true(!strncmp(c->header_text, "This record is a partial extract", 32));
  assert_string_equal(c->header.dtg, "201247Z Jan 05");
  cx_cable_free(c);
  free(data);
}

static void test_no_pdf_line(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("raw", "nbsp_nopdf.txt", &len);
  struct cx_cable *c = read_one(data, len, CX_OK);
  assert_string_equal(c->id, "66XXTEST12");
  assert_string_equal(c->created, "1966-12-28T18:48:00");
  assert_int_equal(c->tags.n == 0 || c->tags.n > 0, 1);
  assert_true(!strncmp(c->header_text, "P R 281848Z DEC 66\n", 19));
  assert_string_equal(c->header.precedence, "P R");
  cx_cable_free(c);
  free(data);
}

static void test_telegram_only(void **state) {
  (void)state;
  size_t len, olen;
  char *data = read_data_file("raw", "telegram_only.txt", &len);
  struct cx_cable *c = read_one(data, len, CX_OK);
  assert_null(cx_value_get(&c->extra, "raw_page"));
  assert_false(c->has_header);
  assert_string_equal(c->header_text, "");
  assert_string_equal(c->body, data);
  assert_string_equal(c->classification, "SECRET//NOFORN");
  /* written back as it came: no page block, since the telegram alone gives
   * back every field the model holds */
  char *out = write_all(&c, 1, &olen, NULL);
  assert_int_equal(olen, len);
  assert_memory_equal(out, data, len);
  free(out);
  /* once a field only a page can hold is set, the block is rendered */
  cx_set(&c->origin, "Embassy Riga");
  out = write_all(&c, 1, &olen, NULL);
  assert_true(olen > len);
  assert_true(!strncmp(out, "Identifier\nCreated\nClassification\nOrigin\n", 40));
  assert_non_null(strstr(out, "\nEmbassy Riga\n"));
  assert_string_equal(out + olen - len, data);
  free(out);
  /* and likewise when the id is not the one the telegram gives */
  cx_set(&c->origin, NULL);
  cx_set(&c->id, "09XXTEST999");
  out = write_all(&c, 1, &olen, NULL);
  assert_true(olen > len);
  assert_non_null(strstr(out, "\n09XXTEST999\n"));
  cx_cable_free(c);
  free(out);
  free(data);
}

static void test_roundtrip_bytes(void **state) {
  (void)state;
  assert_roundtrip("seed_nbsp.txt");
  assert_roundtrip("plain_tags.txt");
  assert_roundtrip("plain_notags.txt");
  assert_roundtrip("nbsp_nopdf.txt");
  assert_roundtrip("crlf.txt");
}

/* Without the kept block the writer renders one, in the seed's layout. */
static void test_render_like_seed(void **state) {
  (void)state;
  size_t len, olen;
  char *data = read_data_file("raw", "seed_nbsp.txt", &len);
  struct cx_cable *c = read_one(data, len, CX_OK);
  cx_value_clear(&c->extra);
  c->extra.kind = CX_VALUE_OBJECT;
  char *out = write_all(&c, 1, &olen, NULL);
  assert_int_equal(olen, len);
  assert_memory_equal(out, data, len);
  free(out);

  /* a block that no longer agrees with the model is rendered afresh */
  free(data);
  data = read_data_file("raw", "plain_tags.txt", &len);
  cx_cable_free(c);
  c = read_one(data, len, CX_OK);
  assert_int_equal(cx_set(&c->title, "A NEW TITLE"), CX_OK);
  out = write_all(&c, 1, &olen, NULL);
  assert_non_null(strstr(out, "Cable title:\xc2\xa0\xc2\xa0\n\nA NEW TITLE\n\nTags:"));
  assert_non_null(strstr(out, "\xc2\xa0OVIP (NOBODY, ANNA B.)\xc2\xa0"));
  /* the telegram itself is untouched */
  size_t tl = strlen(c->header_text) + strlen(c->body);
  assert_memory_equal(out + olen - tl, data + len - tl, tl);
  cx_cable_free(c);
  free(out);
  free(data);
}

static void test_two_cables(void **state) {
  (void)state;
  size_t len, olen;
  char *data = read_data_file("raw", "two_cables.txt", &len);
  struct cx_ctx ctx;
  ctx_init(&ctx);
  struct cx_cable *c[4];
  int rc[4];
  assert_int_equal(read_all(data, len, NULL, &ctx, c, rc, 4), 2);
  assert_int_equal(rc[0], CX_OK);
  assert_int_equal(rc[1], CX_OK);
  assert_string_equal(c[0]->id, "08XXTEST456");
  assert_string_equal(c[1]->id, "05XXTEST77");
  /* the separator's newline is not part of the first cable */
  size_t bl = strlen(c[0]->body);
  assert_true(bl > 6 && !strcmp(c[0]->body + bl - 7, "\nNOBODY"));
  char *out = write_all(c, 2, &olen, NULL);
  assert_int_equal(olen, len);
  assert_memory_equal(out, data, len);
  cx_cable_free(c[0]);
  cx_cable_free(c[1]);
  free(out);
  free(data);
}

static void test_too_big(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("raw", "two_cables.txt", &len);
  struct cx_options *opts = cx_options_new();
  assert_int_equal(cx_options_set(opts, "max-cable-size", "600"), CX_OK);
  struct cx_ctx ctx;
  ctx_init(&ctx);
  struct cx_cable *c[4];
  int rc[4];
  assert_int_equal(read_all(data, len, opts, &ctx, c, rc, 4), 2);
  /* the first one is lost, with its size; reading goes on with the next */
  assert_int_equal(rc[0], CX_FAILED);
  assert_null(c[0]);
  assert_int_equal(rc[1], CX_OK);
  assert_string_equal(c[1]->id, "05XXTEST77");
  cx_cable_free(c[1]);
  cx_options_free(opts);

  /* the message names the size and the limit */
  opts = cx_options_new();
  assert_int_equal(cx_options_set(opts, "max-cable-size", "100"), CX_OK);
  ctx_init(&ctx);
  struct cx_istream *in = cx_istream_open_mem(data, len, "test", &ctx);
  void *st;
  assert_int_equal(rawp_reader_open(in, opts, &ctx, &st), CX_OK);
  struct cx_cable *one = NULL;
  assert_int_equal(rawp_reader_next(st, &ctx, &one), CX_FAILED);
  assert_non_null(strstr(ctx.msg, "larger than max-cable-size (100 bytes)"));
  assert_int_equal(ctx.line, 1);
  rawp_reader_close(st);
  cx_istream_close(in);
  cx_options_free(opts);

  opts = cx_options_new();
  assert_int_equal(cx_options_set(opts, "max-cable-size", "lots"), CX_OK);
  in = cx_istream_open_mem(data, len, "test", &ctx);
  assert_int_equal(rawp_reader_open(in, opts, &ctx, &st), CX_FATAL);
  cx_istream_close(in);
  cx_options_free(opts);
  free(data);
}

static void test_invalid_utf8(void **state) {
  (void)state;
  static const char text[] = "UNCLAS STATE 000001\n"
                             "\n"
                             "SUBJECT: BAD \xff BYTES \xc3\n"
                             "\n"
                             "1. (U) caf\xc3\xa9 \xe0\x80\x80.\n";
  struct cx_ctx ctx;
  ctx_init(&ctx);
  struct cx_cable *c[2];
  int rc[2];
  assert_int_equal(read_all(text, sizeof text - 1, NULL, &ctx, c, rc, 2), 1);
  assert_int_equal(rc[0], CX_WARN);
  /* one warning for the cable, naming the first bad line */
  assert_int_equal(ctx.warnings, 1);
  assert_int_equal(last_warning_line, 3);
  assert_non_null(strstr(last_warning, "5 bytes"));
  assert_non_null(strstr(c[0]->body, "BAD \xef\xbf\xbd BYTES \xef\xbf\xbd\n"));
  /* valid UTF-8 stays, an overlong form is three bad bytes */
  assert_non_null(strstr(c[0]->body, "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd."));
  cx_cable_free(c[0]);
}

static void test_nul_byte(void **state) {
  (void)state;
  static const char text[] = "UNCLAS STATE 000001\n\nSUBJECT: A\0B\n";
  struct cx_ctx ctx;
  ctx_init(&ctx);
  struct cx_cable *c[2];
  int rc[2];
  assert_int_equal(read_all(text, sizeof text - 1, NULL, &ctx, c, rc, 2), 1);
  assert_int_equal(rc[0], CX_FAILED);
  assert_null(c[0]);
  assert_int_equal(ctx.line, 3);
}

struct seen {
  int rc;
  unsigned long line; /* of the error or the last warning */
  char *text;         /* header_text + body */
};

static size_t read_via(struct cx_istream *in, struct cx_ctx *ctx, struct seen *out, size_t max) {
  void *st = NULL;
  assert_int_equal(rawp_reader_open(in, NULL, ctx, &st), CX_OK);
  size_t n = 0;
  for (;;) {
    struct cx_cable *c = NULL;
    last_warning_line = 0;
    int rc = rawp_reader_next(st, ctx, &c);
    if (rc == CX_EOF) break;
    assert_true(n < max);
    out[n].rc = rc;
    out[n].line = rc == CX_FAILED ? ctx->line : last_warning_line;
    out[n].text = NULL;
    if (c) {
      size_t hl = c->header_text ? strlen(c->header_text) : 0, bl = strlen(c->body);
      out[n].text = malloc(hl + bl + 1);
      assert_non_null(out[n].text);
      memcpy(out[n].text, c->header_text ? c->header_text : "", hl);
      memcpy(out[n].text + hl, c->body, bl + 1);
    }
    cx_cable_free(c);
    n++;
  }
  rawp_reader_close(st);
  cx_istream_close(in);
  return n;
}

/* Over memory a cable is found in place; over any other stream line by
 * line: both read the same cables, with the same lines in messages. */
static void test_in_place_as_streamed(void **state) {
  (void)state;
  static const char *const inputs[] = {
      ("\xef\xbb\xbfUNCLAS STATE 000001\r\n\r\nSUBJECT: A\r\n\f\r\nUNCLAS STATE 000002\n\nSUBJECT: "
       "B \xff\n\f\n \n\r\n\f\nUNCLAS STATE 000003\n\nSUBJECT: C\f D\n\n1. END"),
      "\f\nUNCLAS STATE 000004\n\nSUBJECT: E \xe2\x82\n\f",
      "UNCLAS STATE 000005\n\nSUBJECT: F\0\n\f\nUNCLAS STATE 000006\n\nSUBJECT: G\n\f\r",
      "\n\f\n\n",
  };
  static const size_t lens[] = {0, 0, 60, 0};
  for (size_t k = 0; k < sizeof inputs / sizeof *inputs; k++) {
    size_t len = lens[k] ? lens[k] : strlen(inputs[k]);
    struct seen a[8], b[8];
    struct cx_ctx ctx;
    ctx_init(&ctx);
    size_t na = read_via(cx_istream_open_mem(inputs[k], len, "test", &ctx), &ctx, a, 8);
    struct trickle d = {inputs[k], len, 7};
    ctx_init(&ctx);
    size_t nb = read_via(cx_istream_open_fn(trickle_read, &d, "test", &ctx), &ctx, b, 8);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++) {
      assert_int_equal(a[i].rc, b[i].rc);
      assert_int_equal(a[i].line, b[i].line);
      if (a[i].text || b[i].text) assert_string_equal(a[i].text, b[i].text);
      free(a[i].text);
      free(b[i].text);
    }
    if (k == 0) assert_int_equal(na, 3);
  }
}

static void test_extra_dropped(void **state) {
  (void)state;
  size_t len, olen;
  char *data = read_data_file("raw", "seed_nbsp.txt", &len);
  struct cx_cable *c = read_one(data, len, CX_OK);
  struct cx_value *v = cx_value_put(&c->extra, "reviewed_by");
  assert_int_equal(cx_value_set_text(v, CX_VALUE_STRING, "me", 2), CX_OK);
  v = cx_value_put(&c->extra, "score");
  assert_int_equal(cx_value_set_text(v, CX_VALUE_NUMBER, "1.5", 3), CX_OK);
  int rc;
  char *out = write_all(&c, 1, &olen, &rc);
  assert_int_equal(rc, CX_WARN);
  assert_non_null(strstr(last_warning, "reviewed_by, score"));
  assert_null(strstr(last_warning, "raw_page"));
  /* the cable itself is still written as read */
  assert_int_equal(olen, len);
  assert_memory_equal(out, data, len);
  free(out);
  /* a release date (as html pages give) has no place either: said, not lost silently */
  cx_value_clear(&c->extra);
  c->extra.kind = CX_VALUE_OBJECT;
  assert_int_equal(cx_set(&c->released, "2010-12-01T12:00:00"), CX_OK);
  out = write_all(&c, 1, &olen, &rc);
  assert_int_equal(rc, CX_WARN);
  assert_non_null(strstr(last_warning, "released (2010-12-01T12:00:00) not carried"));
  cx_cable_free(c);
  free(out);
  free(data);
}

/* A cable built from fields alone gets a telegram rendered from them. */
static void test_model_only(void **state) {
  (void)state;
  size_t olen;
  struct cx_cable *c = cx_cable_new();
  assert_int_equal(cx_set(&c->id, "09XXTEST1"), CX_OK);
  assert_int_equal(cx_set(&c->classification, "SECRET//NOFORN"), CX_OK);
  assert_int_equal(cx_set(&c->subject, "WRITTEN BY HAND"), CX_OK);
  assert_int_equal(cx_strv_push(&c->tags, "PREL"), CX_OK);
  assert_int_equal(cx_strv_push(&c->tags, "LG"), CX_OK);
  struct cx_paragraph *p = cx_paragraphs_add(&c->paragraphs);
  assert_int_equal(cx_set(&p->number, "1"), CX_OK);
  assert_int_equal(cx_set(&p->marking, "S"), CX_OK);
  assert_int_equal(cx_set(&p->text, "First paragraph."), CX_OK);
  c->has_header = true;
  assert_int_equal(cx_set(&c->header.dtg, "010101Z JAN 09"), CX_OK);
  assert_int_equal(cx_set(&c->header.precedence, "P"), CX_OK);
  assert_int_equal(cx_set(&c->header.from, "AMEMBASSY RIGA"), CX_OK);
  struct cx_recipient *r = cx_recipients_add(&c->header.to);
  assert_int_equal(cx_set(&r->routing_indicator, "RUEHC"), CX_OK);
  assert_int_equal(cx_set(&r->name, "SECSTATE WASHDC"), CX_OK);
  assert_int_equal(cx_set(&r->serial, "0001"), CX_OK);
  char *out = write_all(&c, 1, &olen, NULL);
  assert_non_null(strstr(out,
                         "\nP 010101Z JAN 09\nFM AMEMBASSY RIGA\nTO RUEHC/SECSTATE WASHDC 0001\n\n"
                         "SECRET\n\nNOFORN\n\nTAGS: PREL LG\nSUBJECT: WRITTEN BY HAND\n\n"
                         "1. (S) First paragraph.\n"));
  /* and reads back with the same header */
  struct cx_cable *b = read_one(out, olen, CX_OK);
  assert_string_equal(b->header.from, "AMEMBASSY RIGA");
  assert_string_equal(b->header.to.v[0].routing_indicator, "RUEHC");
  assert_string_equal(b->id, "09XXTEST1");
  cx_cable_free(b);
  cx_cable_free(c);
  free(out);
}

static void test_probe(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("raw", "seed_nbsp.txt", &len);
  assert_true(rawp_probe((unsigned char *)data, len, "x") >= 90);
  free(data);
  data = read_data_file("raw", "telegram_only.txt", &len);
  int mid = rawp_probe((unsigned char *)data, len, "x");
  assert_true(mid > 0 && mid < 90);
  free(data);
  static const char vz[] = "VZCZCXRO1\nPP RUEHWEB\n";
  assert_true(rawp_probe((const unsigned char *)vz, sizeof vz - 1, "-") >= 50);
  static const char json[] = "{\"id\": \"SUBJECT:\"}";
  assert_int_equal(rawp_probe((const unsigned char *)json, sizeof json - 1, "-"), 0);
  static const char html[] = "<html>\nSUBJECT: X\n";
  assert_int_equal(rawp_probe((const unsigned char *)html, sizeof html - 1, "-"), 0);
  static const char bin[] = "SUBJECT: \0\1\2";
  assert_int_equal(rawp_probe((const unsigned char *)bin, sizeof bin - 1, "-"), 0);
  static const char prose[] = "Dear diary,\ntoday nothing.\n";
  assert_int_equal(rawp_probe((const unsigned char *)prose, sizeof prose - 1, "-"), 0);
}

static void test_page_block_parse(void **state) {
  (void)state;
  struct rawp p;
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  static const char no[] = "Identifier\nCreated\nOrigin\n";
  assert_int_equal(rawp_parse(no, sizeof no - 1, &p, c), 0);
  /* a Created value that is no date: created stays NULL, flagged */
  static const char bad[] = "Identifier\nCreated\nClassification\nOrigin\n01XXTEST1\nyesterday\n"
                            "SECRET\nEmbassy Riga\nCable title:  \n\nT\n\nTags:  \nSECRET RIGA 1\n";
  assert_int_equal(rawp_parse(bad, sizeof bad - 1, &p, c), 1);
  assert_null(c->created);
  assert_true(p.created_bad);
  assert_string_equal(c->title, "T");
  assert_int_equal(c->tags.n, 0);
  assert_int_equal(p.len, strstr(bad, "SECRET RIGA") - bad);
  assert_int_equal(p.lines, 13);
  cx_cable_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nbsp_layout),
      cmocka_unit_test(test_plain_layout),
      cmocka_unit_test(test_no_pdf_line),
      cmocka_unit_test(test_telegram_only),
      cmocka_unit_test(test_roundtrip_bytes),
      cmocka_unit_test(test_render_like_seed),
      cmocka_unit_test(test_two_cables),
      cmocka_unit_test(test_too_big),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_nul_byte),
      cmocka_unit_test(test_extra_dropped),
      cmocka_unit_test(test_model_only),
      cmocka_unit_test(test_probe),
      cmocka_unit_test(test_page_block_parse),
      cmocka_unit_test(test_in_place_as_streamed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
