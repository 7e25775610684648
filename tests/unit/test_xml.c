/* test_xml.c - the xml plugin: the writer's exact output (checked against
 * tests/data/xml/full.xml and against formats/cable.xsd with xmllint),
 * lossless round trips (control characters, U+FFFE, CR, keys an attribute
 * cannot carry, deep extra values), the probe, and every way the reader
 * refuses a document or a cable (DOCTYPE and entities, external entities,
 * deep nesting, truncation, wrong root, unknown elements, invalid UTF-8,
 * bad values, oversize cables). */
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

#include "../../plugins/xml/xml_plugin.h"
#include "cablex/options.h"
#include "test_files.h"

/* ---- helpers ---- */

static char tmpdir[64];

static int setup_dir(void **state) {
  (void)state;
  strcpy(tmpdir, "/tmp/cx-xml-test.XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state) {
  (void)state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  return system(cmd) == 0 ? 0 : -1;
}

static const char *source_dir(void) {
  static char buf[1024];
  const char *dir = getenv("CABLEX_TEST_DATA"); /* .../tests/data */
  snprintf(buf, sizeof buf, "%s/../..", dir ? dir : "tests/data");
  return buf;
}

/* Writes n cables to tmpdir/name; returns the path (static) and the last
 * non-OK code of write in *code. */
static const char *write_cables(const char *name, struct cx_cable **cables, size_t n, int *code) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  struct cx_ctx ctx = {0};
  struct cx_options *opts = cx_options_new();
  assert_non_null(opts);
  struct cx_ostream *out = cx_ostream_open(path, &ctx);
  assert_non_null(out);
  void *w = NULL;
  assert_int_equal(xmlp_writer_open(out, opts, &ctx, &w), CX_OK);
  int last = CX_OK;
  for (size_t i = 0; i < n; i++) {
    int rc = xmlp_writer_write(w, cables[i], &ctx);
    assert_true(rc == CX_OK || rc == CX_WARN);
    if (rc != CX_OK) last = rc;
  }
  assert_int_equal(xmlp_writer_close(w, &ctx), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  cx_options_free(opts);
  if (code) *code = last;
  return path;
}

/* xmllint --schema on path: 0 valid, 1 invalid, 77 when xmllint is missing. */
static int validate(const char *path) {
  if (system("command -v xmllint >/dev/null 2>&1") != 0) return 77;
  char cmd[2048];
  snprintf(cmd, sizeof cmd, "xmllint --huge --noout --schema '%s/formats/cable.xsd' '%s' 2>&1",
           source_dir(), path);
  int st = system(cmd);
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

static void assert_valid(const char *path) {
  int v = validate(path);
  if (v == 77) {
    fprintf(stderr, "note: xmllint not found; schema check of %s skipped\n", path);
    return;
  }
  assert_int_equal(v, 0);
}

/* What the reader made of an input. */
#define MAXREC 16
struct result {
  size_t n;                       /* calls to next before EOF */
  int code[MAXREC];               /* their codes */
  unsigned long line[MAXREC];     /* ctx.line for the non-OK ones */
  char msg[MAXREC][CX_MSG_MAX];   /* ctx.msg for the non-OK ones */
  struct cx_cable *cable[MAXREC]; /* NULL for lost ones */
  size_t ok, failed, fatal;
  unsigned warnings;
};

static void result_free(struct result *r) {
  for (size_t i = 0; i < r->n; i++)
    cx_cable_free(r->cable[i]);
  memset(r, 0, sizeof *r);
}

static void quiet(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)ctx;
  (void)code;
  (void)msg;
  (*(unsigned *)user)++;
}

static void read_mem(const char *data, size_t len, const char *max, struct result *r) {
  memset(r, 0, sizeof *r);
  struct cx_ctx ctx = {0};
  ctx.file = "mem.xml";
  ctx.report = quiet;
  ctx.report_user = &r->warnings;
  struct cx_options *opts = cx_options_new();
  assert_non_null(opts);
  if (max) assert_int_equal(cx_options_set(opts, "max-cable-size", max), CX_OK);
  struct cx_istream *in = cx_istream_open_mem(data, len, "mem.xml", &ctx);
  assert_non_null(in);
  void *st = NULL;
  assert_int_equal(xmlp_reader_open(in, opts, &ctx, &st), CX_OK);
  for (;;) {
    struct cx_cable *c = NULL;
    cx_ctx_clear(&ctx);
    int rc = xmlp_reader_next(st, &ctx, &c);
    if (rc == CX_EOF) {
      assert_null(c);
      break;
    }
    assert_true(r->n < MAXREC);
    assert_true(rc == CX_OK || rc == CX_WARN || rc == CX_FAILED || rc == CX_FATAL);
    if (rc == CX_FAILED || rc == CX_FATAL) {
      assert_null(c);
      if (rc == CX_FAILED)
        r->failed++;
      else
        r->fatal++;
    } else {
      assert_non_null(c);
      r->ok++;
    }
    r->code[r->n] = rc;
    r->line[r->n] = ctx.line;
    if (rc != CX_OK) snprintf(r->msg[r->n], CX_MSG_MAX, "%s", ctx.msg);
    r->cable[r->n++] = c;
    if (rc == CX_FATAL) break;
  }
  /* after EOF or a fatal problem, EOF */
  struct cx_cable *c = NULL;
  assert_int_equal(xmlp_reader_next(st, &ctx, &c), CX_EOF);
  xmlp_reader_close(st);
  cx_istream_close(in);
  cx_options_free(opts);
}

static void read_str(const char *s, struct result *r) {
  read_mem(s, strlen(s), NULL, r);
}

#define HEAD "<?xml version=\"1.0\"?>\n<cables xmlns=\"" XMLP_NS "\" model_version=\"1\">\n"
#define TAIL "</cables>\n"
#define MIN_CABLE(id)                                                                              \
  "<cable><id>" id "</id><tags/><references/><sipdis>false</sipdis><paragraphs/>"                  \
  "<source/><extra/></cable>\n"

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

/* A cable with every field set, nested extra, unicode and every kind of
 * character XML needs help with. */
static struct cx_cable *full_cable(void) {
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  set(&c->id, "08SCTION02OF02XXTEST335");
  set(&c->canonical_id, "08XXTEST335");
  set(&c->created, "2008-03-14T17:05:00");
  set(&c->released, "2011-08-30T01:44:00");
  set(&c->classification, "SECRET//NOFORN");
  set(&c->origin, "Consulate S\xC3\xA3o Paulo");
  set(&c->title, "a < b & c > d \"q\" 'a' ]]> \xE2\x80\x94 \xF0\x9F\x98\x80");
  assert_int_equal(cx_strv_push(&c->tags, "OVIP (STEINBERG, JAMES B.)"), CX_OK);
  assert_int_equal(cx_strv_push(&c->tags, ""), CX_OK);
  c->has_header = true;
  set(&c->header.transmission_id, "VZCZCXRO2779");
  set(&c->header.routing, "PP RUEHDBU\nRUEHFL");
  set(&c->header.de, "RUEHTA #3065/01 2401138");
  set(&c->header.security, "ZNY CCCCC ZZH");
  set(&c->header.precedence, "P");
  set(&c->header.dtg, "281138Z AUG 06");
  set(&c->header.from, "AMEMBASSY ALMATY");
  add_recipient(&c->header.to, "RUEHC", "SECSTATE WASHDC", "PRIORITY", "6738", NULL);
  add_recipient(&c->header.info, NULL, "CIS COLLECTIVE", NULL, NULL, "AMEMBASSY SOFIA");
  set(&c->subject, "");
  struct cx_reference *rf = cx_references_add(&c->references);
  assert_non_null(rf);
  set(&rf->letter, "A");
  set(&rf->text, "STATE 124823");
  rf->kind = CX_REF_CABLE;
  set(&rf->cable_id, "07STATE124823");
  rf = cx_references_add(&c->references);
  assert_non_null(rf);
  set(&rf->text, "GUHA-CARTER E-MAIL (07SEP07)");
  rf->kind = CX_REF_EMAIL;
  c->has_classified_by = true;
  set(&c->classified_by.text, "Classified By: Ambassador John Ordway, Reasons 1.4 (b) and (d)");
  assert_int_equal(cx_strv_push(&c->classified_by.names, "AMBASSADOR JOHN ORDWAY"), CX_OK);
  set(&c->classified_by.reasons, "1.4 (B) AND (D)");
  c->has_declassify = true;
  set(&c->declassify.text, "E.O. 12958: DECL: 08/28/2016");
  set(&c->declassify.date, "2016-08-28");
  c->sipdis = true;
  c->sections = 2;
  set(&c->signer, "ORDWAY");
  struct cx_paragraph *p = cx_paragraphs_add(&c->paragraphs);
  assert_non_null(p);
  set(&p->number, "1");
  set(&p->marking, "C");
  set(&p->text, "page\fbreak, bell\x01, escape\x1b[0m, unit\x1f, del\x7f, nonchar \xEF\xBF\xBE"
                "\xEF\xBF\xBF, U+FFFD \xEF\xBF\xBD");
  p = cx_paragraphs_add(&c->paragraphs);
  assert_non_null(p);
  set(&p->text, "");
  set(&c->header_text, "VZCZCXRO2779\r\nPP RUEHDBU\r\n\r\n");
  set(&c->body, "  leading blanks\n\ttab\r\rCR alone\n\ntrailing  \n");
  set(&c->source.format, "raw");
  set(&c->source.path, "in/a&b.txt");
  c->extra.kind = CX_VALUE_OBJECT;
  put_text(&c->extra, "price", CX_VALUE_NUMBER, "1.50");
  put_text(&c->extra, "big", CX_VALUE_NUMBER, "-12345678901234567890e-3");
  put_text(&c->extra, "key \"with\" <markup> & tab\t nl\n", CX_VALUE_STRING, "v\x02");
  put_text(&c->extra, "ctl\x01key", CX_VALUE_STRING, "");
  put_text(&c->extra, "", CX_VALUE_STRING, "empty key");
  struct cx_value *arr = cx_value_put(&c->extra, "list");
  assert_non_null(arr);
  arr->kind = CX_VALUE_ARRAY;
  assert_non_null(cx_value_append(arr)); /* null */
  cx_value_append(arr)->kind = CX_VALUE_TRUE;
  cx_value_append(arr)->kind = CX_VALUE_FALSE;
  struct cx_value *o = cx_value_append(arr);
  o->kind = CX_VALUE_OBJECT;
  put_text(o, "nested", CX_VALUE_STRING, "x");
  struct cx_value *e = cx_value_put(o, "empty");
  e->kind = CX_VALUE_ARRAY;
  cx_value_append(arr)->kind = CX_VALUE_OBJECT; /* {} */
  return c;
}

/* A cable with only what the model requires: everything else absent. */
static struct cx_cable *bare_cable(const char *id) {
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  if (id) set(&c->id, id);
  c->extra.kind = CX_VALUE_OBJECT;
  return c;
}

/* Writes the cables, reads them back, and checks that nothing changed. */
static void roundtrip(struct cx_cable **cables, size_t n, const char *name) {
  int code;
  const char *path = write_cables(name, cables, n, &code);
  assert_int_equal(code, CX_OK);
  assert_valid(path);
  size_t len;
  char *data = try_read_file(path, &len);
  assert_non_null(data);
  struct result r;
  read_mem(data, len, NULL, &r);
  free(data);
  assert_int_equal(r.n, n);
  for (size_t i = 0; i < n; i++) {
    assert_int_equal(r.code[i], CX_OK);
    assert_true(cx_cable_equal(cables[i], r.cable[i]));
    const char *a[] = {cables[i]->source.format, cables[i]->source.path, cables[i]->source.entry};
    const char *b[] = {r.cable[i]->source.format, r.cable[i]->source.path,
                       r.cable[i]->source.entry};
    for (int k = 0; k < 3; k++) {
      assert_true((a[k] == NULL) == (b[k] == NULL));
      if (a[k]) assert_string_equal(a[k], b[k]);
    }
  }
  result_free(&r);
}

/* ---- writer ---- */

/* The exact document for the full cable: field order, escapes, layout. */
static void test_writer_exact(void **state) {
  (void)state;
  struct cx_cable *c = full_cable();
  int code;
  const char *path = write_cables("full.xml", &c, 1, &code);
  assert_int_equal(code, CX_OK);
  char *got = try_read_file(path, NULL);
  assert_non_null(got);
  if (getenv("CABLEX_REGEN")) { /* CABLEX_REGEN=1 rewrites the fixture (then look at it) */
    FILE *f = fopen(data_file("xml", "full.xml"), "wb");
    assert_non_null(f);
    fputs(got, f);
    fclose(f);
  }
  char *want = try_read_file(data_file("xml", "full.xml"), NULL);
  assert_non_null(got);
  assert_non_null(want);
  assert_string_equal(got, want);
  /* the escapes the format defines */
  assert_non_null(strstr(got, "page<c code=\"0C\"/>break, bell<c code=\"01\"/>, escape<c "
                              "code=\"1B\"/>[0m"));
  assert_non_null(strstr(got, "nonchar <c code=\"FFFE\"/><c code=\"FFFF\"/>"));
  assert_non_null(strstr(got, "VZCZCXRO2779&#13;\nPP RUEHDBU&#13;\n&#13;\n"));
  assert_non_null(strstr(got, "a &lt; b &amp; c &gt; d \"q\" 'a' ]]&gt;"));
  assert_non_null(strstr(got, "<member key=\"key &quot;with&quot; &lt;markup&gt; &amp; "
                              "tab&#9; nl&#10;\">"));
  assert_non_null(strstr(got, "<member><key>ctl<c code=\"01\"/>key</key><string/>") ||
                  strstr(got, "<member><key>ctl<c code=\"01\"/>key</key><string></string>"));
  assert_non_null(strstr(got, "<number>1.50</number>"));
  assert_valid(path);
  free(got);
  free(want);
  cx_cable_free(c);
}

/* Absent values leave their element out; lists and extra are always there. */
static void test_writer_bare(void **state) {
  (void)state;
  struct cx_cable *c = bare_cable(NULL);
  const char *path = write_cables("bare.xml", &c, 1, NULL);
  char *got = try_read_file(path, NULL);
  assert_non_null(got);
  assert_string_equal(got, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cables xmlns=\"" XMLP_NS
                           "\" model_version=\"1\">\n"
                           "  <cable>\n"
                           "    <tags/>\n"
                           "    <references/>\n"
                           "    <sipdis>false</sipdis>\n"
                           "    <paragraphs/>\n"
                           "    <source>\n"
                           "    </source>\n"
                           "    <extra/>\n"
                           "  </cable>\n"
                           "</cables>\n");
  assert_valid(path);
  free(got);
  cx_cable_free(c);
}

/* No cable: still one valid document. */
static void test_writer_empty(void **state) {
  (void)state;
  const char *path = write_cables("none.xml", NULL, 0, NULL);
  assert_valid(path);
  struct result r;
  char *data = try_read_file(path, NULL);
  read_str(data, &r);
  assert_int_equal(r.n, 0);
  free(data);
}

/* Bytes that are not UTF-8 become U+FFFD with a warning; numbers that are
 * not JSON numbers become strings with a warning; the output stays valid. */
static void test_writer_warnings(void **state) {
  (void)state;
  struct cx_cable *c = bare_cable("X1");
  set(&c->body, "bad \xC3 byte \xFF end");
  put_text(&c->extra, "n", CX_VALUE_NUMBER, "0x1F");
  int code;
  const char *path = write_cables("warn.xml", &c, 1, &code);
  assert_int_equal(code, CX_WARN);
  char *got = try_read_file(path, NULL);
  assert_non_null(strstr(got, "bad \xEF\xBF\xBD byte \xEF\xBF\xBD end"));
  assert_non_null(strstr(got, "<member key=\"n\"><string>0x1F</string></member>"));
  assert_valid(path);
  free(got);
  cx_cable_free(c);
}

/* ---- round trips ---- */

static void test_roundtrip_full(void **state) {
  (void)state;
  struct cx_cable *c[3] = {full_cable(), bare_cable(NULL), bare_cable("07XXTEST2213")};
  roundtrip(c, 3, "rt.xml");
  for (int i = 0; i < 3; i++)
    cx_cable_free(c[i]);
}

/* Every byte 0x01..0x1F and 0x7F, alone and in runs, in text and in keys. */
static void test_roundtrip_controls(void **state) {
  (void)state;
  struct cx_cable *c = bare_cable("CTL");
  char s[3 * 32 + 1];
  size_t n = 0;
  for (int b = 1; b < 0x20; b++) {
    s[n++] = (char)b;
    s[n++] = 'x';
  }
  s[n++] = 0x7f;
  s[n] = '\0';
  set(&c->body, s);
  set(&c->title, "\f");
  put_text(&c->extra, s, CX_VALUE_STRING, s);
  roundtrip(&c, 1, "ctl.xml");
  cx_cable_free(c);
}

/* extra 2000 levels deep (arrays in objects in arrays ...) comes back. */
static void test_roundtrip_deep_extra(void **state) {
  (void)state;
  struct cx_cable *c = bare_cable("DEEP");
  struct cx_value *v = cx_value_put(&c->extra, "d");
  for (int i = 0; i < 2000; i++) {
    if (i % 2) {
      v->kind = CX_VALUE_OBJECT;
      v = cx_value_put(v, "k");
    } else {
      v->kind = CX_VALUE_ARRAY;
      v = cx_value_append(v);
    }
    assert_non_null(v);
  }
  assert_int_equal(cx_value_set_text(v, CX_VALUE_NUMBER, "7", 1), CX_OK);
  roundtrip(&c, 1, "deep.xml");
  cx_cable_free(c);
}

/* A body far bigger than the reader's 64 KiB chunks, with escapes across
 * chunk borders. */
static void test_roundtrip_big_body(void **state) {
  (void)state;
  struct cx_cable *c = bare_cable("BIG");
  size_t n = 3 << 20;
  char *b = malloc(n + 1);
  assert_non_null(b);
  for (size_t i = 0; i < n; i++)
    b[i] = "ab<&\f\r\n\x1b xyz"[i % 13];
  b[n] = '\0';
  set(&c->body, b);
  free(b);
  roundtrip(&c, 1, "big.xml");
  cx_cable_free(c);
}

/* ---- reader: what it accepts ---- */

/* A hand-written document: another layout (no indentation, CDATA, char
 * references, comments, PIs), the key element, U+FFFE from an escape. */
static void test_reader_lenient_layout(void **state) {
  (void)state;
  struct result r;
  read_str("<?xml version='1.0' encoding='UTF-8'?><!-- c --><?pi x?>"
           "<x:cables xmlns:x='" XMLP_NS "' model_version='1'>"
           "<x:cable><x:id>A<![CDATA[<b>&]]>&#x41;<x:c code='0C'/><x:c code='FFFE'/></x:id>"
           "<x:sipdis>true</x:sipdis><x:sections>3</x:sections>"
           "<x:extra><x:member><x:key>k<x:c code='1F'/></x:key><x:number>-0.5e+3</x:number>"
           "</x:member></x:extra></x:cable></x:cables>",
           &r);
  assert_int_equal(r.n, 1);
  assert_int_equal(r.code[0], CX_OK);
  struct cx_cable *c = r.cable[0];
  assert_string_equal(c->id, "A<b>&A\f\xEF\xBF\xBE");
  assert_true(c->sipdis);
  assert_int_equal(c->sections, 3);
  assert_false(c->has_header);
  assert_null(c->body);
  const struct cx_value *v = cx_value_get(&c->extra, "k\x1f");
  assert_non_null(v);
  assert_int_equal(v->kind, CX_VALUE_NUMBER);
  assert_string_equal(v->text, "-0.5e+3");
  result_free(&r);
}

static void test_probe(void **state) {
  (void)state;
  const char *ours = HEAD MIN_CABLE("A") TAIL;
  assert_int_equal(xmlp_probe((const unsigned char *)ours, strlen(ours), "x"), 95);
  const char *bom = "\xEF\xBB\xBF  <cables xmlns=\"" XMLP_NS "\" model_version=\"1\"/>";
  assert_int_equal(xmlp_probe((const unsigned char *)bom, strlen(bom), "x"), 95);
  const char *other = "<?xml version=\"1.0\"?><html/>";
  assert_int_equal(xmlp_probe((const unsigned char *)other, strlen(other), "x"), 40);
  const char *json = "{\"id\": \"<cables\"}";
  assert_int_equal(xmlp_probe((const unsigned char *)json, strlen(json), "x"), 0);
  assert_int_equal(xmlp_probe((const unsigned char *)"", 0, "x"), 0);
  const char *raw = "Identifier\nCreated\n";
  assert_int_equal(xmlp_probe((const unsigned char *)raw, strlen(raw), "x"), 0);
}

/* ---- reader: refused documents ---- */

static void expect_fatal_after(const char *doc, size_t ok, const char *msg_part,
                               unsigned long line) {
  struct result r;
  read_str(doc, &r);
  assert_int_equal(r.ok, ok);
  assert_int_equal(r.fatal, 1);
  assert_int_equal(r.code[r.n - 1], CX_FATAL);
  if (!strstr(r.msg[r.n - 1], msg_part)) fail_msg("message \"%s\"", r.msg[r.n - 1]);
  if (line) assert_int_equal(r.line[r.n - 1], line);
  result_free(&r);
}

static void test_refuse_entity_bomb(void **state) {
  (void)state;
  expect_fatal_after("<?xml version=\"1.0\"?>\n"
                     "<!DOCTYPE lolz [\n"
                     " <!ENTITY lol \"lol\">\n"
                     " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                     " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
                     " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
                     "]>\n"
                     "<cables xmlns=\"" XMLP_NS "\" model_version=\"1\"><cable><id>&lol4;</id>"
                     "</cable></cables>\n",
                     0, "DOCTYPE", 2);
}

/* An external entity naming a file that exists: refused, never read. */
static void test_refuse_external_entity(void **state) {
  (void)state;
  char secret[256], doc[1024];
  snprintf(secret, sizeof secret, "%s/secret.txt", tmpdir);
  FILE *f = fopen(secret, "w");
  assert_non_null(f);
  fputs("TOP-SECRET-CONTENT-42", f);
  fclose(f);
  snprintf(doc, sizeof doc,
           "<?xml version=\"1.0\"?>\n<!DOCTYPE cables [ <!ENTITY xxe SYSTEM \"file://%s\"> ]>\n"
           "<cables xmlns=\"" XMLP_NS "\" model_version=\"1\"><cable><id>&xxe;</id><body>&xxe;"
           "</body></cable></cables>\n",
           secret);
  struct result r;
  read_str(doc, &r);
  assert_int_equal(r.ok, 0);
  assert_int_equal(r.fatal, 1);
  assert_null(strstr(r.msg[0], "TOP-SECRET"));
  result_free(&r);
  /* without a DOCTYPE, an entity reference is only an undefined entity */
  expect_fatal_after(HEAD "<cable><id>&xxe;</id></cable>" TAIL, 0, "undefined entity", 3);
}

static void test_refuse_deep_nesting(void **state) {
  (void)state;
  size_t levels = 100000;
  char *doc = malloc(strlen(HEAD) + levels * 20 + 64);
  assert_non_null(doc);
  char *p = doc + sprintf(doc, "%s<cable><extra><member key='a'>", HEAD);
  for (size_t i = 0; i < levels; i++)
    p += sprintf(p, "<array>");
  strcpy(p, "</cables>");
  expect_fatal_after(doc, 0, "nested deeper than", 0);
  free(doc);
}

/* Cut anywhere: the cables before the cut come out, then one fatal error. */
static void test_refuse_truncated(void **state) {
  (void)state;
  const char *doc = HEAD MIN_CABLE("A") MIN_CABLE("B") "<cable><id>C</id><body>half";
  expect_fatal_after(doc, 2, "ends inside <body>", 5);
  char buf[4096];
  snprintf(buf, sizeof buf, "%s%s", HEAD, MIN_CABLE("A"));
  size_t full = strlen(buf);
  for (size_t cut = 1; cut < full; cut++) {
    struct result r;
    read_mem(buf, cut, NULL, &r);
    if (r.fatal != 1) fail_msg("cut at %zu: %zu results", cut, r.n);
    assert_int_equal(r.ok, cut >= full - 1 ? 1 : 0); /* complete once </cable> is in */
    result_free(&r);
  }
}

static void test_refuse_roots(void **state) {
  (void)state;
  expect_fatal_after("<?xml version=\"1.0\"?>\n<html><cable/></html>", 0,
                     "root element is <html> (no namespace)", 2);
  expect_fatal_after("<cables model_version=\"1\"/>", 0, "root element is <cables>", 1);
  expect_fatal_after("<cables xmlns=\"urn:other\" model_version=\"1\"/>", 0,
                     "root element is <{urn:other}cables>", 1);
  expect_fatal_after("<cables xmlns=\"" XMLP_NS "\" model_version=\"2\"/>", 0,
                     "model_version \"2\"", 1);
  expect_fatal_after("<cable xmlns=\"" XMLP_NS "\"/>", 0, "root element is <cable>", 1);
  expect_fatal_after("", 0, "no element found", 0);
  expect_fatal_after(HEAD TAIL "<cables/>", 0, "junk after document element", 4);
}

static void test_refuse_invalid_utf8(void **state) {
  (void)state;
  expect_fatal_after(HEAD MIN_CABLE("A") "<cable><id>bad \xC3\x28</id></cable>" TAIL, 1,
                     "invalid token", 4);
  expect_fatal_after(HEAD "<cable><id>\xEF\xBF\xBE</id></cable>" TAIL, 0, "invalid token", 3);
  expect_fatal_after(HEAD "<cable><id>a\x01</id></cable>" TAIL, 0, "invalid token", 3);
}

/* ---- reader: lost cables, the others go on ---- */

static void expect_failed(const char *cable_xml, const char *msg_part) {
  char doc[8192];
  snprintf(doc, sizeof doc, "%s%s%s%s%s", HEAD, MIN_CABLE("A"), cable_xml, MIN_CABLE("B"), TAIL);
  struct result r;
  read_str(doc, &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[0], CX_OK);
  assert_string_equal(r.cable[0]->id, "A");
  assert_int_equal(r.code[1], CX_FAILED);
  if (!strstr(r.msg[1], msg_part)) fail_msg("message \"%s\"", r.msg[1]);
  assert_int_equal(r.line[1], 4);
  assert_int_equal(r.code[2], CX_OK);
  assert_string_equal(r.cable[2]->id, "B");
  result_free(&r);
}

static void test_failed_cables(void **state) {
  (void)state;
  expect_failed("<cable><id>X</id><bogus/></cable>\n", "unknown element <bogus> in <cable>");
  expect_failed("<cable><header><to><recipient><nme>X</nme></recipient></to></header></cable>\n",
                "unknown element <nme> in <recipient>");
  expect_failed("<cable><id>X</id><id>Y</id></cable>\n", "<id> given twice");
  expect_failed("<cable><created>2008-03-14</created></cable>\n", "not a date");
  expect_failed("<cable><declassify><date>08/28/2016</date></declassify></cable>\n", "not a date");
  expect_failed("<cable><sipdis>yes</sipdis></cable>\n", "not true or false");
  expect_failed("<cable><sections>0</sections></cable>\n", "not an integer");
  expect_failed("<cable><sections>99999999999</sections></cable>\n", "not an integer");
  expect_failed("<cable><references><reference><kind>fax</kind></reference></references>"
                "</cable>\n",
                "not cable, email or other");
  expect_failed("<cable><id>a<c code='0A'/></id></cable>\n", "not a code");
  expect_failed("<cable><id>a<c code='00'/></id></cable>\n", "not a code");
  expect_failed("<cable><id>a<c/></id></cable>\n", "not a code");
  expect_failed("<cable><id>a<b/></id></cable>\n", "unknown element <b> in <id>");
  expect_failed("<cable><tags>x</tags></cable>\n", "text in <tags>");
  expect_failed("<cable><extra><member key='a'><null/></member><member key='a'><true/>"
                "</member></extra></cable>\n",
                "key \"a\" twice");
  expect_failed("<cable><extra><member><null/></member></extra></cable>\n", "has no key");
  expect_failed("<cable><extra><member key='a'/></extra></cable>\n", "without a value");
  expect_failed("<cable><extra><member key='a'><null/><null/></member></extra></cable>\n",
                "more than one value");
  expect_failed("<cable><extra><member key='a'><number>1.</number></member></extra></cable>\n",
                "not a JSON number");
  expect_failed("<cable><extra><member key='a'><null>x</null></member></extra></cable>\n",
                "text in <null>");
}

/* A cable whose error is deep inside names the cable's first line too. */
static void test_failed_message_place(void **state) {
  (void)state;
  struct result r;
  read_str(HEAD "<cable>\n<id>A</id>\n<bogus/>\n</cable>" TAIL, &r);
  assert_int_equal(r.n, 1);
  assert_int_equal(r.code[0], CX_FAILED);
  assert_int_equal(r.line[0], 5);
  assert_non_null(strstr(r.msg[0], "in the cable starting on line 3"));
  result_free(&r);
}

/* Foreign elements are skipped with a warning; the cable converts. */
static void test_foreign_skipped(void **state) {
  (void)state;
  struct result r;
  read_str(HEAD "<o:note xmlns:o='urn:o'><cable><id>no</id></cable></o:note>\n"
                "<cable><id>A</id><o:x xmlns:o='urn:o'><o:y>z</o:y></o:x></cable>\n" TAIL,
           &r);
  assert_int_equal(r.n, 1);
  assert_int_equal(r.code[0], CX_OK);
  assert_string_equal(r.cable[0]->id, "A");
  assert_int_equal(r.warnings, 2);
  result_free(&r);
  /* an unknown element of ours between cables: reported, skipped */
  read_str(HEAD "<cabel><id>X</id></cabel>\n" MIN_CABLE("B") TAIL, &r);
  assert_int_equal(r.n, 2);
  assert_int_equal(r.code[0], CX_FAILED);
  assert_non_null(strstr(r.msg[0], "unknown element <cabel>"));
  assert_int_equal(r.code[1], CX_OK);
  result_free(&r);
}

/* max-cable-size: a cable larger is lost, the next one converts. */
static void test_oversize(void **state) {
  (void)state;
  size_t n = 300000;
  char *doc = malloc(n + 1024);
  assert_non_null(doc);
  if (!doc) return; /* for the compiler: assert_non_null is not noreturn */
  char *p = doc + sprintf(doc, "%s%s<cable><body>", HEAD, MIN_CABLE("A"));
  memset(p, 'x', n);
  p += n;
  sprintf(p, "</body></cable>\n%s%s", MIN_CABLE("B"), TAIL);
  struct result r;
  read_mem(doc, strlen(doc), "100K", &r);
  assert_int_equal(r.n, 3);
  assert_int_equal(r.code[0], CX_OK);
  assert_int_equal(r.code[1], CX_FAILED);
  assert_non_null(strstr(r.msg[1], "max-cable-size"));
  assert_int_equal(r.code[2], CX_OK);
  assert_string_equal(r.cable[2]->id, "B");
  result_free(&r);
  /* the same cable fits the default limit */
  read_mem(doc, strlen(doc), NULL, &r);
  assert_int_equal(r.ok, 3);
  assert_int_equal(strlen(r.cable[1]->body), n);
  result_free(&r);
  /* a comment longer than the limit: expat would keep it whole */
  p = doc + sprintf(doc, "%s<!--", HEAD);
  memset(p, 'x', n);
  strcpy(p + n, "-->" TAIL);
  read_mem(doc, strlen(doc), "100K", &r);
  assert_int_equal(r.fatal, 1);
  assert_non_null(strstr(r.msg[0], "token longer than max-cable-size"));
  result_free(&r);
  free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_writer_exact),          cmocka_unit_test(test_writer_bare),
      cmocka_unit_test(test_writer_empty),          cmocka_unit_test(test_writer_warnings),
      cmocka_unit_test(test_roundtrip_full),        cmocka_unit_test(test_roundtrip_controls),
      cmocka_unit_test(test_roundtrip_deep_extra),  cmocka_unit_test(test_roundtrip_big_body),
      cmocka_unit_test(test_reader_lenient_layout), cmocka_unit_test(test_probe),
      cmocka_unit_test(test_refuse_entity_bomb),    cmocka_unit_test(test_refuse_external_entity),
      cmocka_unit_test(test_refuse_deep_nesting),   cmocka_unit_test(test_refuse_truncated),
      cmocka_unit_test(test_refuse_roots),          cmocka_unit_test(test_refuse_invalid_utf8),
      cmocka_unit_test(test_failed_cables),         cmocka_unit_test(test_failed_message_place),
      cmocka_unit_test(test_foreign_skipped),       cmocka_unit_test(test_oversize),
  };
  return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
