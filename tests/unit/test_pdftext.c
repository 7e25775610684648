/* test_pdftext.c - the pdftext plugin's furniture rules, cleaning, repairs,
 * cut detection, metadata table and probe, on fixtures written for the
 * project (tests/data/pdftext) and strings in this file.  The Abu Dhabi
 * cable whose id comes from its banner is of 2020, a year no Cablegate cable
 * has (tests/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pdftext_plugin.h"
#include "test_files.h"

static struct pdft_rules rules;

static int setup(void **state) {
  (void)state;
  return pdft_rules_init(&rules) == CX_OK ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  pdft_rules_free(&rules);
  return 0;
}

static enum pdft_furniture kind(const char *s) {
  return pdft_line_kind(&rules, s, strlen(s));
}

static void test_line_kinds(void **state) {
  (void)state;
  /* the stamp and what OCR does to it */
  assert_int_equal(kind("UNCLASSIFIED U.S. Department of State Case No. F-2099-00001 Doc No. "
                        "C01234567 Date: 01/02/2099"),
                   PDFT_STAMP);
  assert_int_equal(kind("(01234567 UNCLASSIFIED U.S. Department of State Case No. F-2099-00001 "
                        "Doc No. 001234567 Date: 01/02/2099"),
                   PDFT_STAMP);
  assert_int_equal(kind("C01234567 \xe2\x80\x94 UNCLASSIFIED U.S. Department of State Case No. "
                        "F-2099-00001 Doc No. C01234567 Date: 01/02/2099"),
                   PDFT_STAMP);
  assert_int_equal(kind("___UNCLASSIFIED U.S. Department of State Case No. F-2099-1 Doc No. "
                        "C0123 Date: 1/2/2099 _"),
                   PDFT_STAMP);
  assert_int_equal(kind("UNCLASSIFIED U.S. Department of Slate Case No. F-2099-1 Doc No, "
                        "CO123456 Date: 01/02/2099"),
                   PDFT_STAMP);
  assert_int_equal(kind("UNCLASSIFIED US Deparmnet Slate Case No, F-2099 Duc No, COB123 Date: "
                        "0102099"),
                   PDFT_STAMP);
  assert_int_equal(kind("UNC ASSIFIED U S Department of State Case No F-2099-1 Doc No C0123 "
                        "Date 01 02 2099"),
                   PDFT_STAMP);
  /* release markers and exemption codes */
  assert_int_equal(kind("RELEASE IN PART"), PDFT_RELEASE);
  assert_int_equal(kind("RELEASE IN PART B1,1.4(B),1.4(D)"), PDFT_RELEASE);
  assert_int_equal(kind("  RELEASE IN FULL  "), PDFT_RELEASE);
  assert_int_equal(kind("Date: 01/02/2099 RELEASE IN |"), PDFT_RELEASE);
  assert_int_equal(kind("pecease IN FULL"), PDFT_RELEASE);
  assert_int_equal(kind("B6"), PDFT_CODES);
  assert_int_equal(kind("B5, B6"), PDFT_CODES);
  assert_int_equal(kind("1.4(D)"), PDFT_CODES);
  /* other stamps and PlusD page headers */
  assert_int_equal(kind("A. Person Declassified/Released US Department of State EO Systematic "
                        "Review 01 Jan 2099"),
                   PDFT_REVIEW);
  assert_int_equal(kind("~ Reason: 1.4(D) ~ Declassify on: 01/02/2099"), PDFT_AGENCY);
  assert_int_equal(kind("PAGE 02"), PDFT_PAGE_HEADER);
  /* the cable's own text is not furniture */
  assert_int_equal(kind("CLASSIFIED BY DCM A. PERSON, REASON 1.4 (B) AND (D)"), PDFT_TEXT);
  assert_int_equal(kind("SUBJECT: RELEASE IN PART OF THE FUNDS FOR THE PORT"), PDFT_TEXT);
  assert_int_equal(kind("B1 BOMBERS WILL VISIT"), PDFT_TEXT);
  assert_int_equal(kind("PAGE 02 OF THE REPORT SAYS"), PDFT_TEXT);
  assert_int_equal(kind("THE DEPARTMENT OF STATE CASE NUMBER IS 12"), PDFT_TEXT);
}

/* Cleans s and returns the text (caller frees) with info. */
static char *clean(const char *s, bool pdf, struct pdft_info *info) {
  struct cx_buf out;
  cx_buf_init(&out, 1 << 20);
  assert_int_equal(pdft_clean(&rules, s, strlen(s), pdf, &out, info), CX_OK);
  size_t n;
  char *t = cx_buf_detach(&out, &n);
  return t ? t : calloc(1, 1);
}

static void test_plusd_pages(void **state) {
  (void)state;
  size_t n, m;
  char *in = read_data_file("pdftext", "plusd.txt", &n);
  char *want = read_data_file("pdftext", "plusd.expected", &m);
  struct pdft_info info;
  char *got = clean(in, false, &info);
  assert_string_equal(got, want);
  assert_int_equal(info.pages, 2);
  /* 2 PAGE headers, their 2 reference lines, 4 classification lines, the
   * review stamp */
  assert_int_equal(info.furniture, 9);
  assert_int_equal(info.cut_lines, 0);
  pdft_info_free(&info);
  free(in);
  free(want);
  free(got);
}

static void test_foia_pages(void **state) {
  (void)state;
  const char *in =
      "UNCLASSIFIED U.S. Department of State Case No. F-2099-1 Doc No. C0123 Date: 01/02/2099\n"
      "RELEASE IN PART\nB1\n"
      "O 020203Z MAR 09\nFM AMEMBASSY VIENNA\nTO SECSTATE WASHDC IMMEDIATE 0001\n"
      "C O N F I D E N T I A L VIENNA 000123\n\nSUBJECT: A TEST\n\n1. (C) FIRST PAGE TEXT\n"
      "B6\n1\n"
      "UNCLASSIFIED U.S. Department of State Case No. F-2099-1 Doc No. C0123 Date: 01/02/2099\n"
      "\n\f"
      "UNCLASSIFIED U.S. Department of State Case No. F-2099-1 Doc No. C0123 Date: 01/02/2099\n"
      "Page 2 of 2\n\nGOES ON HERE.\nDOE\n\n"
      "UNCLASSIFIED U.S. Department of State Case No. F-2099-1 Doc No. C0123 Date: 01/02/2099\n"
      "\f";
  struct pdft_info info;
  char *got = clean(in, false, &info);
  assert_string_equal(got, "O 020203Z MAR 09\nFM AMEMBASSY VIENNA\nTO SECSTATE WASHDC IMMEDIATE "
                           "0001\nC O N F I D E N T I A L VIENNA 000123\n\nSUBJECT: A TEST\n\n1. "
                           "(C) FIRST PAGE TEXT\nGOES ON HERE.\nDOE\n");
  assert_int_equal(info.pages, 2);
  assert_int_equal(info.furniture, 9); /* 4 stamps, RELEASE, B1, B6, two page numbers */
  pdft_info_free(&info);
  free(got);
}

static void test_stamp_inside_text(void **state) {
  (void)state;
  struct pdft_info info;
  char *got = clean("THE MEMO SAYS UNCLASSIFIED U S Department of State Case No F-2099-1 Doc No "
                    "C0123 Date 01 02 2099 THAT IT GOES ON\n",
                    false, &info);
  assert_string_equal(got, "THE MEMO SAYS THAT IT GOES ON\n");
  assert_int_equal(info.furniture, 1);
  pdft_info_free(&info);
  free(got);
}

static void test_plain_repairs(void **state) {
  (void)state;
  struct pdft_info info;
  char *got = clean("UNCLAS BEIJING 000001\nTAGS: PTER CH\nSUBJECT: CHINA:\n\n2099 REPORT\n\n"
                    "REF: STATE 1\n\xc2\xb6"
                    "1. FIRST.\n\xc2\xb6"
                    "2.\n\nBEGIN TEXT.\n"
                    "------------------HEADING\n-----------------\xc2\xb6"
                    "3. THIRD.\n"
                    "\xef\xbf\xbd"
                    "4. FOURTH.\n",
                    false, &info);
  assert_string_equal(got, "UNCLAS BEIJING 000001\nTAGS: PTER CH\nSUBJECT: CHINA: 2099 REPORT\n\n"
                           "REF: STATE 1\n\n\xc2\xb6"
                           "1. FIRST.\n\n\xc2\xb6"
                           "2. BEGIN TEXT.\n"
                           "-------------------\nHEADING\n------------------\n\n\xc2\xb6"
                           "3. THIRD.\n"
                           "\xc2\xb6"
                           "4. FOURTH.\n");
  assert_int_equal(info.mode, PDFT_MODE_DEFAULT);
  assert_int_equal(info.split_repairs, 2);
  assert_int_equal(info.dash_repairs, 2);
  assert_int_equal(info.pilcrows_restored, 1);
  pdft_info_free(&info);
  free(got);
}

static void test_plain_leaves_alone(void **state) {
  (void)state;
  struct pdft_info info;
  /* bullets of three dashes, a finished subject before a heading, a
   * lowercase word after a rule: the cable's own text */
  const char *in = "SUBJECT: A FINISHED SUBJECT\n\nSummary -------\n\n"
                   "---upgrading the network;\n---ROADS AND HIGHWAYS;\n"
                   "----------continued\n";
  char *got = clean(in, false, &info);
  assert_string_equal(got, in);
  assert_int_equal(info.split_repairs + info.dash_repairs, 0);
  pdft_info_free(&info);
  free(got);
  /* a subject stopping on an unfinished word is joined */
  got = clean("SUBJECT: FUNDS TO PROTECT THE\n\nENVIRONMENT\n\nREF: A\n", false, &info);
  assert_string_equal(got, "SUBJECT: FUNDS TO PROTECT THE ENVIRONMENT\n\nREF: A\n");
  pdft_info_free(&info);
  free(got);
}

static void test_layout_untouched(void **state) {
  (void)state;
  struct pdft_info info;
  /* -layout keeps indentation and hyphens: no repairs, common margin off */
  char *got = clean("    SUBJECT: A LONG SUBJECT THAT WRAPS AND IS HYPHEN-\n"
                    "             ATED HERE\n\n    \xc2\xb6"
                    "1. TEXT.\n",
                    false, &info);
  assert_string_equal(got, "SUBJECT: A LONG SUBJECT THAT WRAPS AND IS HYPHEN-\n"
                           "         ATED HERE\n\n\xc2\xb6"
                           "1. TEXT.\n");
  assert_int_equal(info.mode, PDFT_MODE_LAYOUT);
  assert_int_equal(info.split_repairs + info.dash_repairs + info.paragraph_breaks, 0);
  pdft_info_free(&info);
  free(got);
}

static void test_cut_detection(void **state) {
  (void)state;
  struct cx_buf in;
  cx_buf_init(&in, 1 << 20);
  /* a cable wrapped at 69 columns: its lines end anywhere below 69 */
  for (int i = 0; i < 40; i++) {
    char line[80];
    int w = 50 + (i * 7) % 20;
    memset(line, 'A' + i % 26, (size_t)w);
    line[w] = '\0';
    for (int k = 5; k < w; k += 6)
      line[k] = ' ';
    cx_buf_adds(&in, line);
    cx_buf_addc(&in, '\n');
  }
  struct pdft_info info;
  char *got = clean(in.data, false, &info);
  assert_int_equal(info.cut_lines, 0);
  pdft_info_free(&info);
  free(got);
  /* four lines that all stop at column 100: the page edge */
  for (int i = 0; i < 4; i++) {
    char line[101];
    memset(line, 'X', 100);
    line[100] = '\0';
    for (int k = 7; k < 100; k += 9)
      line[k] = ' ';
    cx_buf_adds(&in, line);
    cx_buf_addc(&in, '\n');
  }
  got = clean(in.data, false, &info);
  assert_int_equal(info.cut_lines, 4);
  assert_int_equal(info.cut_width, 100);
  pdft_info_free(&info);
  free(got);
  /* the same text from our own full-width run is never cut */
  got = clean(in.data, true, &info);
  assert_int_equal(info.cut_lines, 0);
  assert_int_equal(info.mode, PDFT_MODE_PDF);
  pdft_info_free(&info);
  free(got);
  cx_buf_free(&in);
}

static struct cx_cable *read_text(const char *text, int *rc) {
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open_mem(text, strlen(text), "mem", &ctx);
  assert_non_null(in);
  void *st = NULL;
  assert_int_equal(pdft_reader_open(in, NULL, &ctx, &st), CX_OK);
  struct cx_cable *c = NULL;
  *rc = pdft_reader_next(st, &ctx, &c);
  struct cx_cable *none = NULL;
  assert_int_equal(pdft_reader_next(st, &ctx, &none), CX_EOF);
  pdft_reader_close(st);
  cx_istream_close(in);
  return c;
}

static const char *extra_str(const struct cx_cable *c, const char *key) {
  const struct cx_value *p = cx_value_get(&c->extra, "pdftext");
  const struct cx_value *v = p ? cx_value_get(p, key) : NULL;
  return v ? v->text : NULL;
}

static void test_reader_banner_id(void **state) {
  (void)state;
  int rc;
  struct cx_cable *c = read_text("R 310838Z OCT 20\nFM AMEMBASSY ABU DHABI\nTO SECSTATE WASHDC "
                                 "7529\nC O N F I D E N T I A L SECTION 01 OF 02 ABU DHABI "
                                 "005893\nE.O. 12958: DECL: 10/30/2010\nTAGS: PREL TC\nSUBJECT: "
                                 "A TEST\n\xc2\xb6"
                                 "1. (C) TEXT.\n\n\fMORE TEXT.\nDOE\n\n\f",
                                 &rc);
  assert_non_null(c);
  assert_string_equal(c->id, "20ABUDHABI5893");
  assert_string_equal(c->created, "2020-10-31T08:38:00");
  assert_string_equal(c->classification, "CONFIDENTIAL");
  assert_string_equal(c->subject, "A TEST");
  assert_int_equal(c->tags.n, 2);
  assert_string_equal(c->signer, "DOE");
  assert_string_equal(extra_str(c, "mode"), "default");
  assert_string_equal(extra_str(c, "pages"), "2");
  cx_cable_free(c);
}

static void test_reader_page_table(void **state) {
  (void)state;
  const char *one = "Reference ID\nCreated\nReleased\nClassification\nOrigin\n"
                    "20ABUDHABI5893\n2020-10-31 08:38\n2021-08-30 01:44\nCONFIDENTIAL\n"
                    "Embassy Abu Dhabi\nR 310838Z OCT 20\nFM AMEMBASSY ABU DHABI\n"
                    "C O N F I D E N T I A L ABU DHABI 005893\nSUBJECT: A TEST\n";
  const char *row = "Viewing cable 20ABUDHABI5893\n"
                    "Reference ID      Created            Released           Classification  "
                    "Origin\n"
                    "20ABUDHABI5893    2020-10-31 08:38   2021-08-30 01:44   CONFIDENTIAL    "
                    "Embassy Abu Dhabi\n\n"
                    "R 310838Z OCT 20\nFM AMEMBASSY ABU DHABI\n"
                    "C O N F I D E N T I A L ABU DHABI 005893\nSUBJECT: A TEST\n";
  const char *texts[] = {one, row};
  for (int i = 0; i < 2; i++) {
    int rc;
    struct cx_cable *c = read_text(texts[i], &rc);
    assert_non_null(c);
    assert_string_equal(c->id, "20ABUDHABI5893");
    assert_string_equal(c->created, "2020-10-31T08:38:00");
    assert_string_equal(c->released, "2021-08-30T01:44:00");
    assert_string_equal(c->origin, "Embassy Abu Dhabi");
    assert_string_equal(c->classification, "CONFIDENTIAL");
    assert_string_equal(c->subject, "A TEST");
    /* the table and the page chrome before it are not the telegram */
    assert_null(strstr(c->header_text, "Reference ID"));
    assert_null(strstr(c->header_text, "Viewing"));
    assert_string_equal(extra_str(c, "page_table_lines"), i == 0 ? "10" : "3");
    cx_cable_free(c);
  }
}

static void test_reader_seed_table(void **state) {
  (void)state;
  int rc;
  struct cx_cable *c =
      read_text("Identifier\nCreated\nClassification\nOrigin\n99XXTEST12\n"
                "2099-01-02 03:04:05\nSECRET//NOFORN\nEmbassy Xxtest\nCable title:\xc2\xa0\n\n"
                "A TITLE ON\nTWO LINES\n\nTags:\xc2\xa0PREL\xc2\xa0OVIP (DOE, JANE)\xc2\xa0\n"
                "pdf\xc2\xa0how-to read a cable\nR 020304Z JAN 99\nFM AMEMBASSY XXTEST\n"
                "S E C R E T XXTEST 000012\nTAGS: XX\nSUBJECT: A TEST\n",
                &rc);
  assert_non_null(c);
  assert_string_equal(c->id, "99XXTEST12");
  assert_string_equal(c->created, "2099-01-02T03:04:05");
  assert_string_equal(c->classification, "SECRET//NOFORN");
  assert_string_equal(c->title, "A TITLE ON TWO LINES");
  assert_int_equal(c->tags.n, 2); /* the table's, not the telegram's */
  assert_string_equal(c->tags.v[1], "OVIP (DOE, JANE)");
  assert_string_equal(c->header_text, "R 020304Z JAN 99\nFM AMEMBASSY XXTEST\n");
  cx_cable_free(c);
}

static void test_reader_no_text(void **state) {
  (void)state;
  const char *in = "\n\f\nUNCLASSIFIED U.S. Department of State Case No. F-2099-1 Doc No. "
                   "C0123 Date: 01/02/2099\n\n\f";
  struct cx_ctx ctx = {0};
  struct cx_istream *s = cx_istream_open_mem(in, strlen(in), "mem", &ctx);
  void *st = NULL;
  assert_int_equal(pdft_reader_open(s, NULL, &ctx, &st), CX_OK);
  struct cx_cable *c = NULL;
  assert_int_equal(pdft_reader_next(st, &ctx, &c), CX_FAILED);
  assert_null(c);
  assert_non_null(strstr(ctx.msg, "nothing but page furniture"));
  assert_int_equal(pdft_reader_next(st, &ctx, &c), CX_EOF);
  pdft_reader_close(st);
  cx_istream_close(s);
}

static void test_reader_cut_warns(void **state) {
  (void)state;
  struct cx_buf in;
  cx_buf_init(&in, 1 << 20);
  cx_buf_adds(&in, "R 310838Z OCT 20\nFM AMEMBASSY ABU DHABI\nC O N F I D E N T I A L ABU DHABI "
                   "005893\nSUBJECT: A TEST\n");
  for (int i = 0; i < 3; i++) {
    char line[121];
    memset(line, 'Y', 120);
    line[120] = '\0';
    for (int k = 4; k < 120; k += 5)
      line[k] = ' ';
    cx_buf_adds(&in, line);
    cx_buf_addc(&in, '\n');
  }
  int rc;
  struct cx_cable *c = read_text(in.data, &rc);
  assert_int_equal(rc, CX_WARN);
  assert_string_equal(extra_str(c, "cut_lines"), "3");
  const struct cx_value *w = cx_value_get(cx_value_get(&c->extra, "pdftext"), "warnings");
  assert_non_null(w);
  assert_true(w->n >= 1);
  assert_non_null(strstr(w->items[0].text, "-W 20000"));
  cx_cable_free(c);
  cx_buf_free(&in);
}

/* Hostile sizes stay linear (the ctest TIMEOUT is the hang bound): one
 * 4 MB line of a letter, one line of 50,000 stamps. */
static void test_long_lines(void **state) {
  (void)state;
  size_t n = 4 << 20;
  char *big = malloc(n + 2);
  assert_non_null(big);
  memset(big, 'A', n);
  big[n] = '\n';
  big[n + 1] = '\0';
  struct pdft_info info;
  struct cx_buf out;
  cx_buf_init(&out, 8 << 20);
  assert_int_equal(pdft_clean(&rules, big, n + 1, false, &out, &info), CX_OK);
  assert_int_equal(out.len, n + 1);
  pdft_info_free(&info);
  free(big);
  const char *stamp = "X UNCLASSIFIED U.S. Department of State Case No. F-1 Doc No. C1 Date: "
                      "01/02/2099 ";
  struct cx_buf in;
  cx_buf_init(&in, 8 << 20);
  for (int i = 0; i < 50000; i++)
    assert_int_equal(cx_buf_adds(&in, stamp), CX_OK);
  cx_buf_addc(&in, '\n');
  cx_buf_reset(&out);
  assert_int_equal(pdft_clean(&rules, in.data, in.len, false, &out, &info), CX_OK);
  assert_int_equal(info.furniture, 50000);
  assert_int_equal(out.len, 2 * 50000); /* "X " each, the last blank trimmed, a newline */
  pdft_info_free(&info);
  /* more lines than a cable can have: refused, not a record per line */
  cx_buf_reset(&in);
  for (size_t i = 0; i <= PDFT_MAX_LINES; i++)
    assert_int_equal(cx_buf_addc(&in, '\n'), CX_OK);
  cx_buf_reset(&out);
  assert_int_equal(pdft_clean(&rules, in.data, in.len, false, &out, &info), CX_FAILED);
  assert_true(info.too_many_lines);
  pdft_info_free(&info);
  cx_buf_free(&in);
  cx_buf_free(&out);
}

/* pdftotext is run with an argv (no shell), its output read through a
 * pipe, the spooled PDF removed; echo and yes stand in for it. */
static void test_run_pdftotext(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  struct cx_buf out;
  cx_buf_init(&out, 4096);
  assert_int_equal(pdft_run_pdftotext("echo", 60, "%PDF-1.4 x", 10, &out, &ctx), CX_OK);
  const char *want = "-layout -x 0 -y 0 -W 20000 -H 20000 -enc UTF-8 -q ";
  assert_memory_equal(out.data, want, strlen(want));
  char path[512];
  assert_true(sscanf(out.data + strlen(want), "%511s", path) == 1);
  /* the spool is read as /dev/fd/N (unlinked at once) or by its name */
  assert_true(!strncmp(path, "/dev/fd/", 8) || strstr(path, "cablex-pdf.") != NULL);
  if (strncmp(path, "/dev/fd/", 8) != 0) assert_true(access(path, F_OK) != 0); /* gone */
  assert_string_equal(out.data + out.len - 3, " -\n");

  /* missing: the message says what to install; the input is given up */
  cx_buf_reset(&out);
  assert_int_equal(pdft_run_pdftotext("/nonexistent/pdftotext", 60, "%PDF-", 5, &out, &ctx),
                   CX_FATAL);
  assert_non_null(strstr(ctx.msg, "install poppler-utils"));

  /* a PDF it cannot read: this cable fails */
  assert_int_equal(pdft_run_pdftotext("false", 60, "%PDF-", 5, &out, &ctx), CX_FAILED);
  assert_non_null(strstr(ctx.msg, "exit status 1"));

  /* more text than a cable may be: stopped, not read to its end */
  char script[] = "/tmp/cablex-test-yes.XXXXXX";
  int fd = mkstemp(script);
  assert_true(fd >= 0);
  const char *body = "#!/bin/sh\nexec yes endless\n";
  assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
  close(fd);
  assert_int_equal(chmod(script, 0700), 0);
  assert_int_equal(pdft_run_pdftotext(script, 60, "%PDF-", 5, &out, &ctx), CX_FAILED);
  unlink(script);
  assert_non_null(strstr(ctx.msg, "max-cable-size"));
  cx_buf_free(&out);
}

static void test_probe(void **state) {
  (void)state;
  const unsigned char pdf[] = "%PDF-1.4\n%\xe2\xe3";
  assert_int_equal(pdft_probe(pdf, sizeof pdf - 1, "-"), 100);
  const char *foia = "UNCLASSIFIED U.S. Department of State Case No. F-2099-1 Doc No. C0123 "
                     "Date: 01/02/2099\nRELEASE IN PART\n";
  assert_true(pdft_probe((const unsigned char *)foia, strlen(foia), "-") >= 60);
  const char *pages = "R 310838Z OCT 20\nSUBJECT: A\nTEXT\n\n\fMORE\n";
  assert_int_equal(pdft_probe((const unsigned char *)pages, strlen(pages), "-"), 50);
  /* raw text with a form feed line between cables is raw's */
  const char *raw = "SUBJECT: A\nTEXT\n\f\nSUBJECT: B\n";
  assert_int_equal(pdft_probe((const unsigned char *)raw, strlen(raw), "-"), 0);
  const char *json = "{\"id\":\"x\"}";
  assert_int_equal(pdft_probe((const unsigned char *)json, strlen(json), "-"), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_line_kinds),
      cmocka_unit_test(test_plusd_pages),
      cmocka_unit_test(test_foia_pages),
      cmocka_unit_test(test_stamp_inside_text),
      cmocka_unit_test(test_plain_repairs),
      cmocka_unit_test(test_layout_untouched),
      cmocka_unit_test(test_cut_detection),
      cmocka_unit_test(test_reader_banner_id),
      cmocka_unit_test(test_reader_page_table),
      cmocka_unit_test(test_reader_cut_warns),
      cmocka_unit_test(test_probe),
      cmocka_unit_test(test_plain_leaves_alone),
      cmocka_unit_test(test_reader_seed_table),
      cmocka_unit_test(test_long_lines),
      cmocka_unit_test(test_run_pdftotext),
      cmocka_unit_test(test_reader_no_text),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
