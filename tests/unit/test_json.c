/* test_json.c - the json plugin: lossless round trips, the exact output
 * (field order, escaping, pretty layout), every reader error path, and the
 * schema check of the writer's output with tests/tools/validate-json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "../../plugins/json/json_plugin.h"
#include "cablex/options.h"
#include "test_files.h"

/* ---- helpers ---- */

static char tmpdir[64];

static int setup_dir(void **state) {
  (void)state;
  strcpy(tmpdir, "/tmp/cx-json-test.XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

/* Writes n cables to a file in tmpdir; returns its path (static) and the
 * last non-OK code of write in *code. */
static const char *write_cables(const char *name, struct cx_cable **cables, size_t n, bool pretty,
                                int *code) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  struct cx_ctx ctx = {0};
  struct cx_options *opts = cx_options_new();
  assert_non_null(opts);
  if (pretty) assert_int_equal(cx_options_set(opts, "pretty", NULL), CX_OK);
  struct cx_ostream *out = cx_ostream_open(path, &ctx);
  assert_non_null(out);
  void *w = NULL;
  assert_int_equal(jsonp_writer_open(out, opts, &ctx, &w), CX_OK);
  int last = CX_OK;
  for (size_t i = 0; i < n; i++) {
    int rc = jsonp_writer_write(w, cables[i], &ctx);
    assert_true(rc == CX_OK || rc == CX_WARN);
    if (rc != CX_OK) last = rc;
  }
  assert_int_equal(jsonp_writer_close(w, &ctx), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  cx_options_free(opts);
  if (code) *code = last;
  return path;
}

/* What a reader made of an input. */
#define MAXREC 16
struct result {
  size_t n;                       /* calls to next before EOF */
  int code[MAXREC];               /* their codes */
  unsigned long line[MAXREC];     /* ctx.line for the non-OK ones */
  char msg[MAXREC][CX_MSG_MAX];   /* ctx.msg for the non-OK ones */
  struct cx_cable *cable[MAXREC]; /* NULL for failed records */
  size_t ok, failed;
};

static void result_free(struct result *r) {
  for (size_t i = 0; i < r->n; i++)
    cx_cable_free(r->cable[i]);
  memset(r, 0, sizeof *r);
}

static void read_mem(const char *data, size_t len, const char *max, struct result *r) {
  memset(r, 0, sizeof *r);
  struct cx_ctx ctx = {0};
  struct cx_options *opts = cx_options_new();
  assert_non_null(opts);
  if (max) assert_int_equal(cx_options_set(opts, "max-cable-size", max), CX_OK);
  struct cx_istream *in = cx_istream_open_mem(data, len, "mem", &ctx);
  assert_non_null(in);
  void *st = NULL;
  assert_int_equal(jsonp_reader_open(in, opts, &ctx, &st), CX_OK);
  for (;;) {
    struct cx_cable *c = NULL;
    cx_ctx_clear(&ctx);
    int rc = jsonp_reader_next(st, &ctx, &c);
    if (rc == CX_EOF) {
      assert_null(c);
      break;
    }
    assert_true(r->n < MAXREC);
    assert_true(rc == CX_OK || rc == CX_WARN || rc == CX_FAILED);
    if (rc == CX_FAILED) {
      assert_null(c);
      r->failed++;
    } else {
      assert_non_null(c);
      r->ok++;
    }
    r->code[r->n] = rc;
    r->line[r->n] = ctx.line;
    if (rc != CX_OK) snprintf(r->msg[r->n], CX_MSG_MAX, "%s", ctx.msg);
    r->cable[r->n++] = c;
  }
  /* EOF stays EOF */
  struct cx_cable *c = NULL;
  assert_int_equal(jsonp_reader_next(st, &ctx, &c), CX_EOF);
  jsonp_reader_close(st);
  cx_istream_close(in);
  cx_options_free(opts);
}

static void read_str(const char *s, struct result *r) {
  read_mem(s, strlen(s), NULL, r);
}

static void read_path(const char *path, struct result *r) {
  size_t len;
  char *data = try_read_file(path, &len);
  assert_non_null(data);
  read_mem(data, len, NULL, r);
  free(data); /* the cables own copies of everything */
}

static void set(char **dst, const char *s) {
  assert_int_equal(cx_set(dst, s), CX_OK);
}

static void add_recipient(struct cx_recipients *v, const char *ri, const char *name,
                          const char *prec, const char *serial, const char *excl) {
  struct cx_recipient *r = cx_recipients_add(v);
  assert_non_null(r);
  set(&r->routing_indicator, ri);
  set(&r->name, name);
  set(&r->precedence, prec);
  set(&r->serial, serial);
  if (excl) assert_int_equal(cx_strv_push(&r->excluded, excl), CX_OK);
}

static void put_text(struct cx_value *obj, const char *key, enum cx_value_kind kind,
                     const char *text) {
  struct cx_value *v = cx_value_put(obj, key);
  assert_non_null(v);
  assert_int_equal(cx_value_set_text(v, kind, text, strlen(text)), CX_OK);
}

/* A cable with every field set, nested extra, unicode and control chars. */
static struct cx_cable *full_cable(void) {
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  set(&c->id, "08SCTION02OF02XXTEST335");
  set(&c->canonical_id, "08XXTEST335");
  set(&c->created, "2008-03-14T17:05:00");
  set(&c->released, "2011-08-30T01:44:00");
  set(&c->classification, "SECRET//NOFORN");
  set(&c->origin, "Consulate Sao Paulo");
  set(&c->title, "S\xC3\xA3o Paulo \"quotes\" \\ back\tslash \xE2\x80\x94 \xF0\x9F\x98\x80");
  assert_int_equal(cx_strv_push(&c->tags, "OVIP (STEINBERG, JAMES B.)"), CX_OK);
  assert_int_equal(cx_strv_push(&c->tags, "PREL"), CX_OK);
  assert_int_equal(cx_strv_push(&c->tags, "PREL"), CX_OK);
  c->has_header = true;
  set(&c->header.transmission_id, "VZCZCXRO2779");
  set(&c->header.routing, "PP RUEHDBU RUEHFL\nRUEHKW");
  set(&c->header.de, "RUEHTA #3065/01 2401138");
  set(&c->header.security, "ZNY CCCCC ZZH");
  set(&c->header.precedence, "O R");
  set(&c->header.dtg, "281138Z AUG 06");
  set(&c->header.from, "AMEMBASSY ALMATY");
  add_recipient(&c->header.to, "RUEHC", "SECSTATE WASHDC", "PRIORITY", "6738", NULL);
  add_recipient(&c->header.info, "RUCNCIS", "CIS COLLECTIVE", "PRIORITY", "1049",
                "AMEMBASSY SOFIA");
  struct cx_recipient *r = cx_recipients_add(&c->header.info);
  assert_non_null(r);
  set(&r->name, "NSC WASHDC"); /* other fields absent */
  set(&c->subject, "FM CALMY-REY \"TAKES NOTE\"\n OF USG CONCERNS");
  struct cx_reference *ref = cx_references_add(&c->references);
  assert_non_null(ref);
  set(&ref->letter, "A");
  set(&ref->text, "STATE 124823");
  ref->kind = CX_REF_CABLE;
  set(&ref->cable_id, "07STATE124823");
  ref = cx_references_add(&c->references);
  assert_non_null(ref);
  set(&ref->text, "GUHA-CARTER E-MAIL (07SEP07)");
  ref->kind = CX_REF_EMAIL;
  ref = cx_references_add(&c->references);
  assert_non_null(ref);
  set(&ref->letter, "C");
  set(&ref->text, "");
  c->has_classified_by = true;
  set(&c->classified_by.text, "Classified By: Ambassador John Ordway, reasons 1.4 (b) and (d).");
  assert_int_equal(cx_strv_push(&c->classified_by.names, "AMBASSADOR JOHN ORDWAY"), CX_OK);
  set(&c->classified_by.reasons, "1.4 (B) AND (D)");
  c->has_declassify = true;
  set(&c->declassify.text, "E.O. 12958: DECL: 08/28/2016");
  set(&c->declassify.date, "2016-08-28");
  c->sipdis = true;
  c->sections = 2;
  set(&c->summary, "Every control: \x01\x02\x08\x0b\x0c\x0d\x1b\x1f\x7f end");
  set(&c->signer, "ORDWAY");
  struct cx_paragraph *p = cx_paragraphs_add(&c->paragraphs);
  assert_non_null(p);
  set(&p->number, "1");
  set(&p->marking, "S/NF");
  set(&p->text, "First paragraph with NBSP\xC2\xA0"
                "and ,s artefacts &8.");
  p = cx_paragraphs_add(&c->paragraphs);
  assert_non_null(p);
  set(&p->text, "Unnumbered.");
  set(&c->header_text, "VZCZCXRO2779\r\nPP RUEHDBU\n\n");
  set(&c->body, "S E C R E T SECTION 01 OF 02\n\n1. (S/NF) First...\n\tTabbed\n");
  set(&c->source.format, "raw");
  set(&c->source.path, "/in/cable.txt");
  set(&c->source.entry, "cables/x.txt");

  struct cx_value *e = &c->extra;
  put_text(e, "raw_page", CX_VALUE_STRING, "Identifier\nCreated\n\xC2\xA0");
  put_text(e, "price", CX_VALUE_NUMBER, "1.50");
  put_text(e, "big", CX_VALUE_NUMBER, "123456789012345678901234567890");
  put_text(e, "exp", CX_VALUE_NUMBER, "-2.5E-7");
  struct cx_value *v = cx_value_put(e, "flags");
  assert_non_null(v);
  v->kind = CX_VALUE_ARRAY;
  cx_value_append(v)->kind = CX_VALUE_TRUE;
  cx_value_append(v)->kind = CX_VALUE_FALSE;
  cx_value_append(v)->kind = CX_VALUE_NULL;
  struct cx_value *o = cx_value_append(v);
  o->kind = CX_VALUE_OBJECT;
  put_text(o, "k\"ey\n", CX_VALUE_STRING, "\xE6\x9D\xB1\xE4\xBA\xAC");
  struct cx_value *empty = cx_value_put(o, "empty");
  empty->kind = CX_VALUE_OBJECT;
  struct cx_value *ea = cx_value_put(o, "none");
  ea->kind = CX_VALUE_ARRAY;
  put_text(e, "", CX_VALUE_STRING, "empty key");
  return c;
}

/* ---- round trips ---- */

static void test_roundtrip_full(void **state) {
  (void)state;
  struct cx_cable *in[3] = {full_cable(), cx_cable_new(), full_cable()};
  set(&in[1]->subject, "NO ID"); /* id-less; all nulls would not be a cable */
  set(&in[2]->id, "second copy");
  int code;
  const char *path = write_cables("full.jsonl", in, 3, false, &code);
  assert_int_equal(code, CX_OK);

  size_t len;
  char *text = try_read_file(path, &len);
  assert_non_null(text);
  /* JSON Lines: exactly three lines, each one object */
  size_t lines = 0;
  for (size_t i = 0; i < len; i++)
    lines += text[i] == '\n';
  assert_int_equal(lines, 3);
  assert_int_equal(text[len - 1], '\n');
  /* non-ASCII passes through unescaped; numbers keep their text */
  assert_non_null(strstr(text, "S\xC3\xA3o Paulo"));
  assert_non_null(strstr(text, "\xF0\x9F\x98\x80"));
  assert_null(strstr(text, "\\u00e3"));
  assert_non_null(strstr(text, "\"price\":1.50,"));
  assert_non_null(strstr(text, "\"big\":123456789012345678901234567890,"));
  assert_non_null(strstr(text, "\"exp\":-2.5E-7,"));
  assert_non_null(
      strstr(text, "\"Every control: \\u0001\\u0002\\u0008\\u000b\\f\\r\\u001b\\u001f\x7f end\""));
  free(text);

  struct result r;
  read_path(path, &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.ok, 3);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(r.code[i], CX_OK);
    assert_true(cx_cable_equal(in[i], r.cable[i]));
  }
  /* source is not part of equality: check it separately */
  assert_string_equal(r.cable[0]->source.format, "raw");
  assert_string_equal(r.cable[0]->source.path, "/in/cable.txt");
  assert_string_equal(r.cable[0]->source.entry, "cables/x.txt");
  assert_null(r.cable[1]->source.format);
  /* a difference is noticed: the comparison is not vacuous */
  assert_false(cx_cable_equal(r.cable[0], r.cable[2]));
  const struct cx_value *big = cx_value_get(&r.cable[0]->extra, "big");
  assert_non_null(big);
  assert_int_equal(big->kind, CX_VALUE_NUMBER);
  assert_string_equal(big->text, "123456789012345678901234567890");
  result_free(&r);

  /* and written again, the bytes are the same */
  char *first = try_read_file(path, NULL);
  read_path(path, &r);
  assert_int_equal(r.ok, 3);
  const char *again = write_cables("again.jsonl", r.cable, 3, false, NULL);
  char *second = try_read_file(again, NULL);
  assert_string_equal(first, second);
  free(first);
  free(second);
  result_free(&r);
  for (size_t i = 0; i < 3; i++)
    cx_cable_free(in[i]);
}

static void test_expected_line(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  set(&c->id, "06XXTEST3065");
  set(&c->canonical_id, "06XXTEST3065");
  set(&c->created, "2006-08-28T11:38:00");
  set(&c->classification, "CONFIDENTIAL");
  set(&c->origin, "US Office Almaty");
  set(&c->title, "Tab\tquote\"back\\slash/");
  cx_strv_push(&c->tags, "OVIP (STEINBERG, JAMES B.)");
  cx_strv_push(&c->tags, "KZ");
  set(&c->subject,
      "\xC3\x9Cn\xC3\xAF\x63\xC3\xB8\x64\xC3\xA9 \xE2\x80\x94 \xE6\x9D\xB1\xE4\xBA\xAC "
      "\xF0\x9F\x98\x80");
  struct cx_reference *ref = cx_references_add(&c->references);
  set(&ref->letter, "A");
  set(&ref->text, "STATE 124823");
  ref->kind = CX_REF_CABLE;
  set(&ref->cable_id, "07STATE124823");
  c->has_declassify = true;
  set(&c->declassify.text, "E.O. 12958: DECL: 08/28/2016");
  set(&c->declassify.date, "2016-08-28");
  c->sipdis = true;
  c->sections = 2;
  set(&c->summary, "ctl:\x01\x1f\x08\f\r\n");
  struct cx_paragraph *p = cx_paragraphs_add(&c->paragraphs);
  set(&p->number, "1");
  set(&p->marking, "C");
  set(&p->text, "x");
  set(&c->header_text, "");
  set(&c->body, "line1\nline2\n");
  set(&c->source.format, "raw");
  set(&c->source.path, "-");
  put_text(&c->extra, "n", CX_VALUE_NUMBER, "1.50");
  struct cx_value *a = cx_value_put(&c->extra, "a");
  a->kind = CX_VALUE_ARRAY;
  cx_value_append(a)->kind = CX_VALUE_TRUE;
  cx_value_append(a)->kind = CX_VALUE_FALSE;
  cx_value_append(a)->kind = CX_VALUE_NULL;
  struct cx_value *s = cx_value_append(a);
  cx_value_set_text(s, CX_VALUE_STRING, "s", 1);
  cx_value_put(&c->extra, "o")->kind = CX_VALUE_OBJECT;

  struct cx_cable *cables[2] = {c, cx_cable_new()};
  set(&cables[1]->subject, "NO ID");
  const char *path = write_cables("expected.jsonl", cables, 2, false, NULL);
  char *got = try_read_file(path, NULL);
  char *want = try_read_file(data_file("json", "expected.jsonl"), NULL);
  assert_non_null(want);
  assert_string_equal(got, want);
  free(got);

  /* the hand-written fixture reads back to the same cables */
  struct result r;
  read_path(data_file("json", "expected.jsonl"), &r);
  assert_int_equal(r.ok, 2);
  assert_true(cx_cable_equal(r.cable[0], c));
  assert_true(cx_cable_equal(r.cable[1], cables[1]));
  result_free(&r);
  free(want);
  cx_cable_free(c);
  cx_cable_free(cables[1]);
}

static void test_expected_pretty(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  set(&c->id, "09ASTANA95");
  c->has_header = true;
  set(&c->header.transmission_id, "VZCZCXRO0320");
  set(&c->header.precedence, "P");
  set(&c->header.dtg, "200556Z JAN 09");
  set(&c->header.from, "AMEMBASSY ASTANA");
  add_recipient(&c->header.to, "RUEHC", "SECSTATE WASHDC", "PRIORITY", "4366", NULL);
  c->has_classified_by = true;
  set(&c->classified_by.text, "Classified By: Ambassador Richard E. Hoagland");
  cx_strv_push(&c->classified_by.names, "AMBASSADOR RICHARD E. HOAGLAND");
  struct cx_value *l = cx_value_put(&c->extra, "list");
  l->kind = CX_VALUE_ARRAY;
  cx_value_set_text(cx_value_append(l), CX_VALUE_NUMBER, "1", 1);
  struct cx_value *o = cx_value_append(l);
  o->kind = CX_VALUE_OBJECT;
  put_text(o, "k", CX_VALUE_STRING, "v");

  struct cx_cable *cables[1] = {c};
  const char *path = write_cables("pretty.json", cables, 1, true, NULL);
  char *got = try_read_file(path, NULL);
  char *want = try_read_file(data_file("json", "expected_pretty.json"), NULL);
  assert_non_null(want);
  assert_string_equal(got, want);
  free(got);
  free(want);
  cx_cable_free(c);
}

static void test_pretty_roundtrip(void **state) {
  (void)state;
  struct cx_cable *in[3] = {full_cable(), cx_cable_new(), full_cable()};
  set(&in[1]->subject, "NO ID");
  set(&in[2]->signer, "SOMEONE ELSE");
  const char *path = write_cables("seq.json", in, 3, true, NULL);
  char *text = try_read_file(path, NULL);
  assert_int_equal(strncmp(text, "{\n  \"model_version\": 1,\n  \"id\": \"08SCTION", 40), 0);
  /* the second object starts right after the first one's line */
  assert_non_null(strstr(text, "\n}\n{\n  \"model_version\": 1,\n  \"id\": null,\n"));
  free(text);
  struct result r;
  read_path(path, &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.ok, 3);
  for (size_t i = 0; i < 3; i++)
    assert_true(cx_cable_equal(in[i], r.cable[i]));
  result_free(&r);
  for (size_t i = 0; i < 3; i++)
    cx_cable_free(in[i]);
}

/* ---- reader layouts ---- */

static void test_read_layouts(void **state) {
  (void)state;
  struct result r;
  /* blank lines and CRLF between JSON Lines */
  read_str("\r\n{\"id\":\"A\"}\r\n\r\n\n{\"id\":\"B\"}\n   \n", &r);
  assert_int_equal(r.ok, 2);
  assert_string_equal(r.cable[1]->id, "B");
  result_free(&r);

  /* a compact array, a pretty (jq-style) array, and a BOM */
  read_str("\xEF\xBB\xBF[{\"id\":\"A\"},{\"id\":\"B\"} , {\"id\":\"C\"}]\n", &r);
  assert_int_equal(r.ok, 3);
  assert_string_equal(r.cable[2]->id, "C");
  result_free(&r);
  read_str("[\n  {\n    \"id\": \"A\",\n    \"tags\": [\n      \"T\"\n    ]\n  },\n  {\n"
           "    \"id\": \"B\"\n  }\n]\n",
           &r);
  assert_int_equal(r.ok, 2);
  assert_string_equal(r.cable[0]->tags.v[0], "T");
  assert_string_equal(r.cable[1]->id, "B");
  result_free(&r);

  /* one object over many lines, no trailing newline; then objects back to back */
  read_str("{\n\"id\"\n:\n\"A\"\n}", &r);
  assert_int_equal(r.ok, 1);
  assert_string_equal(r.cable[0]->id, "A");
  result_free(&r);
  read_str("{\"id\":\"A\"}{\"id\":\"B\"}\n{\"id\":\"C\"}", &r);
  assert_int_equal(r.ok, 3);
  result_free(&r);

  /* braces inside strings do not confuse the framing */
  read_str("{\"id\":\"{[\\\"}\"}\n{\"id\":\"]}\\\\\"}\n", &r);
  assert_int_equal(r.ok, 2);
  assert_string_equal(r.cable[0]->id, "{[\"}");
  assert_string_equal(r.cable[1]->id, "]}\\");
  result_free(&r);

  /* missing keys and nulls are absent values */
  read_str("{\"subject\":\"S\"}\n{\"tags\":null,\"header\":null,\"sections\":null,\"sipdis\":null,"
           "\"extra\":null,\"model_version\":1.0,\"subject\":\"S\"}\n{\"subject\":\"S\",\"header\":"
           "{}}\n",
           &r);
  assert_int_equal(r.ok, 3);
  struct cx_cable *empty = cx_cable_new(); /* but for its subject */
  set(&empty->subject, "S");
  assert_true(cx_cable_equal(r.cable[0], empty));
  assert_true(cx_cable_equal(r.cable[1], empty));
  assert_false(cx_cable_equal(r.cable[2], empty)); /* header {} is a header */
  assert_true(r.cable[2]->has_header);
  cx_cable_free(empty);
  result_free(&r);
  /* nulls only, or nothing: not a cable, and said so */
  read_str("{}\n{\"id\":null,\"tags\":[]}\n{\"id\":\"A\"}\n", &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[0], CX_FAILED);
  assert_non_null(strstr(r.msg[0], "not a cable: an object with neither id nor telegram"));
  assert_int_equal(r.code[1], CX_FAILED);
  assert_int_equal(r.code[2], CX_OK);
  result_free(&r);

  /* empty input */
  read_str("", &r);
  assert_int_equal(r.n, 0);
  read_str(" \n\n", &r);
  assert_int_equal(r.n, 0);
}

/* ---- reader errors ---- */

static void test_bad_json_line3(void **state) {
  (void)state;
  struct result r;
  read_path(data_file("json", "mixed.jsonl"), &r);
  assert_int_equal(r.n, 5);
  assert_int_equal(r.ok, 4);
  assert_int_equal(r.code[2], CX_FAILED);
  assert_int_equal(r.line[2], 3);
  assert_non_null(strstr(r.msg[2], "column"));
  assert_string_equal(r.cable[0]->id, "01A1");
  assert_string_equal(r.cable[1]->id, "01A2");
  assert_string_equal(r.cable[3]->id, "01A4");
  assert_string_equal(r.cable[4]->id, "01A5");
  assert_string_equal(cx_value_get(&r.cable[3]->extra, "n")->text, "-0.5e+3");
  result_free(&r);

  /* not JSON at all fails; a bare value and array elements that are no
   * object are not cables: skipped (a warning each, once for an array) */
  read_str("{\"id\":\"A\"}\nthis is not json\n42\n[\"s\", [2]]\n{\"id\":\"B\"}\n", &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.ok, 2);
  assert_int_equal(r.code[1], CX_FAILED);
  assert_int_equal(r.line[1], 2);
  assert_non_null(strstr(r.msg[1], "invalid JSON"));
  assert_string_equal(r.cable[2]->id, "B");
  result_free(&r);
  /* a bare value that is not valid JSON still fails */
  read_str("[1, 2, tru]\n", &r);
  assert_int_equal(r.failed, 1);
  assert_int_equal(r.ok, 0);
  assert_non_null(strstr(r.msg[r.n - 1], "invalid JSON"));
  result_free(&r);
}

static void expect_fail(const char *input, const char *needle) {
  struct result r;
  char buf[4096];
  snprintf(buf, sizeof buf, "{\"id\":\"before\"}\n%s\n{\"id\":\"after\"}\n", input);
  read_str(buf, &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[1], CX_FAILED);
  assert_int_equal(r.line[1], 2);
  if (!strstr(r.msg[1], needle)) fail_msg("message \"%s\" lacks \"%s\"", r.msg[1], needle);
  assert_string_equal(r.cable[0]->id, "before");
  assert_string_equal(r.cable[2]->id, "after");
  result_free(&r);
}

static void test_wrong_types(void **state) {
  (void)state;
  expect_fail("{\"id\":5}", "id: expected a string or null, found a number");
  expect_fail("{\"tags\":\"PREL\"}", "tags: expected an array of strings, found a string");
  expect_fail("{\"tags\":[\"A\",null]}", "tags[1]: expected a string, found null");
  expect_fail("{\"header\":[]}", "header: expected an object or null, found an array");
  expect_fail("{\"header\":{\"to\":[{\"serial\":4366}]}}",
              "header.to[0].serial: expected a string or null, found a number");
  expect_fail("{\"header\":{\"info\":[{\"excluded\":[1]}]}}",
              "header.info[0].excluded[0]: expected a string");
  expect_fail("{\"header\":{\"bogus\":1}}", "header.bogus: unknown key");
  expect_fail("{\"references\":[{\"kind\":\"fax\"}]}", "references[0].kind: expected \"cable\"");
  expect_fail("{\"paragraphs\":[\"text\"]}", "paragraphs[0]: expected an object, found a string");
  expect_fail("{\"paragraphs\":[{\"text\":\"x\",\"page\":2}]}", "paragraphs[0].page: unknown key");
  expect_fail("{\"sipdis\":\"yes\"}", "sipdis: expected a boolean, found a string");
  expect_fail("{\"sections\":0}", "sections: expected an integer >= 1");
  expect_fail("{\"sections\":2.5}", "sections: expected an integer >= 1");
  expect_fail("{\"sections\":\"2\"}", "sections: expected an integer >= 1 or null, found a string");
  expect_fail("{\"model_version\":2}", "model_version: version 2 is not supported");
  expect_fail("{\"model_version\":\"1\"}", "model_version: expected the number 1");
  expect_fail("{\"created\":\"2006-08-28 11:38\"}", "created: \"2006-08-28 11:38\" is not a date");
  expect_fail("{\"declassify\":{\"date\":\"08/28/2016\"}}", "declassify.date: \"08/28/2016\"");
  expect_fail("{\"classified_by\":{\"names\":\"X\"}}", "classified_by.names: expected an array");
  expect_fail("{\"source\":{\"host\":\"x\"}}", "source.host: unknown key");
  expect_fail("{\"extra\":[1]}", "extra: expected an object, found an array");
}

static void test_unknown_top_keys(void **state) {
  (void)state;
  struct result r;
  read_str("{\"foo\":1.0,\"id\":\"A\",\"bar\":{\"x\":[null]},\"extra\":{\"keep\":true}}\n"
           "{\"id\":\"B\",\"keep\":1,\"extra\":{\"keep\":2}}\n{\"id\":\"C\"}\n",
           &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[0], CX_WARN);
  assert_non_null(strstr(r.msg[0], "keys \"foo\", \"bar\" not in the model, kept in extra"));
  const struct cx_value *e = &r.cable[0]->extra;
  assert_int_equal(e->n, 3);
  assert_string_equal(cx_value_get(e, "foo")->text, "1.0");
  assert_int_equal(cx_value_get(e, "keep")->kind, CX_VALUE_TRUE);
  assert_int_equal(cx_value_get(e, "bar")->kind, CX_VALUE_OBJECT);
  /* a clash with extra's own key loses nothing silently */
  assert_int_equal(r.code[1], CX_FAILED);
  assert_non_null(strstr(r.msg[1], "keep: key is not in the model and extra has a key"));
  assert_int_equal(r.code[2], CX_OK);
  result_free(&r);
}

static void test_oversized(void **state) {
  (void)state;
  char big[3000];
  memset(big, 'x', sizeof big);
  big[sizeof big - 1] = '\0';
  size_t cap = 8000;
  char *in = malloc(cap);
  /* JSON Lines: the big record is line 2 */
  snprintf(in, cap, "{\"id\":\"A\"}\n{\"id\":\"%s\"}\n{\"id\":\"C\"}\n", big);
  struct result r;
  read_mem(in, strlen(in), "1K", &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[1], CX_FAILED);
  assert_int_equal(r.line[1], 2);
  assert_non_null(strstr(r.msg[1], "larger than max-cable-size (1024 bytes)"));
  assert_string_equal(r.cable[2]->id, "C");
  result_free(&r);
  /* the same, with no limit given, reads */
  read_mem(in, strlen(in), NULL, &r);
  assert_int_equal(r.ok, 3);
  assert_int_equal(strlen(r.cable[1]->id), sizeof big - 1);
  result_free(&r);
  /* pretty layout: the big record starts on line 4 and the next one is read */
  snprintf(in, cap,
           "{\n  \"id\": \"A\"\n}\n{\n  \"id\": \"%s\",\n  \"tags\": []\n}\n{\n  \"id\": "
           "\"C\"\n}\n",
           big);
  read_mem(in, strlen(in), "2000", &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[1], CX_FAILED);
  assert_int_equal(r.line[1], 4);
  assert_string_equal(r.cable[2]->id, "C");
  result_free(&r);
  free(in);

  /* an invalid limit is refused when the reader opens */
  struct cx_ctx ctx = {0};
  struct cx_options *opts = cx_options_new();
  cx_options_set(opts, "max-cable-size", "lots");
  struct cx_istream *s = cx_istream_open_mem("{}", 2, "mem", &ctx);
  void *st = NULL;
  assert_int_equal(jsonp_reader_open(s, opts, &ctx, &st), CX_FATAL);
  assert_non_null(strstr(ctx.msg, "max-cable-size"));
  cx_istream_close(s);
  cx_options_free(opts);
}

static void test_nul_and_duplicates(void **state) {
  (void)state;
  expect_fail("{\"id\":\"a\\u0000b\"}", "id: string contains U+0000 (NUL)");
  expect_fail("{\"extra\":{\"x\":[\"\\u0000\"]}}", "extra.x[0]: string contains U+0000");
  expect_fail("{\"\\u0000\":1}", "NUL byte in object key");
  expect_fail("{\"id\":\"a\",\"id\":\"b\"}", "duplicate object key");
  expect_fail("{\"extra\":{\"k\":1,\"k\":2}}", "duplicate object key");
  /* a raw NUL byte and invalid UTF-8 in the input */
  struct result r;
  const char nul[] = "{\"id\":\"A\"}\n{\"id\":\"x\0y\"}\n{\"id\":\"\xC3\x28\"}\n{\"id\":\"D\"}\n";
  read_mem(nul, sizeof nul - 1, NULL, &r);
  assert_int_equal(r.n, 4);
  assert_int_equal(r.code[1], CX_FAILED);
  assert_int_equal(r.line[1], 2);
  assert_int_equal(r.code[2], CX_FAILED);
  assert_int_equal(r.line[2], 3);
  assert_string_equal(r.cable[3]->id, "D");
  result_free(&r);
}

static void test_truncated(void **state) {
  (void)state;
  struct result r;
  /* JSON Lines cut in the middle of the last cable */
  read_str("{\"id\":\"A\"}\n{\"id\":\"B\"}\n{\"id\":\"C\",\"tags\":[\"X", &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.ok, 2);
  assert_int_equal(r.code[2], CX_FAILED);
  assert_int_equal(r.line[2], 3);
  assert_non_null(strstr(r.msg[2], "premature end of input"));
  result_free(&r);

  /* the very first line is cut: still JSON Lines, the rest reads */
  read_str("{\"id\":\"A\n{\"id\":\"B\"}\n{\"id\":\"C\"}\n", &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[0], CX_FAILED);
  assert_int_equal(r.line[0], 1);
  assert_string_equal(r.cable[2]->id, "C");
  result_free(&r);
  read_str("{\"id\":\"A\"\n{\"id\":\"B\"}\n{\"id\":\"C\"}\n", &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[0], CX_FAILED);
  assert_string_equal(r.cable[1]->id, "B");
  result_free(&r);

  /* a pretty sequence whose second cable was cut (the third still reads) */
  read_str("{\n  \"id\": \"A\"\n}\n{\n  \"id\": \"B\",\n  \"tags\": [\n    \"X\",\n"
           "{\n  \"id\": \"C\"\n}\n",
           &r);
  assert_int_equal(r.n, 3);
  assert_string_equal(r.cable[0]->id, "A");
  assert_int_equal(r.code[1], CX_FAILED);
  assert_int_equal(r.line[1], 7);
  assert_non_null(strstr(r.msg[1], "(in the cable starting on line 4)"));
  assert_non_null(strstr(r.msg[1], "the next cable starts before this one ends"));
  assert_string_equal(r.cable[2]->id, "C");
  result_free(&r);

  /* an array cut after its first element, then cut inside the second */
  read_str("[{\"id\":\"A\"},\n", &r);
  assert_int_equal(r.n, 2);
  assert_string_equal(r.cable[0]->id, "A");
  assert_int_equal(r.code[1], CX_FAILED);
  assert_non_null(strstr(r.msg[1], "array opened on line 1 is not closed"));
  result_free(&r);
  read_str("[{\"id\":\"A\"},\n{\"id\":", &r);
  assert_int_equal(r.n, 2);
  assert_int_equal(r.code[1], CX_FAILED);
  assert_int_equal(r.line[1], 2);
  result_free(&r);

  /* a single pretty object cut short */
  read_str("{\n  \"id\": \"A\",\n  \"body\": \"abc", &r);
  assert_int_equal(r.n, 1);
  assert_int_equal(r.code[0], CX_FAILED);
  assert_int_equal(r.line[0], 3);
  result_free(&r);
}

/* A gzip member cut short is a stream error: CX_FATAL, after the cables
 * that were complete. */
static void test_truncated_gzip(void **state) {
  (void)state;
  char path[256];
  snprintf(path, sizeof path, "%s/cut.jsonl.gz", tmpdir);
  gzFile gz = gzopen(path, "wb");
  assert_non_null(gz);
  for (int i = 0; i < 2000; i++)
    gzprintf(gz, "{\"id\":\"%04d\",\"body\":\"%d %d %d\"}\n", i, i * 7, i * 13, i * 31);
  assert_int_equal(gzclose(gz), Z_OK);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(truncate(path, st.st_size / 2), 0);

  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open(path, &ctx);
  assert_non_null(in);
  void *rd = NULL;
  assert_int_equal(jsonp_reader_open(in, NULL, &ctx, &rd), CX_OK);
  int rc, ok = 0;
  struct cx_cable *c;
  while ((rc = jsonp_reader_next(rd, &ctx, &c)) == CX_OK) {
    ok++;
    cx_cable_free(c);
  }
  assert_int_equal(rc, CX_FATAL);
  assert_null(c);
  assert_true(ok > 0 && ok < 2000);
  assert_true(ctx.msg[0] != '\0');
  jsonp_reader_close(rd);
  cx_istream_close(in);
}

/* ---- writer details ---- */

static void test_writer_invalid_utf8(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  /* lone continuation, overlong, surrogate, truncated 3-byte, > U+10FFFF, then valid */
  set(&c->body, "a\x80"
                "b\xC0\xAF"
                "c\xED\xA0\x80"
                "d\xE2\x82"
                "e\xF4\x90\x80\x80"
                "f\xC3\xA9");
  struct cx_cable *cables[1] = {c};
  int code;
  const char *path = write_cables("bad.jsonl", cables, 1, false, &code);
  assert_int_equal(code, CX_WARN);
  char *text = try_read_file(path, NULL);
#define R "\xEF\xBF\xBD"
  assert_non_null(strstr(text, "\"body\":\"a" R "b" R R "c" R R R "d" R "e" R R R R "f\xC3\xA9\""));
#undef R
  free(text);
  /* and the output reads back */
  struct result r;
  read_path(path, &r);
  assert_int_equal(r.ok, 1);
  result_free(&r);

  /* the message names the cable and the count */
  struct cx_ctx ctx = {0};
  char p2[256];
  snprintf(p2, sizeof p2, "%s/bad2.jsonl", tmpdir);
  struct cx_ostream *out = cx_ostream_open(p2, &ctx);
  void *w;
  set(&c->id, "01X1");
  assert_int_equal(jsonp_writer_open(out, NULL, &ctx, &w), CX_OK);
  assert_int_equal(jsonp_writer_write(w, c, &ctx), CX_WARN);
  assert_non_null(strstr(ctx.msg, "cable 01X1: 11 invalid UTF-8 sequences written as U+FFFD"));
  assert_int_equal(jsonp_writer_close(w, &ctx), CX_OK);
  cx_ostream_abort(out);
  cx_cable_free(c);
}

static void test_writer_extra_edge(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  put_text(&c->extra, "nan", CX_VALUE_NUMBER, "NaN");
  put_text(&c->extra, "lead0", CX_VALUE_NUMBER, "01");
  put_text(&c->extra, "ok", CX_VALUE_NUMBER, "-0.0e0");
  struct cx_cable *cables[1] = {c};
  int code;
  const char *path = write_cables("extra.jsonl", cables, 1, false, &code);
  assert_int_equal(code, CX_WARN);
  char *text = try_read_file(path, NULL);
  assert_non_null(strstr(text, "\"extra\":{\"nan\":\"NaN\",\"lead0\":\"01\",\"ok\":-0.0e0}"));
  free(text);
  cx_cable_free(c);
}

static void test_big_strings(void **state) {
  (void)state;
  /* larger than the writer's buffer, with escapes at the edges */
  size_t n = 300 * 1024;
  char *body = malloc(n + 1);
  for (size_t i = 0; i < n; i++)
    body[i] = "ab\"\n\xC3\xA9"[i % 6];
  /* keep the UTF-8 pairs whole: positions 4,5 are the two bytes of é */
  body[n] = '\0';
  struct cx_cable *c = cx_cable_new();
  set(&c->body, body);
  struct cx_cable *cables[2] = {c, c};
  int code;
  const char *path = write_cables("big.jsonl", cables, 2, false, &code);
  assert_int_equal(code, CX_OK);
  struct result r;
  read_path(path, &r);
  assert_int_equal(r.ok, 2);
  assert_string_equal(r.cable[1]->body, body);
  result_free(&r);
  free(body);
  cx_cable_free(c);
}

/* Every special byte at every offset around the 8-byte fast path. */
static void test_escape_positions(void **state) {
  (void)state;
  static const char *const specials[] = {
      "\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xC3\xA9", "\xE2\x80\x94", "\xF0\x9F\x98\x80",
      " "};
  struct cx_cable *c = cx_cable_new();
  char buf[64];
  for (size_t k = 0; k < sizeof specials / sizeof *specials; k++)
    for (size_t len = 0; len < 20; len++)
      for (size_t at = 0; at <= len; at++) {
        memset(buf, 'a', len);
        buf[len] = '\0';
        size_t sl = strlen(specials[k]);
        memmove(buf + at + sl, buf + at, len - at + 1);
        memcpy(buf + at, specials[k], sl);
        assert_int_equal(cx_strv_push(&c->tags, buf), CX_OK);
      }
  struct cx_cable *cables[1] = {c};
  int code;
  const char *path = write_cables("escapes.jsonl", cables, 1, false, &code);
  assert_int_equal(code, CX_OK);
  size_t len;
  char *text = try_read_file(path, &len);
  for (size_t i = 0; i + 1 < len; i++) /* no raw control character before the final newline */
    assert_true((unsigned char)text[i] >= 0x20);
  assert_non_null(strstr(text, "\"aaaaaaa\\\"aaaaaaaaaaaa\""));
  assert_non_null(strstr(text, "\"aaaaaaaaa\\u001faa\""));
  assert_non_null(strstr(text, "\"aaaaaaaaaaaaaaaa\xF0\x9F\x98\x80"
                               "aaa\""));
  free(text);
  struct result r;
  read_path(path, &r);
  assert_int_equal(r.ok, 1);
  assert_true(cx_cable_equal(r.cable[0], c));
  result_free(&r);
  cx_cable_free(c);
}

static void test_probe_and_size(void **state) {
  (void)state;
  assert_int_equal(jsonp_probe((const unsigned char *)"  \n{\"id\"", 8, "x"), 60);
  assert_int_equal(jsonp_probe((const unsigned char *)"\xEF\xBB\xBF[", 4, "x"), 60);
  assert_int_equal(jsonp_probe((const unsigned char *)"VZCZC", 5, "x"), 0);
  assert_int_equal(jsonp_probe((const unsigned char *)"   ", 3, "x"), 0);
  assert_int_equal(jsonp_probe((const unsigned char *)"", 0, "x"), 0);

  const struct cx_plugin *p = &cablex_plugin_v1;
  assert_string_equal(p->name, "json");
  assert_int_equal(p->kinds, CX_KIND_INPUT | CX_KIND_OUTPUT);
  assert_string_equal(p->extensions[0], "json");
  assert_string_equal(p->extensions[1], "jsonl");
  assert_string_equal(p->extensions[2], "ndjson");
  assert_null(p->extensions[3]);
}

/* ---- the schema ---- */

/* Runs validate-json on path; returns its exit status (-1: cannot run) and
 * its output in out. */
static int validate(const char *path, char *out, size_t size) {
  const char *data = getenv("CABLEX_TEST_DATA");
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/../tools/validate-json' '%s' 2>&1",
           data ? data : "tests/data", path);
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  size_t n = fread(out, 1, size - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool have_jsonschema(void) {
  return system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") == 0;
}

static void test_schema_valid(void **state) {
  (void)state;
  if (!have_jsonschema()) skip();
  struct cx_cable *in[3] = {full_cable(), cx_cable_new(), full_cable()};
  char out[2048];
  const char *path = write_cables("schema.jsonl", in, 3, false, NULL);
  assert_int_equal(validate(path, out, sizeof out), 0);
  assert_non_null(strstr(out, "3 cables valid"));
  path = write_cables("schema.json", in, 3, true, NULL);
  assert_int_equal(validate(path, out, sizeof out), 0);
  assert_non_null(strstr(out, "3 cables valid"));
  assert_int_equal(validate(data_file("json", "expected.jsonl"), out, sizeof out), 0);
  assert_int_equal(validate(data_file("json", "expected_pretty.json"), out, sizeof out), 0);
  for (size_t i = 0; i < 3; i++)
    cx_cable_free(in[i]);
}

static void test_schema_rejects(void **state) {
  (void)state;
  if (!have_jsonschema()) skip();
  char out[2048];
  /* a valid line, then one with a date of the wrong form on line 2 */
  assert_int_equal(validate(data_file("json", "invalid.jsonl"), out, sizeof out), 1);
  if (!strstr(out, "invalid.jsonl:2: cable 2: created:")) fail_msg("output: %s", out);
  /* the reader's leniency is not the schema's: missing keys are invalid */
  assert_int_equal(validate(data_file("json", "mixed.jsonl"), out, sizeof out), 1);
  assert_non_null(strstr(out, "'model_version' is a required property"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_roundtrip_full),      cmocka_unit_test(test_expected_line),
      cmocka_unit_test(test_expected_pretty),     cmocka_unit_test(test_pretty_roundtrip),
      cmocka_unit_test(test_read_layouts),        cmocka_unit_test(test_bad_json_line3),
      cmocka_unit_test(test_wrong_types),         cmocka_unit_test(test_unknown_top_keys),
      cmocka_unit_test(test_oversized),           cmocka_unit_test(test_nul_and_duplicates),
      cmocka_unit_test(test_truncated),           cmocka_unit_test(test_truncated_gzip),
      cmocka_unit_test(test_writer_invalid_utf8), cmocka_unit_test(test_writer_extra_edge),
      cmocka_unit_test(test_big_strings),         cmocka_unit_test(test_escape_positions),
      cmocka_unit_test(test_probe_and_size),      cmocka_unit_test(test_schema_valid),
      cmocka_unit_test(test_schema_rejects),
  };
  return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
