/* test_telegram_header.c - splitting a telegram into header and body, the
 * header's lines, and what cx_telegram_parse derives (id, created,
 * classification, canonical id).  The fixtures are written for these tests
 * after the header variants found on real cable pages: those that keep a
 * real id (07MOSCOW104, 66BUENOSAIRES2481, 04ANKARA348, 89STATE401887,
 * 90CAPETOWN97, 09STATE100153, 09ABUDHABI862) are cut from that cable; the
 * others use the station XXTEST (tests/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cablex/telegram.h"
#include "telegram_internal.h"

/* Parses text (header + body) and checks the split: header_text must be
 * exactly the first header_len bytes, body the rest. */
static struct cx_cable *parse(const char *text, size_t header_len) {
  struct cx_cable *c = cx_cable_new();
  struct cx_ctx ctx = {0};
  assert_non_null(c);
  int rc = cx_telegram_parse(c, text, strlen(text), 1, &ctx);
  assert_true(rc == CX_OK || rc == CX_WARN);
  assert_non_null(c->header_text);
  assert_non_null(c->body);
  assert_int_equal(strlen(c->header_text), header_len);
  assert_memory_equal(c->header_text, text, header_len);
  assert_string_equal(c->body, text + header_len);
  assert_int_equal(c->has_header, header_len > 0);
  return c;
}

/* Length of text up to (not including) the first occurrence of mark. */
static size_t upto(const char *text, const char *mark) {
  const char *p = strstr(text, mark);
  assert_non_null(p);
  return (size_t)(p - text);
}

static void assert_recipient(const struct cx_recipient *r, const char *ri, const char *name,
                             const char *prec, const char *serial) {
  if (ri)
    assert_string_equal(r->routing_indicator, ri);
  else
    assert_null(r->routing_indicator);
  assert_string_equal(r->name, name);
  if (prec)
    assert_string_equal(r->precedence, prec);
  else
    assert_null(r->precedence);
  if (serial)
    assert_string_equal(r->serial, serial);
  else
    assert_null(r->serial);
}

static const char full_header[] = "VZCZCXRO2001\n"
                                  "PP RUEHDBU RUEHIK RUEHYG\n"
                                  "RUEHROV RUEHSR\n"
                                  "DE RUEHTA #0501/01 2401138\n"
                                  "ZNY CCCCC ZZH\n"
                                  "P 281138Z AUG 06\n"
                                  "FM AMEMBASSY ALMATY\n"
                                  "TO RUEHC/SECSTATE WASHDC PRIORITY 6738\n"
                                  "INFO RUCNCIS/CIS COLLECTIVE PRIORITY\n"
                                  "RUEHTH/AMEMBASSY ATHENS PRIORITY 0138\n"
                                  "RHMFISS/HQ USEUCOM VAIHINGEN GE//J5/FPA//\n"
                                  "RUEHNO/USMISSION USNATO 0201\n";

static const char banner_body[] = "C O N F I D E N T I A L SECTION 01 OF 04 XXTEST 000501\n"
                                  "\n"
                                  "SIPDIS\n"
                                  "\n"
                                  "E.O. 12958: DECL: 08/28/2016\n"
                                  "TAGS: PREL KZ\n"
                                  "SUBJECT: A TEST\n"
                                  "\n"
                                  "1. (C) Text.\n";

/* The seed layout: no blank line between header and banner. */
static void test_full_header_no_blank(void **state) {
  (void)state;
  char text[2048];
  snprintf(text, sizeof text, "%s%s", full_header, banner_body);
  struct cx_cable *c = parse(text, strlen(full_header));
  struct cx_header *h = &c->header;
  assert_string_equal(h->transmission_id, "VZCZCXRO2001");
  assert_string_equal(h->routing, "PP RUEHDBU RUEHIK RUEHYG\nRUEHROV RUEHSR");
  assert_string_equal(h->de, "RUEHTA #0501/01 2401138");
  assert_string_equal(h->security, "ZNY CCCCC ZZH");
  assert_string_equal(h->precedence, "P");
  assert_string_equal(h->dtg, "281138Z AUG 06");
  assert_string_equal(h->from, "AMEMBASSY ALMATY");
  assert_int_equal(h->to.n, 1);
  assert_recipient(&h->to.v[0], "RUEHC", "SECSTATE WASHDC", "PRIORITY", "6738");
  assert_int_equal(h->info.n, 4);
  assert_recipient(&h->info.v[0], "RUCNCIS", "CIS COLLECTIVE", "PRIORITY", NULL);
  assert_recipient(&h->info.v[1], "RUEHTH", "AMEMBASSY ATHENS", "PRIORITY", "0138");
  assert_recipient(&h->info.v[2], "RHMFISS", "HQ USEUCOM VAIHINGEN GE//J5/FPA//", NULL, NULL);
  assert_recipient(&h->info.v[3], "RUEHNO", "USMISSION USNATO", NULL, "0201");
  /* derived from banner and DTG */
  assert_string_equal(c->id, "06XXTEST501");
  assert_string_equal(c->canonical_id, "06XXTEST501");
  assert_string_equal(c->created, "2006-08-28T11:38:00");
  assert_string_equal(c->classification, "CONFIDENTIAL");
  cx_cable_free(c);
}

/* The cable-page layout: header, blank line, body.  The blank line belongs
 * to the header. */
static void test_full_header_blank(void **state) {
  (void)state;
  char text[2048];
  snprintf(text, sizeof text, "%s\n%s", full_header, banner_body);
  struct cx_cable *c = parse(text, strlen(full_header) + 1);
  assert_int_equal(c->header.info.n, 4);
  cx_cable_free(c);
}

/* VZCZCXYZ0000 / OO RUEHWEB, then a blank line inside the header. */
static void test_blank_inside_header(void **state) {
  (void)state;
  static const char text[] = "VZCZCXYZ0000\n"
                             "OO RUEHWEB\n"
                             "\n"
                             "DE RUEHMO #0104 0121523\n"
                             "ZNY SSSSS ZZH\n"
                             "O 121523Z JAN 07\n"
                             "FM AMEMBASSY MOSCOW\n"
                             "TO RUEHC/SECSTATE WASHDC IMMEDIATE 6346\n"
                             "INFO RUEHBK/AMEMBASSY BANGKOK 0721\n"
                             "RUEHSH/AMCONSUL SHENYANG 0034\n"
                             "\n"
                             "S E C R E T MOSCOW 000104 \n"
                             "\n"
                             "SIPDIS \n";
  struct cx_cable *c = parse(text, upto(text, "S E C R E T"));
  assert_string_equal(c->header.transmission_id, "VZCZCXYZ0000");
  assert_string_equal(c->header.routing, "OO RUEHWEB");
  assert_string_equal(c->header.de, "RUEHMO #0104 0121523");
  assert_string_equal(c->header.precedence, "O");
  assert_recipient(&c->header.to.v[0], "RUEHC", "SECSTATE WASHDC", "IMMEDIATE", "6346");
  assert_int_equal(c->header.info.n, 2);
  assert_recipient(&c->header.info.v[1], "RUEHSH", "AMCONSUL SHENYANG", NULL, "0034");
  assert_string_equal(c->id, "07MOSCOW104");
  assert_string_equal(c->created, "2007-01-12T15:23:00");
  assert_string_equal(c->classification, "SECRET");
  cx_cable_free(c);
}

/* Old cables: only DTG, FM, TO, INFO; two precedences; a trailing ZFF4;
 * addressees without routing indicators. */
static void test_old_header(void **state) {
  (void)state;
  static const char text[] = "P R 281848Z DEC 66\n"
                             "FM AMEMBASSY BUENOS AIRES\n"
                             "TO SECSTATE WASHDC PRIORITY\n"
                             "INFO USCINCSO\n"
                             "CINCLANT\n"
                             "AMEMBASSY RIO DE JANEIRO\n"
                             "STATE GRNC\n"
                             "\n"
                             "UNCLASSIFIED BUENOS AIRES 2481 \n"
                             " \n"
                             "SUBJECT: OLD\n";
  struct cx_cable *c = parse(text, upto(text, "UNCLASSIFIED"));
  assert_string_equal(c->header.precedence, "P R");
  assert_string_equal(c->header.dtg, "281848Z DEC 66");
  assert_null(c->header.transmission_id);
  assert_recipient(&c->header.to.v[0], NULL, "SECSTATE WASHDC", "PRIORITY", NULL);
  assert_int_equal(c->header.info.n, 4);
  assert_recipient(&c->header.info.v[3], NULL, "STATE GRNC", NULL, NULL);
  assert_string_equal(c->id, "66BUENOSAIRES2481");
  assert_string_equal(c->created, "1966-12-28T18:48:00");
  assert_string_equal(c->classification, "UNCLASSIFIED");
  cx_cable_free(c);

  static const char text2[] = "O R 181205Z NOV 75 ZFF4\n"
                              "FM AMEMBASSY TEHRAN\n"
                              "TO SECSTATE WASHDC IMMEDIATE 475\n"
                              "\n"
                              "C O N F I D E N T I A L SECTION 1 OF 2 XXTEST 2069 \n";
  c = parse(text2, upto(text2, "C O N"));
  assert_string_equal(c->header.precedence, "O R");
  assert_string_equal(c->header.dtg, "181205Z NOV 75");
  assert_recipient(&c->header.to.v[0], NULL, "SECSTATE WASHDC", "IMMEDIATE", "475");
  assert_string_equal(c->id, "75XXTEST2069");
  assert_string_equal(c->created, "1975-11-18T12:05:00");
  cx_cable_free(c);
}

/* The partial-extract notice, with and without its DTG line. */
static void test_partial_extract(void **state) {
  (void)state;
  static const char text[] =
      "This record is a partial extract of the original cable. The full text of the "
      "original cable is not available.\n"
      "\n"
      "201247Z Jan 04\n"
      "\n"
      "C o n f i d e n t i a l section 01 of 04 ankara 000348\n"
      "\n"
      "Sipdis\n";
  struct cx_cable *c = parse(text, upto(text, "C o n"));
  assert_string_equal(c->header.dtg, "201247Z Jan 04");
  assert_string_equal(c->created, "2004-01-20T12:47:00");
  assert_string_equal(c->id, "04ANKARA348");
  assert_string_equal(c->classification, "CONFIDENTIAL");
  cx_cable_free(c);

  static const char text2[] =
      "This record is a partial extract of the original cable. The full text of the "
      "original cable is not available.\n"
      "\n"
      "UNCLAS SECTION 01 OF 03 MADRID 002164\n"
      "\n"
      "SENSITIVE\n"
      "SIPDIS\n";
  c = parse(text2, upto(text2, "UNCLAS"));
  /* no DTG: no year, so neither id nor created */
  assert_null(c->created);
  assert_null(c->id);
  assert_null(c->canonical_id);
  assert_string_equal(c->classification, "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  cx_cable_free(c);
}

/* No header at all: a plain telegram. */
static void test_no_header(void **state) {
  (void)state;
  static const char text[] = "S E C R E T STATE 015220\n"
                             "\n"
                             "NOFORN\n"
                             "\n"
                             "E.O. 12958: DECL: 02/14/2033\n"
                             "TAGS: PARM\n"
                             "SUBJECT: NO HEADER\n"
                             "\n"
                             "1. (S) TO THE MINISTRY WE SAID\n"
                             "TO SECSTATE WASHDC THAT\n";
  struct cx_cable *c = parse(text, 0);
  assert_false(c->has_header);
  assert_string_equal(c->header_text, "");
  assert_string_equal(c->classification, "SECRET//NOFORN");
  assert_null(c->id); /* no DTG, no year */
  cx_cable_free(c);

  /* prose starting with TO is no header either */
  static const char text2[] = "WE MET THE MINISTER WHO TOLD US\n"
                              "TO EXPECT NOTHING.\n";
  c = parse(text2, 0);
  cx_cable_free(c);
}

/* XMT exclusions attach to the collective before them; TO PAGE 02 is a page
 * header, not an addressee. */
static void test_xmt_and_page_header(void **state) {
  (void)state;
  static const char text[] = "O P 190243Z DEC 89\n"
                             "FM SECSTATE WASHDC\n"
                             "TO PAGE 02        STATE   401887  190250Z \n"
                             "ALL AMERICAN REPUBLIC DIPLOMATIC POSTS IMMEDIATE\n"
                             "RUEHX/EUROPEAN POLITICAL COLLECTIVE\n"
                             "XMT/AMEMBASSY SOFIA\n"
                             "AMEMBASSY BUCHAREST\n"
                             "INFO ALL DIPLOMATIC AND CONSULAR POSTS PRIORITY\n"
                             "XMT USINT HAVANA\n"
                             "AMEMBASSY MOSCOW NIACT IMMEDIATE 0012\n"
                             "\n"
                             "UNCLAS STATE 401887\n";
  struct cx_cable *c = parse(text, upto(text, "UNCLAS STATE"));
  struct cx_header *h = &c->header;
  assert_string_equal(h->precedence, "O P");
  assert_int_equal(h->to.n, 2);
  assert_recipient(&h->to.v[0], NULL, "ALL AMERICAN REPUBLIC DIPLOMATIC POSTS", "IMMEDIATE", NULL);
  assert_recipient(&h->to.v[1], "RUEHX", "EUROPEAN POLITICAL COLLECTIVE", NULL, NULL);
  assert_int_equal(h->to.v[1].excluded.n, 2);
  assert_string_equal(h->to.v[1].excluded.v[0], "AMEMBASSY SOFIA");
  assert_string_equal(h->to.v[1].excluded.v[1], "AMEMBASSY BUCHAREST");
  assert_int_equal(h->info.n, 1);
  assert_recipient(&h->info.v[0], NULL, "ALL DIPLOMATIC AND CONSULAR POSTS", "PRIORITY", NULL);
  /* exclusions go on until the next TO/INFO */
  assert_int_equal(h->info.v[0].excluded.n, 2);
  assert_string_equal(h->info.v[0].excluded.v[0], "USINT HAVANA");
  assert_string_equal(c->id, "89STATE401887");
  cx_cable_free(c);

  /* an exclusion with nothing before it is dropped */
  static const char text2[] = "INFO XMT FOOBAR\n";
  c = parse(text2, strlen(text2));
  assert_int_equal(c->header.info.n, 0);
  cx_cable_free(c);
}

/* The distribution block of cables printed from the archive, a banner-like
 * page line before the header, and the tail of an addressee list cut by a
 * page break. */
static void test_distribution_block(void **state) {
  (void)state;
  static const char text[] = "CONFIDENTIAL\n"
                             "\n"
                             "PAGE 01        CAPE T  00097  01 OF 03  182017Z\n"
                             "ACTION AF-00\n"
                             "\n"
                             "INFO  LOG-00   ADS-00   INR-05   EUR-00   SS-00\n"
                             "      P-02     T-01     /037 W\n"
                             "                    ------------------352654  200910Z /23\n"
                             "R 171512Z JAN 90\n"
                             "FM AMCONSUL CAPE TOWN\n"
                             "TO SECSTATE WASHDC 5365\n"
                             "INFO AMEMBASSY PRETORIA\n"
                             "\n"
                             "C O N F I D E N T I A L SECTION 01 OF 03 CAPE TOWN 00097 \n";
  struct cx_cable *c = parse(text, upto(text, "C O N"));
  assert_int_equal(c->header.info.n, 1);
  assert_recipient(&c->header.info.v[0], NULL, "AMEMBASSY PRETORIA", NULL, NULL);
  assert_recipient(&c->header.to.v[0], NULL, "SECSTATE WASHDC", NULL, "5365");
  assert_string_equal(c->id, "90CAPETOWN97");
  cx_cable_free(c);

  static const char text2[] = "AMEMBASSY TRIPOLI\n"
                              "NSC WASHDC\n"
                              "\n"
                              "Distribution:\n"
                              "\n"
                              "TED1302\n"
                              "ACTION NEA-00   \n"
                              "P 240645Z OCT 08\n"
                              "FM AMEMBASSY LONDON\n"
                              "TO SECSTATE WASHDC PRIORITY 0179\n"
                              "\n"
                              "C O N F I D E N T I A L LONDON 002673 \n";
  c = parse(text2, upto(text2, "C O N"));
  assert_int_equal(c->header.to.n, 1);
  assert_int_equal(c->header.info.n, 0);
  cx_cable_free(c);

  static const char text3[] = "UNCLASSIFIED   STATE   00100153 \n"
                              "O 251814Z SEP 09\n"
                              "FM SECSTATE WASHDC\n"
                              "TO ALL DIPLOMATIC AND CONSULAR POSTS COLLECTIVE IMMEDIATE\n"
                              "\n"
                              "UNCLAS SECTION 01 OF 02 STATE 100153 \n";
  c = parse(text3, upto(text3, "UNCLAS SECTION"));
  assert_string_equal(c->id, "09STATE100153");
  cx_cable_free(c);
}

/* CRLF line ends are kept verbatim and parsed as LF. */
static void test_crlf(void **state) {
  (void)state;
  static const char text[] = "VZCZCXYZ0001\r\n"
                             "PP RUEHWEB\r\n"
                             "DE RUEHAD #0862 2431005\r\n"
                             "ZNY SSSSS ZZH\r\n"
                             "O 311005Z AUG 09\r\n"
                             "FM AMEMBASSY ABU DHABI\r\n"
                             "TO RUEHC/SECSTATE WASHDC IMMEDIATE 2881\r\n"
                             "\r\n"
                             "S E C R E T ABU DHABI 000862 \r\n"
                             "\r\n"
                             "NOFORN \r\n";
  struct cx_cable *c = parse(text, upto(text, "S E C R E T"));
  assert_string_equal(c->header.transmission_id, "VZCZCXYZ0001");
  assert_string_equal(c->header.from, "AMEMBASSY ABU DHABI");
  assert_recipient(&c->header.to.v[0], "RUEHC", "SECSTATE WASHDC", "IMMEDIATE", "2881");
  assert_string_equal(c->id, "09ABUDHABI862");
  assert_string_equal(c->classification, "SECRET//NOFORN");
  assert_string_equal(c->created, "2009-08-31T10:05:00");
  cx_cable_free(c);
}

/* Page metadata wins: fields already set are kept; the canonical id is
 * computed from the given id. */
static void test_page_fields_kept(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  struct cx_ctx ctx = {0};
  assert_int_equal(cx_set(&c->id, "08SCTION02OF02SAOPAULO335"), CX_OK);
  assert_int_equal(cx_set(&c->created, "2008-01-01T00:00:00"), CX_OK);
  assert_int_equal(cx_set(&c->classification, "SECRET"), CX_OK);
  char text[2048];
  snprintf(text, sizeof text, "%s%s", full_header, banner_body);
  int rc = cx_telegram_parse(c, text, strlen(text), 1, &ctx);
  assert_true(rc == CX_OK || rc == CX_WARN);
  assert_string_equal(c->id, "08SCTION02OF02SAOPAULO335");
  assert_string_equal(c->canonical_id, "08SAOPAULO335");
  assert_string_equal(c->created, "2008-01-01T00:00:00");
  assert_string_equal(c->classification, "SECRET");
  cx_cable_free(c);
}

/* origin: the page name of the post the FM line names, through the station
 * table; a page's own origin wins. */
static void test_origin_from_fm(void **state) {
  (void)state;
  static const struct {
    const char *fm, *origin;
  } cases[] = {
      {"AMEMBASSY MOSCOW", "Embassy Moscow"},
      {"AMCONSUL RIO DE JANEIRO", "Consulate Rio De Janeiro"},
      {"SECSTATE WASHDC", "Secretary of State"},
      {"USMISSION USNATO", "Mission USNATO"},
      {"AMEMBASSY XXTEST", NULL}, /* no post of that name */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[512];
    snprintf(text, sizeof text,
             "P 281138Z AUG 06\nFM %s\nTO RUEHC/SECSTATE WASHDC PRIORITY 0001\n\n"
             "UNCLAS XXTEST 000123\n\nSUBJECT: A TEST\n\n1. Text.\n",
             cases[i].fm);
    struct cx_cable *c = parse(text, upto(text, "UNCLAS"));
    assert_string_equal(c->id, "06XXTEST123");
    if (cases[i].origin)
      assert_string_equal(c->origin, cases[i].origin);
    else
      assert_null(c->origin);
    cx_cable_free(c);
  }
  struct cx_cable *c = cx_cable_new();
  struct cx_ctx ctx = {0};
  assert_int_equal(cx_set(&c->origin, "Embassy Somewhere"), CX_OK);
  static const char text[] = "P 281138Z AUG 06\nFM AMEMBASSY MOSCOW\n\nUNCLAS XXTEST 000123\n";
  int rc = cx_telegram_parse(c, text, strlen(text), 1, &ctx);
  assert_true(rc == CX_OK || rc == CX_WARN);
  assert_string_equal(c->origin, "Embassy Somewhere");
  cx_cable_free(c);
}

/* created: a page's minutes that show the site's bug (the hour mod 12, not
 * the DTG's, same date and hour) give way to the DTG's; the page's value is
 * kept in extra for writing the page back. */
static void test_created_minute_bug(void **state) {
  (void)state;
  static const struct {
    const char *page, *created, *kept;
  } cases[] = {
      {"2006-08-28T11:11:00", "2006-08-28T11:38:00", "2006-08-28T11:11:00"}, /* the bug */
      {"2006-08-28T11:38:00", "2006-08-28T11:38:00", NULL}, /* agrees with the DTG */
      {"2006-08-28T11:20:00", "2006-08-28T11:20:00", NULL}, /* not the hour mod 12 */
      {"2006-08-28T12:00:00", "2006-08-28T12:00:00", NULL}, /* another hour */
      {"2006-08-27T11:11:00", "2006-08-27T11:11:00", NULL}, /* another day */
  };
  static const char text[] = "P 281138Z AUG 06\nFM AMEMBASSY MOSCOW\n\nUNCLAS XXTEST 000123\n";
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = cx_cable_new();
    struct cx_ctx ctx = {0};
    assert_int_equal(cx_set(&c->created, cases[i].page), CX_OK);
    int rc = cx_telegram_parse(c, text, strlen(text), 1, &ctx);
    assert_true(rc == CX_OK || rc == CX_WARN);
    assert_string_equal(c->created, cases[i].created);
    const struct cx_value *v = cx_value_get(&c->extra, CX_EXTRA_PAGE_CREATED);
    if (cases[i].kept)
      assert_string_equal(v->text, cases[i].kept);
    else
      assert_null(v);
    assert_string_equal(cx_page_created(c), cases[i].page);
    cx_cable_free(c);
  }
}

/* A NUL byte makes the text no cable: CX_FAILED naming its line. */
static void test_nul_byte(void **state) {
  (void)state;
  static const char text[] = "VZCZCXYZ0001\nPP RUEHWEB\nDE RUE\0HAD #0862 2431005\n";
  struct cx_cable *c = cx_cable_new();
  struct cx_ctx ctx = {0};
  int rc = cx_telegram_parse(c, text, sizeof text - 1, 10, &ctx);
  assert_int_equal(rc, CX_FAILED);
  assert_int_equal(ctx.code, CX_FAILED);
  assert_int_equal(ctx.line, 12);
  assert_non_null(strstr(ctx.msg, "NUL"));
  cx_cable_free(c);
}

/* The id a telegram gives itself (telegram_id.c): the header's when the
 * banner is garbled, another cable's or absent; the banner's when it
 * agrees with the header; a printout's id line and page header. */
static const char *id_of(const char *text) {
  static char id[64];
  struct cx_cable *c = cx_cable_new();
  struct cx_ctx ctx = {0};
  assert_non_null(c);
  int rc = cx_telegram_parse(c, text, strlen(text), 1, &ctx);
  assert_true(rc == CX_OK || rc == CX_WARN);
  snprintf(id, sizeof id, "%s", c->id ? c->id : "(null)");
  cx_cable_free(c);
  return id;
}

#define HDR(de, dtg, fm)                                                                           \
  "VZCZCXRO0001\nPP RUEHXX\nDE RUEHXX " de "\nZNY SSSSS ZZH\nP " dtg "\nFM " fm                    \
  "\nTO RUEHC/SECSTATE WASHDC PRIORITY 0001\n\n"

static void test_id_sources(void **state) {
  (void)state;
  /* a banner whose classification lost a letter: no banner */
  assert_string_equal(
      id_of(HDR("#0123/01 0150817", "150817Z JAN 99",
                "AMEMBASSY XXTEST") "E C R E T SECTION 01 OF 03 XXTEST 000123\n\nSUBJECT: TEST\n"),
      "99XXTEST123");
  /* another cable's banner (other station, other serial) */
  assert_string_equal(
      id_of(
          HDR("#0123 0150817", "150817Z JAN 99",
              "AMEMBASSY XXTEST") "S E C R E T SECTION 01 OF 04 YYTEST 000416\n\nSUBJECT: TEST\n"),
      "99XXTEST123");
  /* no banner at all */
  assert_string_equal(
      id_of(HDR("#0123/01 0150817", "150817Z JAN 99",
                "AMEMBASSY XX TEST") "SIPDIS\n\nE.O. 12958: DECL: 01/14/2099\nSUBJECT: TEST\n"),
      "99XXTEST123");
  /* the DE serial is the last four digits: the banner's full serial wins */
  assert_string_equal(
      id_of(HDR("#4823 0150817", "150817Z JAN 99",
                "AMEMBASSY XXTEST") "C O N F I D E N T I A L ZZTEST 124823\n\nSUBJECT: TEST\n"),
      "99ZZTEST124823");
  /* a banner agreeing with the header */
  assert_string_equal(
      id_of(
          HDR("#0123/01 0150817", "150817Z JAN 99",
              "AMEMBASSY XXTEST") "S E C R E T SECTION 01 OF 03 XXTEST 000123\n\nSUBJECT: TEST\n"),
      "99XXTEST123");
  /* a PlusD printout: its id line */
  assert_string_equal(id_of("2000XXTEST01234 - CONFIDENTIAL\nCONFIDENTIAL\n"
                            "PAGE 01        XXTEST  01234  01 OF 07  050821Z\n"
                            "ACTION SS-25\nO 050820Z JUN 00\nFM AMEMBASSY XXTEST\n"
                            "TO SECSTATE WASHDC IMMEDIATE 1291\n"
                            "C O N F I D E N T I A L SECTION 1 OF 7 XXTEST 1234\n"),
                      "00XXTEST1234");
  assert_string_equal(id_of("1999XXTEST00905_e\nSUBJECT: TEST\n\n1. TEXT.\n"), "99XXTEST905");
  /* a PlusD page header on one line, on two, its station cut to six */
  assert_string_equal(id_of("CONFIDENTIAL\nPAGE 01 XXTEST 01234 01 OF 07 050821Z\n"
                            "ACTION SS-25\nO 050820Z JUN 99\nFM AMEMBASSY XXTEST\n"
                            "TO SECSTATE WASHDC IMMEDIATE 1291\n\nSUBJECT: TEST\n"),
                      "99XXTEST1234");
  assert_string_equal(id_of("CONFIDENTIAL\nPAGE 01\nXXTEST 00097 01 OF 03 182017Z\n"
                            "ACTION AF-00\nR 171512Z JAN 90\nFM AMCONSUL XXTEST TOWN\n"
                            "TO SECSTATE WASHDC 5365\n\nSUBJECT: TEST\n"),
                      "90XXTESTTOWN97");
  /* an inbox form's id field in front of the telegram */
  assert_string_equal(id_of("<<240168>>\n12/16/2099 14:15\n99XXTEST2497\nEmbassy Xxtest\n"
                            "SECRET//NOFORN\n" HDR("#2497/01 3501415", "161415Z DEC 99",
                                                   "AMEMBASSY XXTEST") "SUBJECT: TEST\n"),
                      "99XXTEST2497");
  /* no year anywhere: no id */
  assert_string_equal(id_of("FM AMEMBASSY XXTEST\nTO SECSTATE WASHDC\n\nSUBJECT: TEST\n"),
                      "(null)");
}

/* An inbox-search printout: the form's lines in front of the telegram are
 * header text, never addressees nor references; the telegram's header is
 * found after them, and a copy of it is not read twice. */
static void test_inbox_preamble(void **state) {
  (void)state;
  static const char text[] = "Inbox Search Results\nMessage 1 of 1\n<<999999>>\n"
                             "12/16/2099 14:15\n99XXTEST2497\nEmbassy Xxtest\nSECRET//NOFORN\n"
                             "99XXTEST2487|99XXTEST122115\nTO: inbox search\nREF: form field\n"
                             "VZCZCXRO0001\nOO RUEHXX\nDE RUEHXX #2497/01 3501415\n"
                             "ZNY SSSSS ZZH\nO R 161415Z DEC 99\nFM AMEMBASSY XXTEST\n"
                             "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0140\n"
                             "INFO XXTEST COLLECTIVE\nRHEFDIA/DIA WASHINGTON DC\n\n"
                             "S E C R E T XXTEST 002497\n\nSUBJECT: TEST\n\n1. (S) Text.\n";
  struct cx_cable *c = parse(text, upto(text, "S E C R E T"));
  assert_string_equal(c->id, "99XXTEST2497");
  assert_string_equal(c->header.transmission_id, "VZCZCXRO0001");
  assert_string_equal(c->header.from, "AMEMBASSY XXTEST");
  assert_int_equal(c->header.to.n, 1);
  assert_recipient(&c->header.to.v[0], "RUEHC", "SECSTATE WASHDC", "IMMEDIATE", "0140");
  assert_int_equal(c->header.info.n, 2);
  assert_recipient(&c->header.info.v[1], "RHEFDIA", "DIA WASHINGTON DC", NULL, NULL);
  assert_int_equal(c->references.n, 0);
  cx_cable_free(c);

  /* the header, a form, then a copy of the header: the header ends at the
   * form, the copy is body text */
  static const char twice[] = "VZCZCXRO0001\nOO RUEHXX\nDE RUEHXX #2497/01 3501415\n"
                              "O R 161415Z DEC 99\nFM AMEMBASSY XXTEST\n"
                              "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0140\n\n<<999999>>\n"
                              "12/16/2099 14:15\n99XXTEST2497\nEmbassy Xxtest\n"
                              "VZCZCXRO0001\nOO RUEHXX\nDE RUEHXX #2497/01 3501415\n"
                              "O R 161415Z DEC 99\nFM AMEMBASSY XXTEST\n"
                              "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0140\n"
                              "TAGS: PREL\n\nS E C R E T XXTEST 002497\n\n1. (S) Text.\n";
  c = parse(twice, upto(twice, "<<"));
  assert_int_equal(c->header.to.n, 1);
  assert_string_equal(c->id, "99XXTEST2497");
  cx_cable_free(c);

  /* a banner with its serial before a header ends the search: body */
  static const char body[] = "Some text\n\nS E C R E T XXTEST 002497\n\nSUBJECT: QUOTED\n"
                             "O 161415Z DEC 99\nFM AMEMBASSY XXTEST\nTO SECSTATE WASHDC\n";
  c = parse(body, 0);
  assert_int_equal(c->header.to.n, 0);
  cx_cable_free(c);
}

/* Banner words in all their spellings, and what is no banner. */
static void test_banner_class(void **state) {
  (void)state;
  char w[32];
  static const struct {
    const char *line, *word;
  } yes[] = {
      {"C O N F I D E N T I A L SECTION 01 OF 04 ALMATY 003065", "CONFIDENTIAL"},
      {"CO N F I D E N T I A L SECTION 01 OF 06 PARIS 001501", "CONFIDENTIAL"},
      {"SE C R E T TUNIS 000193", "SECRET"},
      {"S e c r e t state 015220", "SECRET"},
      {"UUNCLAS MANAGUA 001002", "UNCLASSIFIED"},
      {"UNCLAS SECTION 01 OF 03 MADRID 002164", "UNCLASSIFIED"},
      {"SECRET//NOFORN", "SECRET"},
      {"   CONFIDENTIAL     PTQ1859", "CONFIDENTIAL"},
      {"LIMITED OFFICIAL USE STATE 123", "LIMITED OFFICIAL USE"},
      {"TOP SECRET STATE 12", "TOP SECRET"},
  };
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    size_t off = cx_banner_class(yes[i].line, strlen(yes[i].line), w, sizeof w);
    assert_true(off > 0);
    assert_string_equal(w, yes[i].word);
  }
  static const char *const no[] = {"SECRETARY OF STATE", "SECSTATE WASHDC", "SUBJECT: SECRET",
                                   "UNCLEAR", ""};
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    assert_int_equal(cx_banner_class(no[i], strlen(no[i]), w, sizeof w), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full_header_no_blank),
      cmocka_unit_test(test_full_header_blank),
      cmocka_unit_test(test_blank_inside_header),
      cmocka_unit_test(test_old_header),
      cmocka_unit_test(test_partial_extract),
      cmocka_unit_test(test_no_header),
      cmocka_unit_test(test_xmt_and_page_header),
      cmocka_unit_test(test_distribution_block),
      cmocka_unit_test(test_crlf),
      cmocka_unit_test(test_page_fields_kept),
      cmocka_unit_test(test_origin_from_fm),
      cmocka_unit_test(test_created_minute_bug),
      cmocka_unit_test(test_nul_byte),
      cmocka_unit_test(test_banner_class),
      cmocka_unit_test(test_id_sources),
      cmocka_unit_test(test_inbox_preamble),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
