/* test_csv.c - the csv plugin: field helpers, reading the cables.csv layout
 * (escapes, CRLF and LF, newlines inside fields, a body over 64 KiB, empty
 * fields the telegram fills), broken rows with resynchronisation, writing
 * back byte for byte, RFC 4180 out and back in, and the probe.  Fixtures
 * are in tests/data/csv (written for these tests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "csv_plugin.h"
#include "cablex/options.h"
#include "test_files.h"

static char last_warning[CX_MSG_MAX];
static unsigned warnings;

static void on_warning(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user, (void)ctx, (void)code;
  snprintf(last_warning, sizeof last_warning, "%s", msg);
  warnings++;
}

static void ctx_init(struct cx_ctx *ctx) {
  memset(ctx, 0, sizeof *ctx);
  ctx->file = "test";
  ctx->report = on_warning;
  last_warning[0] = '\0';
  warnings = 0;
}

/* One reader_next result. */
struct got {
  int rc;
  struct cx_cable *c;
  unsigned long line; /* ctx.line after a failure */
  char msg[CX_MSG_MAX];
};

/* Reads every row of data; returns how many calls did not give CX_EOF. */
static size_t read_all(const char *data, size_t len, const struct cx_options *opts, struct got *out,
                       size_t max) {
  struct cx_ctx ctx;
  ctx_init(&ctx);
  struct cx_istream *in = cx_istream_open_mem(data, len, "test", &ctx);
  assert_non_null(in);
  void *st = NULL;
  assert_int_equal(csvp_reader_open(in, opts, &ctx, &st), CX_OK);
  size_t n = 0;
  for (size_t guard = 0; guard < 64; guard++) {
    struct cx_cable *c = NULL;
    int rc = csvp_reader_next(st, &ctx, &c);
    if (rc == CX_EOF) break;
    assert_true(n < max);
    out[n].rc = rc;
    out[n].c = c;
    out[n].line = ctx.line;
    snprintf(out[n].msg, sizeof out[n].msg, "%s", ctx.msg);
    n++;
    if (rc == CX_FATAL) break;
  }
  csvp_reader_close(st);
  cx_istream_close(in);
  return n;
}

static void free_all(struct got *g, size_t n) {
  for (size_t i = 0; i < n; i++)
    cx_cable_free(g[i].c);
}

/* Writes the cables with the csv writer (options opts); returns the bytes. */
static char *write_all(struct cx_cable **cs, size_t n, const struct cx_options *opts, size_t *len) {
  char dir[] = "/tmp/cx_test_csv_XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[128];
  snprintf(path, sizeof path, "%s/out.csv", dir);
  struct cx_ctx ctx;
  ctx_init(&ctx);
  struct cx_ostream *out = cx_ostream_open(path, &ctx);
  assert_non_null(out);
  void *st = NULL;
  assert_int_equal(csvp_writer_open(out, opts, &ctx, &st), CX_OK);
  for (size_t i = 0; i < n; i++) {
    int rc = csvp_writer_write(st, cs[i], &ctx);
    assert_true(rc == CX_OK || rc == CX_WARN);
  }
  assert_int_equal(csvp_writer_close(st, &ctx), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  char *data = read_file(path, len);
  unlink(path);
  rmdir(dir);
  return data;
}

/* Reads data (all rows must convert) and writes it back: same bytes. */
static void assert_roundtrip_bytes(const char *data, size_t len, size_t rows) {
  struct got g[16];
  size_t n = read_all(data, len, NULL, g, 16);
  assert_int_equal(n, rows);
  struct cx_cable *cs[16];
  for (size_t i = 0; i < n; i++) {
    if (g[i].rc != CX_OK && g[i].rc != CX_WARN) fail_msg("row %zu: %s", i + 1, g[i].msg);
    cs[i] = g[i].c;
  }
  size_t olen;
  char *out = write_all(cs, n, NULL, &olen);
  if (olen != len || memcmp(out, data, len)) {
    size_t k = 0;
    while (k < olen && k < len && out[k] == data[k])
      k++;
    fail_msg("written back differently from byte %zu: \"%.40s\" vs \"%.40s\"", k, out + k,
             data + k);
  }
  free(out);
  free_all(g, n);
}

static const char *extra_str(const struct cx_cable *c, const char *obj, const char *key) {
  const struct cx_value *o = obj ? cx_value_get(&c->extra, obj) : &c->extra;
  const struct cx_value *v = cx_value_get(o, key);
  return v ? v->text : NULL;
}

/* ---- helpers ---- */

static void test_dates(void **state) {
  (void)state;
  char iso[20];
  assert_true(csvp_date_to_iso("12/28/1966 18:48", 16, iso));
  assert_string_equal(iso, "1966-12-28T18:48:00");
  assert_true(csvp_date_to_iso("2/25/1972 9:30", 14, iso));
  assert_string_equal(iso, "1972-02-25T09:30:00");
  assert_true(csvp_date_to_iso("02/29/2008 09:05", 16, iso)); /* leap day, leading zeros */
  assert_string_equal(iso, "2008-02-29T09:05:00");
  assert_false(csvp_date_to_iso("2/29/2007 9:30", 14, iso)); /* no such day */
  assert_false(csvp_date_to_iso("13/1/2007 9:30", 14, iso));
  assert_false(csvp_date_to_iso("1/1/2007 24:00", 14, iso));
  assert_false(csvp_date_to_iso("1/1/2007 9:5", 12, iso));
  assert_false(csvp_date_to_iso("1/1/07 9:30", 11, iso));
  assert_false(csvp_date_to_iso("1/1/2007 9:30 ", 14, iso));
  assert_false(csvp_date_to_iso("2007-01-01 09:30", 16, iso));

  struct cx_buf b;
  cx_buf_init(&b, 64);
  assert_int_equal(csvp_date_render(&b, "1966-12-28T18:48:00"), CX_OK);
  assert_string_equal(b.data, "12/28/1966 18:48");
  cx_buf_reset(&b);
  assert_int_equal(csvp_date_render(&b, "1972-02-05T09:03:00"), CX_OK);
  assert_string_equal(b.data, "2/5/1972 9:03");
  cx_buf_reset(&b);
  assert_int_equal(csvp_date_render(&b, "1972-02-05T09:03:59"), CX_WARN);
  assert_string_equal(b.data, "2/5/1972 9:03");
  cx_buf_reset(&b);
  assert_int_equal(csvp_date_render(&b, "1972-02-05T09:03"), CX_OK);
  assert_int_equal(csvp_date_render(&b, "yesterday"), CX_FAILED);
  cx_buf_free(&b);
}

static void test_escapes(void **state) {
  (void)state;
  struct cx_buf b;
  cx_buf_init(&b, 256);
  const char plain[] = "HE SAID \"IT'S C:\\TEMP\"";
  assert_int_equal(csvp_escape(&b, plain, strlen(plain), CSVP_CABLEGATE), CX_OK);
  assert_string_equal(b.data, "HE SAID \\\"IT\\'S C:\\\\TEMP\\\"");
  char esc[64];
  snprintf(esc, sizeof esc, "%s", b.data);
  cx_buf_reset(&b);
  bool canon = false;
  assert_int_equal(csvp_unescape(&b, esc, strlen(esc), CSVP_CABLEGATE, &canon), CX_OK);
  assert_string_equal(b.data, plain);
  assert_true(canon);

  /* undefined escapes and bare apostrophes stay, but are not canonical */
  cx_buf_reset(&b);
  assert_int_equal(csvp_unescape(&b, "C:\\NEW", 6, CSVP_CABLEGATE, &canon), CX_OK);
  assert_string_equal(b.data, "C:\\NEW");
  assert_false(canon);
  cx_buf_reset(&b);
  assert_int_equal(csvp_unescape(&b, "IT'S", 4, CSVP_CABLEGATE, &canon), CX_OK);
  assert_string_equal(b.data, "IT'S");
  assert_false(canon);

  /* RFC 4180: "" only; a backslash is a byte like any other */
  cx_buf_reset(&b);
  assert_int_equal(csvp_escape(&b, plain, strlen(plain), CSVP_RFC4180), CX_OK);
  assert_string_equal(b.data, "HE SAID \"\"IT'S C:\\TEMP\"\"");
  cx_buf_reset(&b);
  assert_int_equal(csvp_unescape(&b, "A \"\"B\"\" C\\D", 12, CSVP_RFC4180, &canon), CX_OK);
  assert_string_equal(b.data, "A \"B\" C\\D");
  cx_buf_free(&b);

  assert_string_equal(csvp_telegram_separator("A\r\nB", 4), "\r\n\r\n");
  assert_string_equal(csvp_telegram_separator("A\nB", 3), "\n\n");
  assert_int_equal(csvp_header_field_len("AB\r\n\r\n", 6), 2);
  assert_int_equal(csvp_header_field_len("AB\n\n\n", 5), 3);
  assert_int_equal(csvp_header_field_len("AB\n", 3), 3);
  assert_string_equal(csvp_default_eol("A\r\n", "B\n"), "\r\n");
  assert_string_equal(csvp_default_eol("A\n", NULL), "\n");
}

static void test_row_starts(void **state) {
  (void)state;
  assert_true(csvp_starts_row("\"12\",\"1/1/2000 0:00\"", 20, CSVP_CABLEGATE));
  assert_false(csvp_starts_row("\"12\",1", 6, CSVP_CABLEGATE));
  assert_false(csvp_starts_row("\"\",\"", 4, CSVP_CABLEGATE));
  assert_false(csvp_starts_row("12,\"x\"", 6, CSVP_CABLEGATE));
  assert_true(csvp_starts_row("12,\"x\"", 6, CSVP_RFC4180));
  assert_true(csvp_starts_row("\"12\",\"x\"", 8, CSVP_RFC4180));
  assert_false(csvp_starts_row("A,B", 3, CSVP_RFC4180));
  const char hdr[] = "sequence,date,id,origin,classification,references,header,body\r\n";
  assert_true(csvp_is_header_row(hdr, strlen(hdr)));
  const char qhdr[] = "\"sequence\",\"date\",\"id\",\"origin\",\"classification\",\"references\","
                      "\"header\",\"body\"\n";
  assert_true(csvp_is_header_row(qhdr, strlen(qhdr)));
  assert_false(csvp_is_header_row("sequence,date,id", 16));
}

static void test_probe(void **state) {
  (void)state;
  const char *row = "\"1\",\"12/28/1966 18:48\",\"66BUENOSAIRES2481\",";
  assert_int_equal(csvp_probe((const unsigned char *)row, strlen(row), "x"), 90);
  const char *bom = "\xef\xbb\xbf\"7\",\"1/2/2003 4:05\",\"";
  assert_int_equal(csvp_probe((const unsigned char *)bom, strlen(bom), "x"), 90);
  const char *hdr = "sequence,date,id,origin,classification,references,header,body\r\n1,";
  assert_int_equal(csvp_probe((const unsigned char *)hdr, strlen(hdr), "x"), 90);
  const char *nodate = "\"1\",\"soon\",\"x\"";
  assert_int_equal(csvp_probe((const unsigned char *)nodate, strlen(nodate), "x"), 0);
  const char *json = "{\"id\":\"1\"}";
  assert_int_equal(csvp_probe((const unsigned char *)json, strlen(json), "x"), 0);
  const char *raw = "VZCZCXRO1\nPP RUEH\n";
  assert_int_equal(csvp_probe((const unsigned char *)raw, strlen(raw), "x"), 0);
}

/* ---- reading ---- */

static void test_read_rows(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("csv", "rows.csv", &len);
  struct got g[8];
  assert_int_equal(read_all(data, len, NULL, g, 8), 3);

  /* row 1: the fields, escapes undone, the telegram parsed */
  struct cx_cable *c = g[0].c;
  assert_int_equal(g[0].rc, CX_OK);
  assert_string_equal(c->id, "07XXTEST12");
  assert_string_equal(c->created, "2007-01-05T12:00:00");
  assert_string_equal(c->origin, "Embassy Riga");
  assert_string_equal(c->classification, "UNCLASSIFIED");
  assert_string_equal(c->subject, "THE MINISTER'S \"NEW\" LINE ON C:\\TEMP");
  assert_string_equal(c->header.from, "AMEMBASSY RIGA");
  assert_string_equal(c->header.dtg, "051200Z JAN 07");
  assert_int_equal(c->tags.n, 2);
  assert_string_equal(c->tags.v[1], "LG");
  /* the header field and a blank line make header_text; the body is the field */
  assert_string_equal(c->header_text, "R 051200Z JAN 07\r\nFM AMEMBASSY RIGA\r\nTO SECSTATE "
                                      "WASHDC 0042\r\nINFO AMEMBASSY TALLINN\r\n\r\n");
  assert_non_null(strstr(c->body, "1. THE MINISTER SAID \"WE'LL SEE\".  A BACKSLASH \\ STAYS"));
  assert_int_equal(strncmp(c->body, "UNCLAS XXTEST 000012 \r\n", 23), 0);
  const struct cx_value *seq = cx_value_get(&c->extra, "csv_sequence");
  assert_int_equal(seq->kind, CX_VALUE_NUMBER);
  assert_string_equal(seq->text, "1");
  const struct cx_value *refs = cx_value_get(&c->extra, "csv_references");
  assert_int_equal(refs->kind, CX_VALUE_ARRAY);
  assert_int_equal(refs->n, 2);
  assert_string_equal(refs->items[0].text, "07XXTEST1001");
  assert_string_equal(refs->items[1].text, "07XXTEST7");
  assert_null(cx_value_get(&c->extra, "csv_verbatim")); /* nothing irregular */
  assert_null(cx_value_get(&c->extra, "csv_filled"));

  /* row 2: no header field, no id: the banner and the date give the id */
  c = g[1].c;
  assert_string_equal(c->id, "07XXTEST123");
  assert_string_equal(extra_str(c, "csv_filled", "id"), "07XXTEST123");
  assert_string_equal(c->header_text, "");
  assert_string_equal(c->subject, "NO HEADER AND NO ID");
  assert_int_equal(cx_value_get(&c->extra, "csv_references")->n, 0);

  /* row 3: a leading-zero date, \N and a bare apostrophe are kept verbatim */
  c = g[2].c;
  assert_string_equal(c->created, "2007-01-05T09:05:00");
  assert_string_equal(extra_str(c, "csv_verbatim", "date"), "01/05/2007 09:05");
  assert_non_null(strstr(c->body, "A PATH C:\\NEW STAYS, A BARE ' STAYS."));
  assert_non_null(extra_str(c, "csv_verbatim", "body"));
  assert_null(extra_str(c, "csv_verbatim", "header"));
  free_all(g, 3);
  free(data);
}

static void test_rows_roundtrip(void **state) {
  (void)state;
  const char *names[] = {"rows.csv", "lf.csv"};
  const size_t rows[] = {3, 2};
  for (int i = 0; i < 2; i++) {
    size_t len;
    char *data = read_data_file("csv", names[i], &len);
    assert_roundtrip_bytes(data, len, rows[i]);
    free(data);
  }
}

static void test_lf_and_last_row(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("csv", "lf.csv", &len);
  struct got g[4];
  assert_int_equal(read_all(data, len, NULL, g, 4), 2);
  assert_string_equal(g[0].c->header_text,
                      "P 101010Z MAR 08\nFM AMEMBASSY OSLO\nTO SECSTATE WASHDC PRIORITY 0001\n\n");
  assert_null(cx_value_get(&g[0].c->extra, "csv_verbatim")); /* LF rows are the LF default */
  /* the date was empty: the DTG fills created, the row stays empty */
  assert_string_equal(g[1].c->created, "2008-03-11T11:11:00");
  assert_string_equal(extra_str(g[1].c, "csv_filled", "date"), "2008-03-11T11:11:00");
  assert_string_equal(extra_str(g[1].c, "csv_verbatim", "eol"), ""); /* no line end */
  assert_string_equal(cx_value_get(&g[1].c->extra, "csv_references")->items[0].text, "08XXTEST1");

  /* an edited cable is written from its new values, not from what was kept */
  cx_set(&g[1].c->created, "2008-03-12T07:00:00");
  struct cx_cable *cs[] = {g[1].c};
  size_t olen;
  char *out = write_all(cs, 1, NULL, &olen);
  assert_non_null(strstr(out, "\"2\",\"3/12/2008 7:00\",\"08XXTEST2\","));
  free(out);
  free_all(g, 2);
  free(data);
}

static void test_broken_rows(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("csv", "broken.csv", &len);
  struct got g[16];
  size_t n = read_all(data, len, NULL, g, 16);
  assert_int_equal(n, 7);
  /* every good row converts, the broken ones fail naming their lines */
  const char *ids[] = {"09XXTEST1", NULL, "09XXTEST3", NULL, "09XXTEST5", NULL, "09XXTEST7"};
  for (size_t i = 0; i < n; i++) {
    if (ids[i]) {
      assert_int_equal(g[i].rc, CX_OK);
      assert_string_equal(g[i].c->id, ids[i]);
      char subject[32];
      snprintf(subject, sizeof subject, "ROW %zu", i + 1);
      assert_string_equal(g[i].c->subject, subject);
    } else {
      assert_int_equal(g[i].rc, CX_FAILED);
      assert_null(g[i].c);
    }
  }
  /* row 2 never closes its body: found when row 3 starts on line 23 */
  assert_non_null(strstr(g[1].msg, "row 09XXTEST2 starting on line 12"));
  assert_non_null(strstr(g[1].msg, "unbalanced quote: field body"));
  assert_int_equal(g[1].line, 22);
  /* row 4 has seven fields */
  assert_non_null(strstr(g[3].msg, "row 09XXTEST4 starting on line 34: 7 fields, not 8"));
  assert_int_equal(g[3].line, 34);
  /* row 6: a quote that is not escaped, on line 53; the junk line after the
   * row is skipped with it, and reading resumes with row 7 */
  assert_non_null(strstr(g[5].msg, "row 09XXTEST6 starting on line 46"));
  assert_non_null(strstr(g[5].msg, "ends field body too early"));
  assert_non_null(strstr(g[5].msg, "reading resumes at line 58"));
  assert_int_equal(g[5].line, 53);
  free_all(g, n);
  free(data);
}

static void test_junk_and_eof(void **state) {
  (void)state;
  /* lines before the first row, and a row cut at the end of the input */
  const char data[] = "some preamble\r\nmore\r\n\"1\",\"1/2/2003 4:05\",\"03X1\",\"o\",\"c\",\"\","
                      "\"\",\"TEXT\"\r\n\"2\",\"1/2/2003 4:05\",\"03X2\",\"o\",\"c\",\"\",\"\","
                      "\"UNFINISHED\r\n";
  struct got g[8];
  assert_int_equal(read_all(data, sizeof data - 1, NULL, g, 8), 3);
  assert_int_equal(g[0].rc, CX_FAILED);
  assert_int_equal(g[0].line, 1);
  assert_non_null(strstr(g[0].msg, "2 lines that start no row"));
  assert_int_equal(g[1].rc, CX_OK);
  assert_string_equal(g[1].c->id, "03X1");
  assert_string_equal(g[1].c->body, "TEXT");
  assert_int_equal(g[2].rc, CX_FAILED);
  assert_non_null(strstr(g[2].msg, "not closed at the end of the input"));
  free_all(g, 3);

  /* a field without quotes in the cablegate layout */
  const char bare[] = "\"1\",\"1/2/2003 4:05\",03X1,\"o\",\"c\",\"\",\"\",\"T\"\n"
                      "\"2\",\"1/2/2003 4:05\",\"03X2\",\"o\",\"c\",\"\",\"\",\"T\"\n";
  assert_int_equal(read_all(bare, sizeof bare - 1, NULL, g, 8), 2);
  assert_int_equal(g[0].rc, CX_FAILED);
  assert_non_null(strstr(g[0].msg, "field id does not start with a quote"));
  assert_string_equal(g[1].c->id, "03X2");
  free_all(g, 2);
}

/* A body over 64 KiB (the largest real ones are about 70 KB), in one line
 * and in many: read whole, written back the same. */
static void test_big_body(void **state) {
  (void)state;
  size_t body = 100000;
  char *data = malloc(body * 2 + 256);
  assert_non_null(data);
  int n = sprintf(data, "\"1\",\"1/2/2003 4:05\",\"03XXTEST1\",\"Embassy Rome\",\"SECRET\",\"\","
                        "\"R 020405Z JAN 03\",\"S E C R E T ROME 000001\r\n");
  size_t len = (size_t)n;
  for (size_t i = 0; i < body; i++)
    data[len++] = i % 80 == 79 ? '\n' : (i % 7 ? 'A' : ' ');
  memcpy(data + len, "\"\r\n", 3);
  len += 3;
  struct got g[2];
  assert_int_equal(read_all(data, len, NULL, g, 2), 1);
  assert_int_equal(g[0].rc, CX_OK);
  assert_true(strlen(g[0].c->body) > 100000);
  free_all(g, 1);
  assert_roundtrip_bytes(data, len, 1);

  /* one line of 100,000 bytes */
  len = (size_t)n;
  memset(data + len, 'B', body);
  len += body;
  memcpy(data + len, "\"\r\n", 3);
  len += 3;
  assert_roundtrip_bytes(data, len, 1);

  /* larger than max-cable-size: that row fails with the limit, the next one reads */
  struct cx_options *opts = cx_options_new();
  assert_int_equal(cx_options_set(opts, "max-cable-size", "64K"), CX_OK);
  const char next[] = "\"2\",\"1/2/2003 4:05\",\"03XXTEST2\",\"o\",\"c\",\"\",\"\",\"SMALL\"\r\n";
  memcpy(data + len, next, sizeof next);
  len += sizeof next - 1;
  struct got g2[4];
  assert_int_equal(read_all(data, len, opts, g2, 4), 2);
  assert_int_equal(g2[0].rc, CX_FAILED);
  assert_non_null(strstr(g2[0].msg, "max-cable-size"));
  assert_non_null(strstr(g2[0].msg, "reading resumes at line 3"));
  assert_int_equal(g2[1].rc, CX_OK);
  assert_string_equal(g2[1].c->id, "03XXTEST2");
  free_all(g2, 2);
  cx_options_free(opts);
  free(data);
}

static void test_invalid_utf8_and_nul(void **state) {
  (void)state;
  const char bad[] = "\"1\",\"1/2/2003 4:05\",\"03X1\",\"o\",\"c\",\"\",\"\",\"A\xff"
                     "B\"\n";
  struct got g[2];
  assert_int_equal(read_all(bad, sizeof bad - 1, NULL, g, 2), 1);
  assert_int_equal(g[0].rc, CX_WARN);
  assert_string_equal(g[0].c->body, "A\xef\xbf\xbd"
                                    "B");
  free_all(g, 1);
  const char nul[] = "\"1\",\"1/2/2003 4:05\",\"03X1\",\"o\",\"c\",\"\",\"\",\"A\0B\"\n"
                     "\"2\",\"1/2/2003 4:05\",\"03X2\",\"o\",\"c\",\"\",\"\",\"AB\"\n";
  assert_int_equal(read_all(nul, sizeof nul - 1, NULL, g, 2), 2);
  assert_int_equal(g[0].rc, CX_FAILED);
  assert_non_null(strstr(g[0].msg, "NUL"));
  assert_string_equal(g[1].c->id, "03X2");
  free_all(g, 2);
}

/* ---- writing ---- */

static void test_rfc4180(void **state) {
  (void)state;
  size_t len;
  char *data = read_data_file("csv", "rows.csv", &len);
  struct got g[4];
  assert_int_equal(read_all(data, len, NULL, g, 4), 3);
  struct cx_cable *cs[] = {g[0].c, g[1].c, g[2].c};
  struct cx_options *opts = cx_options_new();
  assert_int_equal(cx_options_set(opts, "csv-dialect", "rfc4180"), CX_OK);
  size_t olen;
  char *out = write_all(cs, 3, opts, &olen);
  assert_int_equal(
      strncmp(out, "sequence,date,id,origin,classification,references,header,body\r\n", 63), 0);
  assert_non_null(strstr(out, "\"1\",\"1/5/2007 12:00\",\"07XXTEST12\",\"Embassy Riga\","
                              "\"UNCLASSIFIED\",\"07XXTEST1001|07XXTEST7\",\"R 051200Z"));
  assert_non_null(strstr(out, "THE MINISTER'S \"\"NEW\"\" LINE ON C:\\TEMP"));
  assert_null(strstr(out, "\\\"")); /* no backslash escapes */

  /* read back (the header row says which layout): the same cables */
  struct got h[4];
  assert_int_equal(read_all(out, olen, NULL, h, 4), 3);
  for (int i = 0; i < 3; i++) {
    assert_int_equal(h[i].rc, CX_OK);
    assert_string_equal(h[i].c->body, g[i].c->body);
    assert_string_equal(h[i].c->header_text, g[i].c->header_text);
    assert_string_equal(h[i].c->id, g[i].c->id);
    assert_string_equal(h[i].c->created, g[i].c->created);
  }
  free_all(h, 3);
  /* and back to the leaked layout: the original bytes */
  struct got k[4];
  assert_int_equal(read_all(out, olen, NULL, k, 4), 3);
  free(out);
  struct cx_cable *ks[] = {k[0].c, k[1].c, k[2].c};
  out = write_all(ks, 3, NULL, &olen);
  /* row 3's irregular escapes and date came through rfc4180 as plain text,
   * so only rows 1 and 2 are the same bytes */
  size_t two = (size_t)(strstr(data, "\r\n\"3\",") - data) + 2;
  assert_memory_equal(out, data, two);
  free(out);
  free_all(k, 3);

  /* a bad dialect is refused */
  assert_int_equal(cx_options_set(opts, "csv-dialect", "excel"), CX_OK);
  struct cx_ctx ctx;
  ctx_init(&ctx);
  void *st = NULL;
  assert_int_equal(csvp_writer_open(NULL, opts, &ctx, &st), CX_FATAL);
  assert_non_null(strstr(ctx.msg, "excel"));
  cx_options_free(opts);
  free_all(g, 3);
  free(data);
}

/* A cable from another format: sequence counted, references from the REF
 * list, CRLF only when the text has it; what has no field is reported. */
static void test_from_model(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  cx_set(&c->id, "06XXTEST3065");
  cx_set(&c->created, "2006-08-28T11:38:00");
  cx_set(&c->origin, "US Office Almaty");
  cx_set(&c->classification, "CONFIDENTIAL");
  cx_set(&c->title, "A TITLE");
  cx_set(&c->header_text, "P 281138Z AUG 06\nFM AMEMBASSY ALMATY\n\n");
  cx_set(&c->body, "C O N F I D E N T I A L XXTEST 003065\n\nIT'S \"QUOTED\"\n");
  struct cx_reference *r = cx_references_add(&c->references);
  cx_set(&r->cable_id, "06XXTEST1");
  r = cx_references_add(&c->references);
  cx_set(&r->text, "E-MAIL");
  r = cx_references_add(&c->references);
  cx_set(&r->cable_id, "06XXTEST2");
  struct cx_cable *cs[] = {c, c};
  size_t olen;
  warnings = 0;
  char *out = write_all(cs, 2, NULL, &olen);
  const char *want =
      "\"1\",\"8/28/2006 11:38\",\"06XXTEST3065\",\"US Office Almaty\","
      "\"CONFIDENTIAL\",\"06XXTEST1|06XXTEST2\",\"P 281138Z AUG 06\nFM AMEMBASSY "
      "ALMATY\",\"C O N F I D E N T I A L XXTEST 003065\n\nIT\\'S \\\"QUOTED\\\"\n\"\n";
  assert_memory_equal(out, want, strlen(want));
  assert_int_equal(strncmp(out + strlen(want), "\"2\",", 4), 0);
  assert_int_equal(olen, 2 * strlen(want));
  assert_non_null(strstr(last_warning, "title"));
  free(out);
  cx_cable_free(c);
}

/* Reads data as the core reads a part of a larger input: line0 lines
 * before it, added to the place of each message as the core adds it. */
static size_t read_part(const char *data, size_t len, unsigned long line0, struct got *out,
                        size_t max) {
  struct cx_ctx ctx;
  ctx_init(&ctx);
  ctx.line0 = line0;
  struct cx_istream *in = cx_istream_open_mem(data, len, "test", &ctx);
  void *st = NULL;
  assert_int_equal(csvp_reader_open(in, NULL, &ctx, &st), CX_OK);
  size_t n = 0;
  for (;;) {
    struct cx_cable *c = NULL;
    cx_ctx_clear(&ctx);
    int rc = csvp_reader_next(st, &ctx, &c);
    if (rc == CX_EOF) break;
    assert_true(n < max);
    out[n] = (struct got){rc, c, ctx.line ? ctx.line + line0 : 0, ""};
    snprintf(out[n].msg, sizeof out[n].msg, "%s", ctx.msg);
    n++;
  }
  csvp_reader_close(st);
  cx_istream_close(in);
  return n;
}

/* record_split: wherever the input ends for now, a cut it proposes leaves
 * two parts that read as the whole does: the same cables, the same
 * messages with the same line numbers. */
static void assert_cuts_invisible(const char *data, size_t len, const char *want_cut) {
  struct got whole[32], a[32], b[32];
  size_t n = read_part(data, len, 0, whole, 32);
  bool found = !want_cut;
  for (size_t end = 1; end <= len; end++) {
    size_t cut = csvp_split(data, end);
    assert_true(cut <= end);
    if (!cut) continue;
    if (want_cut && data + cut == want_cut) found = true;
    unsigned long line0 = 0;
    for (size_t i = 0; i < cut; i++)
      line0 += data[i] == '\n';
    size_t na = read_part(data, cut, 0, a, 32);
    size_t nb = read_part(data + cut, len - cut, line0, b, 32);
    assert_int_equal(na + nb, n);
    for (size_t i = 0; i < n; i++) {
      const struct got *g = i < na ? &a[i] : &b[i - na];
      assert_int_equal(g->rc, whole[i].rc);
      assert_int_equal(g->line, whole[i].line);
      assert_string_equal(g->msg, whole[i].msg);
      assert_true(!g->c == !whole[i].c);
      if (g->c) assert_string_equal(g->c->body, whole[i].c->body);
    }
    free_all(a, na);
    free_all(b, nb);
  }
  free_all(whole, n);
  assert_true(found);
}

static void test_record_split(void **state) {
  (void)state;
  /* where it cuts: after row 3, whose start ended the broken row 2 */
  const char *names[] = {"rows.csv", "lf.csv", "broken.csv"};
  const char *want[] = {"\n\"3\",\"", "\n\"2\",\"", "\n\"4\",\""};
  for (int i = 0; i < 3; i++) {
    size_t len;
    char *data = read_data_file("csv", names[i], &len);
    const char *at = strstr(data, want[i]);
    assert_non_null(at);
    assert_cuts_invisible(data, len, at + 1);
    free(data);
  }
  /* an escaped newline, a row-start line inside a field, a stray byte, CRLF */
  const char tricky[] = "\xef\xbb\xbfjunk\n\"1\",\"1/2/2003 4:05\",\"03X1\",\"o\",\"c\",\"\",\"\","
                        "\"A\\\n\"2\",\"\"\n\"3\",\"1/2/2003 4:05\",\"03X3\",\"o\",\"c\",\"\",\"\","
                        "\"T\"x\n\"4\",\"1/2/2003 4:05\",\"03X4\",\"o\",\"c\",\"\",\"\",\"T\"\r\n"
                        "\"5\",\"1/2/2003 4:05\",\"03X5\",\"o\",\"c\",\"\",\"\",\"T\"\r\n";
  assert_cuts_invisible(tricky, sizeof tricky - 1, strstr(tricky, "\n\"3\",") + 1);
  /* after the RFC 4180 header row: never cut */
  size_t len;
  char *data = read_data_file("csv", "rows.csv", &len);
  static const char head[] = "sequence,date,id,origin,classification,references,header,body\r\n";
  char *rfc = malloc(sizeof head + len);
  assert_non_null(rfc);
  memcpy(rfc, head, sizeof head - 1);
  memcpy(rfc + sizeof head - 1, data, len);
  assert_true(csvp_split(data, len) > 0);
  assert_int_equal(csvp_split(rfc, sizeof head - 1 + len), 0);
  free(rfc);
  free(data);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dates),
      cmocka_unit_test(test_escapes),
      cmocka_unit_test(test_row_starts),
      cmocka_unit_test(test_probe),
      cmocka_unit_test(test_read_rows),
      cmocka_unit_test(test_rows_roundtrip),
      cmocka_unit_test(test_lf_and_last_row),
      cmocka_unit_test(test_broken_rows),
      cmocka_unit_test(test_junk_and_eof),
      cmocka_unit_test(test_big_body),
      cmocka_unit_test(test_invalid_utf8_and_nul),
      cmocka_unit_test(test_rfc4180),
      cmocka_unit_test(test_from_model),
      cmocka_unit_test(test_record_split),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
