/* Unit tests for the telegram body parser (core/lib/telegram/telegram_body.c and its part files):
 * one test per rule, on short fragments written for these tests and on the two composed cables in
 * tests/data/body/.  The stations are real (their names are what is parsed); the cables are of
 * 2018 and 1965, years no Cablegate cable has, so the ids they give are not real (tests/README.md);
 * a reference that keeps a corpus year is a real cable's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cablex/cable.h"
#include "cablex/error.h"
#include "telegram_internal.h"

static unsigned warnings;

static void count_warning(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user;
  (void)ctx;
  (void)code;
  (void)msg;
  warnings++;
}

/* Parses text as a body; id (may be NULL) is the cable's own id. */
static struct cx_cable *parse_id(const char *text, const char *id, int year) {
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  if (id) {
    assert_int_equal(cx_set(&c->id, id), CX_OK);
    assert_int_equal(cx_set(&c->canonical_id, id), CX_OK);
  }
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.report = count_warning;
  int rc = cx_telegram_body(c, text, strlen(text), year, 1, &ctx);
  assert_true(rc == CX_OK || rc == CX_WARN);
  return c;
}

static struct cx_cable *parse(const char *text) {
  return parse_id(text, "18VILNIUS512", 2018);
}

static char *load(const char *name, size_t *len) {
  const char *dir = getenv("CABLEX_TEST_DATA");
  char path[1024];
  snprintf(path, sizeof path, "%s/body/%s", dir ? dir : "tests/data", name);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  char *buf = malloc(1 << 16);
  assert_non_null(buf);
  size_t n = fread(buf, 1, (1 << 16) - 1, f);
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* The tags, or the references' cable ids, joined with '|'. */
static void join_tags(const struct cx_cable *c, char *out, size_t size) {
  out[0] = '\0';
  for (size_t i = 0; i < c->tags.n; i++) {
    if (i) strncat(out, "|", size - strlen(out) - 1);
    strncat(out, c->tags.v[i], size - strlen(out) - 1);
  }
}

static void join_ids(const struct cx_cable *c, char *out, size_t size) {
  out[0] = '\0';
  for (size_t i = 0; i < c->references.n; i++) {
    const char *id = c->references.v[i].cable_id;
    if (!id) continue;
    if (out[0]) strncat(out, "|", size - strlen(out) - 1);
    strncat(out, id, size - strlen(out) - 1);
  }
}

/* ---- banner ---- */

static void test_banner(void **state) {
  (void)state;
  struct cx_cable *c = parse("C O N F I D E N T I A L SECTION 02 OF 03 BERN 000881\n\nSIPDIS\n");
  assert_int_equal(c->sections, 3);
  assert_string_equal(c->classification, "CONFIDENTIAL");
  cx_cable_free(c);

  c = parse("S E C R E T STATE 002634\n\nNOFORN\nSIPDIS\n");
  assert_int_equal(c->sections, 0);
  assert_string_equal(c->classification, "SECRET//NOFORN");
  cx_cable_free(c);

  c = parse("UNCLAS SECTION 01 OF 02 PARIS 008606\n\nSIPDIS\n\nSENSITIVE\n");
  assert_int_equal(c->sections, 2);
  assert_string_equal(c->classification, "UNCLASSIFIED//FOR OFFICIAL USE ONLY");
  cx_cable_free(c);

  /* a partial extract: the banner comes after a DTG line */
  c = parse("201247Z Jan 04\n\nC o n f i d e n t i a l section 01 of 04 ankara 000348\n");
  assert_int_equal(c->sections, 4);
  assert_string_equal(c->classification, "CONFIDENTIAL");
  cx_cable_free(c);
}

static void test_banner_keeps_metadata(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  cx_set(&c->classification, "SECRET//NOFORN");
  const char *t = "C O N F I D E N T I A L ROME 001234\n";
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.report = count_warning;
  assert_int_equal(cx_telegram_body(c, t, strlen(t), 2008, 1, &ctx), CX_OK);
  assert_string_equal(c->classification, "SECRET//NOFORN");
  cx_cable_free(c);
}

static void test_banner_bad_section_warns(void **state) {
  (void)state;
  unsigned before = warnings;
  struct cx_cable *c = parse("SECRET SECTION 04 OF 02 ROME 001234\n");
  assert_int_equal(c->sections, 2);
  assert_int_equal(warnings, before + 1);
  cx_cable_free(c);
}

/* ---- SIPDIS ---- */

static void test_sipdis(void **state) {
  (void)state;
  static const struct {
    const char *text;
    bool sipdis;
  } cases[] = {
      {"SECRET ROME 001234\n\nSIPDIS\n\nE.O. 12958: N/A\n", true},
      {"SECRET ROME 001234\n\nS I P D I S\n", true},
      {"SECRET ROME 001234 NOFORNSIPDIS\n", true},
      {"SECRET ROME 001234\n\nE.O. 12958: N/A\n", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    assert_int_equal(c->sipdis, cases[i].sipdis);
    cx_cable_free(c);
  }
}

/* ---- E.O. ---- */

static void test_eo_dates(void **state) {
  (void)state;
  static const struct {
    const char *text, *date;
  } cases[] = {
      {"E.O. 12958: DECL: 08/28/2016\n", "2016-08-28"},
      {"EO 12958 DECL: 2020/02/23\n", "2020-02-23"},
      {"E.O.12958: DECL: 6/3/08\n", "2008-06-03"},
      {"E.0. 13526: DECL: 06/30/08\n", "2008-06-30"},
      {"E.o. 12958: decl: 1/20/2019\n", "2019-01-20"},
      {"E.O. 12958: DECL: 25/12/2015\n", "2015-12-25"}, /* day first: 25 is no month */
      {"E.O. 12958: DECL: 1.6X6\n", NULL},
      {"E.O. 12958: N/A\n", NULL},
      {"E. O. 11652: GDS\n", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    assert_true(c->has_declassify);
    if (cases[i].date)
      assert_string_equal(c->declassify.date, cases[i].date);
    else
      assert_null(c->declassify.date);
    cx_cable_free(c);
  }
}

static void test_eo_text(void **state) {
  (void)state;
  struct cx_cable *c = parse("E.o. 12958:   decl: 01/07/2014 Tags: prel, pgov, tu Subject: x\n");
  assert_string_equal(c->declassify.text, "E.o. 12958: decl: 01/07/2014");
  assert_string_equal(c->declassify.date, "2014-01-07");
  cx_cable_free(c);
  c = parse("SECRET ROME 001234\n\nTAGS: PREL\n");
  assert_false(c->has_declassify);
  assert_null(c->declassify.text);
  cx_cable_free(c);
  /* "EON" is a word, not an order */
  c = parse("EON 12958 SHIPS\n");
  assert_false(c->has_declassify);
  cx_cable_free(c);
}

static void test_eo_invalid_date_warns(void **state) {
  (void)state;
  unsigned before = warnings;
  struct cx_cable *c = parse("E.O. 12958: DECL: 13/45/2010\n");
  assert_true(c->has_declassify);
  assert_null(c->declassify.date);
  assert_int_equal(warnings, before + 1);
  cx_cable_free(c);
}

/* ---- TAGS ---- */

static void test_tags(void **state) {
  (void)state;
  static const struct {
    const char *text, *tags;
  } cases[] = {
      {"TAGS: PREL PGOV ECON IT\nSUBJECT: X\n", "PREL|PGOV|ECON|IT"},
      {"TAGS PREL, PGOV, ECON\n", "PREL|PGOV|ECON"},
      {"TAG PTER, PGOV\n", "PTER|PGOV"},
      {"tags: prel, pgov\n", "PREL|PGOV"},
      {"DECL: 08/22/2017 AGS: PGOV, AR\n", "PGOV|AR"}, /* the T lost */
      {"TAGS: PREL, PGOV, \nLH, RS\nSUBJECT: X\n", "PREL|PGOV|LH|RS"},
      {"TAGS: OVIP PREL CU\nBL, IS\nSUBJECT: X\n", "OVIP|PREL|CU|BL|IS"},
      {"TAGS something\nhere\n", "SOMETHING"}, /* no comma: "here" is text */
      {"TAGS: PREL, PGOV SUBJECT: THE SUBJECT\n", "PREL|PGOV"},
      {"TAGS: OVIP (STEINBERG, JAMES B.), PREL\n", "OVIP (STEINBERG, JAMES B.)|PREL"},
      {"TAGS: KNNPMNUC ETRDEINVECINPGOVCS\n", "KNNP|MNUC|ETRD|EINV|ECIN|PGOV|CS"},
      {"TAGS: VTPREL PTER MOPPS\n", "VT|PREL|PTER|MOPS"},
      {"TAGS: IS ISRAELI PALESTINIAN AFFAIRS\n", "IS|ISRAELI PALESTINIAN AFFAIRS"},
      {"TAGS: ECON ECONOMY AND FINANCE\n", "ECON|ECONOMY AND FINANCE"},
      {"TAGS: OVIP RICE CONDOLEEZZA PREL\n", "OVIP|RICE, CONDOLEEZZA|PREL"},
      {"TAGS: PREL, PHUM, PREL, PHUM\n", "PREL|PHUM"},
      {"TAGS: PREL, UNGA/C-6\n", "PREL|UNGA/C-6"},
      {"TAGS: PREL, IT          SECRET       PAGE 02        ROME  03067  211833Z \n", "PREL|IT"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    char got[512];
    join_tags(c, got, sizeof got);
    if (strcmp(got, cases[i].tags)) fail_msg("case %zu: got \"%s\"", i, got);
    cx_cable_free(c);
  }
}

static void test_tags_metadata_wins(void **state) {
  (void)state;
  struct cx_cable *c = cx_cable_new();
  cx_strv_push(&c->tags, "KPAO");
  const char *t = "TAGS: PREL PGOV\n";
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  assert_int_equal(cx_telegram_body(c, t, strlen(t), 2008, 1, &ctx), CX_OK);
  assert_int_equal(c->tags.n, 1);
  assert_string_equal(c->tags.v[0], "KPAO");
  cx_cable_free(c);
}

/* ---- SUBJECT ---- */

static void test_subject(void **state) {
  (void)state;
  static const struct {
    const char *text, *subject;
  } cases[] = {
      {"SUBJECT: SUBJECT WHICH HAS a \nSECOND LINE \n\nREF: X 1\n",
       "SUBJECT WHICH HAS a SECOND LINE"},
      {"SUBJ: GUINEA - MEETING \n\nClassified by X\n", "GUINEA - MEETING"},
      {"SUBJECT SAG STEPS\nREF A. RIYADH 1579\n", "SAG STEPS"},
      {"SUBJECT: (C) FOO AND BAR\n\n", "FOO AND BAR"},
      {"SUBJECT: (S/NF) FOO\n\n", "FOO"},
      {"SUBJECT: FOO ON BAR (C)\n\n", "FOO ON BAR"},
      {"SUBJECT: GRANTS FOR PD (Iceland)\n\n", "GRANTS FOR PD (Iceland)"},
      {"SUBJECT: VISIT TO CAIROClassified By: DCM\n", "VISIT TO CAIRO"},
      {"SUBJECT: VISIT TO EGYPTREF: CAIRO 493\n", "VISIT TO EGYPT"},
      {"SUBJECT: ENERGY INSTALLATIONS REF: BRASILIA 861\n", "ENERGY INSTALLATIONS"},
      {"SUBJECT: FOO\n1. (SBU) Summary. Bar.\n", "FOO"},
      {"SUBJECT: PART 3 OF 3: THE LIFE OF \nA PRESIDENT\nPRETORIA 00000954 001.2 OF 004\n",
       "PART 3 OF 3: THE LIFE OF A PRESIDENT"},
      {"SUBJECT: THE US- \nLATIN AMERICAN TIES\n\n", "THE US-LATIN AMERICAN TIES"},
      /* an old page break inside the subject is stepped over */
      {"SUBJECT: MEETS WITH ZIMBABWE \n CONFIDENTIAL\nPAGE 02 HARARE 06677 01 OF 03 291400Z "
       "OPPOSITION LEADER\nREFTEL: HARARE 6584\n",
       "MEETS WITH ZIMBABWE OPPOSITION LEADER"},
      {"SUBJECT: ZIM NOTES \n----------- \n1. SUMMARY\n", "ZIM NOTES"},
      {"SUBJECT:\n\nCooperation Busts Fraud Ring\n1.(SBU) Summary: x\n",
       "Cooperation Busts Fraud Ring"},
      {"UBJECT: LOST ITS S\n\n", "LOST ITS S"},
      {"C O R R E C T E D COPY (SUBJECT LINE)\n\nSUBJECT: THE REAL ONE\n\n", "THE REAL ONE"},
      {"SUBJECT: Bla &#8217; bla\n\n", "Bla \xe2\x80\x99 bla"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    if (!c->subject || strcmp(c->subject, cases[i].subject))
      fail_msg("case %zu: got \"%s\"", i, c->subject ? c->subject : "(null)");
    cx_cable_free(c);
  }
  struct cx_cable *c = parse("TAGS: PREL\n\n1. (C) No subject here.\n");
  assert_null(c->subject);
  cx_cable_free(c);
}

/* ---- REF ---- */

static void test_refs_ids(void **state) {
  (void)state;
  static const struct {
    const char *text, *ids;
  } cases[] = {
      {"REF: A. STATE 124823 B. BERN 860\n", "18STATE124823|18BERN860"},
      {"REF: A. 06 TBILISI 2601  B. 2007 MANAGUA 2135\n", "06TBILISI2601|07MANAGUA2135"},
      {"REF: A. '08 BUENOS AIRES 1491\n", "08BUENOSAIRES1491"},
      {"REF: A. ASUNCION 701 (08)\n", "08ASUNCION701"},
      {"REF: A. QUITO 4525-91 B. AMMAN 5049-01\n", "91QUITO4525|01AMMAN5049"},
      {"REF: A. 07BERN881 B. 09DHAHRAN 201 C. 2005PANAMA2342\n",
       "07BERN881|09DHAHRAN201|05PANAMA2342"},
      {"REF: A) STATE 135205; B) STATE 127608\n", "18STATE135205|18STATE127608"},
      {"REF: (A)STATE 071143, (D)BEIJING \n5361\n", "18STATE71143|18BEIJING5361"},
      {"REF: A. SECSTATE 74879\n     B. SECTSTATE 14985\n", "18STATE74879|18STATE14985"},
      {"REF: (A) Sao Paulo 526; \n(B) Rio de Janeiro 0091\n", "18SAOPAULO526|18RIODEJANEIRO91"},
      {"REF: A. TRIPOLII 695 B. BRASILA 931 C. 05 0TTAWA 3518\n",
       "18TRIPOLI695|18BRASILIA931|05OTTAWA3518"},
      {"REF: A) USDOC 05667 B)HK05511\n", "18USDOC5667|18HONGKONG5511"},
      {"REF: KUWAIT (C)02293\n", "18KUWAIT2293"},
      {"Refs: A) Kabul 936/935; B) 06 Kabul 5353\n", "18KABUL936|18KABUL935|06KABUL5353"},
      {"REF: EMBASSY VIENNA 1450\n", "18VIENNA1450"},
      {"REF: A) TRIPOLI 199, B) TRIPOLI 227 TRIPOLI 00000402 \n\n001.2 OF 003\n",
       "18TRIPOLI199|18TRIPOLI227"},
      {"REF: A. PARIS POINTS JULY 15 B. PARIS 1025\n", "18PARIS1025"},
      {"REF: A. INCSR BRAZIL 2008\n", ""},
      {"REF A WELLINGTON 721 B WELLINGTON 690\n", "18WELLINGTON721|18WELLINGTON690"},
      {"REF: A. VILNIUS 512 B. VILNIUS 488\n", "18VILNIUS488"}, /* the cable itself */
      {"REF: A. STATE 40721\n CONFIDENTIAL\nPAGE 02 ROME 01196 01 OF 02 082030Z  B. ROME 1098\n"
       "CLASSIFIED BY: POL\n",
       "18STATE40721|18ROME1098"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    char got[512];
    join_ids(c, got, sizeof got);
    if (strcmp(got, cases[i].ids)) fail_msg("case %zu: got \"%s\"", i, got);
    cx_cable_free(c);
  }
}

static void test_refs_items(void **state) {
  (void)state;
  struct cx_cable *c = parse("SUBJECT: X\n\nREF: A) TALLINN 366 B) LEE-GOLDSTEIN EMAIL 05/11/07 \n"
                             "C) OSD REPORT DTG 251847Z MAR 08\n\nClassified By: Ambassador X\n");
  assert_int_equal(c->references.n, 3);
  struct cx_reference *r = c->references.v;
  assert_string_equal(r[0].letter, "A");
  assert_int_equal(r[0].kind, CX_REF_CABLE);
  assert_string_equal(r[0].text, "TALLINN 366");
  assert_string_equal(r[0].cable_id, "18TALLINN366");
  assert_string_equal(r[1].letter, "B");
  assert_int_equal(r[1].kind, CX_REF_EMAIL);
  assert_string_equal(r[1].text, "LEE-GOLDSTEIN EMAIL 05/11/07");
  assert_null(r[1].cable_id);
  assert_string_equal(r[2].letter, "C");
  assert_int_equal(r[2].kind, CX_REF_OTHER);
  assert_string_equal(r[2].text, "OSD REPORT DTG 251847Z MAR 08");
  cx_cable_free(c);

  /* unlettered, split by semicolons */
  c = parse("REF: 08 STATE 1234; E-Mail Tralala; 05 STATE 1234\n");
  assert_int_equal(c->references.n, 3);
  assert_null(c->references.v[0].letter);
  assert_int_equal(c->references.v[1].kind, CX_REF_EMAIL);
  assert_string_equal(c->references.v[1].text, "E-Mail Tralala");
  assert_string_equal(c->references.v[2].cable_id, "05STATE1234");
  cx_cable_free(c);

  /* a bare number after a bullet belongs to the station named before */
  c = parse("REF: A. MANILA 2969 B. 2962 AND PREVIOUS\n");
  assert_int_equal(c->references.n, 2);
  assert_string_equal(c->references.v[1].cable_id, "18MANILA2962");
  assert_string_equal(c->references.v[1].letter, "B");
  cx_cable_free(c);

  /* nested bullets count once; "REF A:" inside an item is noise */
  c = parse("REF: A. A) MANAMA 20 \nB. REF B: 05 SOFIA 1207\n");
  assert_int_equal(c->references.n, 2);
  assert_string_equal(c->references.v[0].letter, "A");
  assert_string_equal(c->references.v[1].letter, "B");
  assert_string_equal(c->references.v[1].cable_id, "05SOFIA1207");
  cx_cable_free(c);

  c = parse("REF: NONE\n\n1. (U) Text.\n");
  assert_int_equal(c->references.n, 0);
  cx_cable_free(c);

  /* no year known anywhere: a cable reference without an id */
  c = parse_id("REF: STATE 1234\n", NULL, 0);
  assert_int_equal(c->references.n, 1);
  assert_int_equal(c->references.v[0].kind, CX_REF_CABLE);
  assert_null(c->references.v[0].cable_id);
  cx_cable_free(c);

  /* the year from the id when the caller knows none */
  c = parse_id("REF: STATE 1234\n", "17ROME1", 0);
  assert_string_equal(c->references.v[0].cable_id, "17STATE1234");
  cx_cable_free(c);
}

static void test_refs_not_in_text(void **state) {
  (void)state;
  /* "REFORM" is no REF; a REF word inside a sentence without a colon neither */
  struct cx_cable *c = parse("SUBJECT: PENSION REFORM\n\n1. (C) Text about REF 12 of the law.\n");
  assert_int_equal(c->references.n, 0);
  cx_cable_free(c);
}

/* ---- Classified By ---- */

static void test_classified_by_names(void **state) {
  (void)state;
  static const struct {
    const char *text, *name;
  } cases[] = {
      {"Classified By: Political Counselor F. Daniel Sainz for Reasons 1.4 (b) and (d)\n",
       "F. Daniel Sainz"},
      {"Classified By: Karin L. Look, Acting ASSISTANT SECRETARY, VCI. Reason: 1.4 (b)\n",
       "Karin L. Look"},
      {"Classified By: Charge d'Affaires, a.i., Arnold A. Chacon\n\n1.(C) Summary\n",
       "Arnold A. Chacon"},
      {"CLASSIFIED BY: ACTING E/P CHIEF JEFF ZAISER.  REASONS: 1.4(B,D).\n", "JEFF ZAISER"},
      {"Classified By: Ambassador Richard L. Baltimore, III.\nReasons: 1.4 (b) and (d).\n",
       "Richard L. Baltimore, III"},
      {"Classified By: AMBASSADOR JOHN L. WITHERS II FR REASONS 1.4 (b)\n", "JOHN L. WITHERS II"},
      {"Classified By: Abassador Robert O. Blake, Jr. for reasons 1.4 (b)\n",
       "Robert O. Blake, Jr."},
      {"Classified By: Ambassador William B. Wood; reasons 1.4 (b) and (d)\n", "William B. Wood"},
      {"Classified By: Pol/Econ Officer Jessica Davis Ba for reasons 1.4(b)\n", "Jessica Davis Ba"},
      {"Classified By: Acting DCM/Ted Osius for reasons 1.4 (b and d)\n", "Ted Osius"},
      {"Classified By: Special Representative for Afghanistan and Pakistan\n"
       "Richard C. Holbrooke\n\n1.  (U)  Text.\n",
       "Richard C. Holbrooke"},
      {"Classified By: Classified by DCM Liz Dibble for reasons 1.4 (b) and\n(d).\n", "Liz Dibble"},
      {"Classified By: Interagency Provincial Affairs Deputy Coordinator Hoyt Y \n"
       "ee for reasons 1.4 (b) and (d)\n",
       "Hoyt Yee"},
      {"Classified By: Coordinator Hoyt Y ee for reasons 1.4 (b) and (d)\n", "Hoyt Yee"},
      {"Classified By: PRM/AFR Dir. Margaret McKelvey-reasons 1.4(b/d)\n", "Margaret McKelvey"},
      {"Classified By: AMB:RCROCKER, Reasons 1.4 (b) and (c)\n", "RCROCKER"},
      {"CLASSIFIED BY AMBASSADOR TOM MCDONALD. \n CONFIDENTIAL \n\nPAGE 02\n", "TOM MCDONALD"},
      {"1.  CLASSIFIED BY AF/C - MARY BETH LEONARD, REASON 1.5\n(D).\n", "MARY BETH LEONARD"},
      {"1. CONFIDENTIAL - ENTIRE TEXT.  CLASSIFIED BY:\nCHRISTOPHER W.S. ROSS, AMBASSADOR.  "
       "REASON: 1.5 (D) .\n",
       "CHRISTOPHER W.S. ROSS"},
      {"Classified By: DOS CLASSIFICATION GUIDE BY MARY TOWNSWICK\n\n1.  (C)  Summary.\n",
       "MARY TOWNSWICK"},
      {"Classified By: Ambassadior William T.Monroe.  Reasons: 1.\n4 (b)(d)\n", "William T.Monroe"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    assert_true(c->has_classified_by);
    if (c->classified_by.names.n != 1 || strcmp(c->classified_by.names.v[0], cases[i].name))
      fail_msg("case %zu: got %zu names, first \"%s\"", i, c->classified_by.names.n,
               c->classified_by.names.n ? c->classified_by.names.v[0] : "");
    cx_cable_free(c);
  }
}

static void test_classified_by_text(void **state) {
  (void)state;
  struct cx_cable *c = parse("SUBJECT: X\n\nClassified By: Ambassador John Ordway for reasons 1.4\n"
                             "(b) and (d).\n\n1. (C) Summary: x.\n");
  assert_true(c->has_classified_by);
  assert_string_equal(c->classified_by.text,
                      "Classified By: Ambassador John Ordway for reasons 1.4 (b) and (d).");
  assert_string_equal(c->classified_by.reasons, "1.4 (b) and (d)");
  assert_string_equal(c->classified_by.names.v[0], "John Ordway");
  cx_cable_free(c);

  /* the word "reasons" after a semicolon is not part of the reasons */
  c = parse("SUBJECT: X\n\nClassified By: Charge d'Affaires Ann Lee; reasons 1.4(b) and (d)\n\n"
            "1. (C) x.\n");
  assert_string_equal(c->classified_by.reasons, "1.4(b) and (d)");
  cx_cable_free(c);
  c = parse("SUBJECT: X\n\nClassified By: Polchief Ann Lee, REASON: 1.4(B), (D) (S//NF) Summary: "
            "the talks went well.\n");
  assert_string_equal(c->classified_by.reasons, "1.4(B), (D)");
  cx_cable_free(c);
  /* reason letters joined by a slash are not a marking */
  c = parse("SUBJECT: X\n\nClassified By: DCM Ann Lee. Reasons 1.4 (b/d).\n\n1. (C) x.\n");
  assert_string_equal(c->classified_by.reasons, "1.4 (b/d)");
  cx_cable_free(c);

  /* a classification authority but no person */
  c = parse("1.  CONFIDENTIAL - ENTIRE TEXT.  CLASSIFIED BY SECTION 1.5 (B)\nAND (D).\n");
  assert_true(c->has_classified_by);
  assert_int_equal(c->classified_by.names.n, 0);
  cx_cable_free(c);

  c = parse("SUBJECT: X\n\n1. (U) Unclassified text.\n");
  assert_false(c->has_classified_by);
  cx_cable_free(c);
}

/* ---- SUMMARY ---- */

static void test_summary(void **state) {
  (void)state;
  static const struct {
    const char *text, *summary;
  } cases[] = {
      {"Classified By: X\n\nSUMMARY\n-------\n\n1. (C) Chancellor said.\nEnd Summary.\n\nMORE\n",
       "Chancellor said."},
      {"1. (C) SUMMARY: Fidel spoke.\n \nWHAT WE KNOW\n", "Fidel spoke."},
      {"1. (C/NF) This is not a change. END SUMMARY.\n", "This is not a change."},
      {"1. (U) Para 2 has a request.\n\n2. (C) Summary and Action Request. With him. End Summary "
       "and Action Request.\n",
       "With him."},
      {"1. (C) Summary and Comment: Unrest goes on. End Summary and Comment.\n", "Unrest goes on."},
      {"1.  Summary: (SBU) Japanese views. End Summary\n\n2. x\n", "Japanese views."},
      {"1. (S) SUMMARY: The Dutch [...]. END\nSUMMARY.\n", "The Dutch [...]."},
      {"1.(C) Summary: The GOB agreed. -------- Training --------\n\n2.(U) x\n", "The GOB agreed."},
      {"Summary/Comment: bla bla\nbla bla bla.  End Summary/Comment.\n", "bla bla bla bla bla."},
      {"1.(C) The African summit ended. End Summary.\n", "The African summit ended."},
      {"1. (C) Summary: One.\n\n2. (C) Two. End Summary.\n", "One. Two."},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    if (!c->summary || strcmp(c->summary, cases[i].summary))
      fail_msg("case %zu: got \"%s\"", i, c->summary ? c->summary : "(null)");
    cx_cable_free(c);
  }
  /* "a summary of" inside a sentence is no summary */
  struct cx_cable *c = parse("1. (C) He gave a summary of the talks.\n\n2. (C) More.\n");
  assert_null(c->summary);
  cx_cable_free(c);
}

/* ---- paragraphs and signer ---- */

static void test_paragraphs(void **state) {
  (void)state;
  struct cx_cable *c = parse("SUBJECT: X\n\n1. (C) First line\nsecond line.\n\n"
                             "ALMATY 00003065  002 OF 004\n\n2.(SBU) Two.\n3. THREE.\n"
                             "3.A. (U) sub.\n1974  SPAIN\n4.  Four.\nORDWAY\n");
  assert_int_equal(c->paragraphs.n, 5);
  struct cx_paragraph *p = c->paragraphs.v;
  assert_string_equal(p[0].number, "1");
  assert_string_equal(p[0].marking, "C");
  assert_string_equal(p[0].text, "First line\nsecond line."); /* the page break is gone */
  assert_string_equal(p[1].number, "2");
  assert_string_equal(p[1].marking, "SBU");
  assert_string_equal(p[1].text, "Two.");
  assert_string_equal(p[2].number, "3");
  assert_null(p[2].marking);
  assert_string_equal(p[3].number, "3.A");
  assert_string_equal(p[3].text, "sub.\n1974  SPAIN"); /* 1974 is not paragraph 4 */
  assert_string_equal(p[4].number, "4");
  assert_string_equal(p[4].text, "Four.");
  assert_string_equal(c->signer, "ORDWAY");
  cx_cable_free(c);

  /* no numbered paragraph: the text after the header is one paragraph */
  c = parse("SUBJECT: X\n\nJUST TEXT WITHOUT NUMBERS\nON TWO LINES.\n");
  assert_int_equal(c->paragraphs.n, 1);
  assert_null(c->paragraphs.v[0].number);
  assert_string_equal(c->paragraphs.v[0].text, "JUST TEXT WITHOUT NUMBERS\nON TWO LINES.");
  cx_cable_free(c);
}

/* PlusD page headers are no paragraph text: on one line, cut in two after
 * "PAGE nn" (with or without the DTG group), or with text after it. */
static void test_paragraphs_plusd_pages(void **state) {
  (void)state;
  struct cx_cable *c = parse("SUBJECT: X\n\n1. ONE ENDS ON\nCONFIDENTIAL\nCONFIDENTIAL\nPAGE 02\n"
                             "XXTEST 01234 01 OF 07 050821Z\nTHE NEXT PAGE.\n"
                             "2. TWO ENDS ON\nPAGE 03\nSTATE 297216\nTHE NEXT PAGE.\n"
                             "3. THREE ENDS ON\nPAGE 04 XXTEST 01234 01 OF 07 050821Z\n"
                             "PAGE 05 XXTEST 01234 01 OF 07 050821Z THE NEXT PAGE.\n");
  static const char *const want[] = {"ONE ENDS ON\nTHE NEXT PAGE.", "TWO ENDS ON\nTHE NEXT PAGE.",
                                     "THREE ENDS ON\nTHE NEXT PAGE."};
  assert_int_equal(c->paragraphs.n, 3);
  for (size_t i = 0; i < 3; i++)
    assert_string_equal(c->paragraphs.v[i].text, want[i]);
  cx_cable_free(c);
  /* a page header naming the telegram by its routing indicator and serial,
   * then the banner and the station's serial, glued to the text */
  c = parse("SUBJECT: X\n\n1. (C) ONE ENDS ON\n"
            "PAGE 02 RUEHXX1234 C O N F I D E N T I A L XXTEST 001234\nTHE NEXT PAGE.\n\n"
            "2. (C) TWO.\n");
  assert_string_equal(c->paragraphs.v[0].text, "ONE ENDS ON\nTHE NEXT PAGE.");
  cx_cable_free(c);
  /* a station and a number alone is text when no "PAGE nn" comes before */
  c = parse("SUBJECT: X\n\n1. SEE\nSTATE 297216\nFOR MORE.\n\nDOE\n");
  assert_string_equal(c->paragraphs.v[0].text, "SEE\nSTATE 297216\nFOR MORE.");
  cx_cable_free(c);
}

/* A replacement character where a wrong encoding lost the pilcrow before a
 * paragraph number is dropped like the pilcrow; elsewhere it is text. */
static void test_paragraphs_lost_pilcrow(void **state) {
  (void)state;
  struct cx_cable *c = parse("SUBJECT: X\n\n\357\277\2751. (C) One \357\277\275"
                             "2 here.\n\n"
                             "\357\277\2752. (C) Two.\n\nDOE\n");
  assert_int_equal(c->paragraphs.n, 2);
  assert_string_equal(c->paragraphs.v[0].number, "1");
  assert_string_equal(c->paragraphs.v[0].text, "One \357\277\275"
                                               "2 here.");
  assert_string_equal(c->paragraphs.v[1].number, "2");
  cx_cable_free(c);
}

/* A bracketed acronym opening a summary line is text, not a marking. */
static void test_summary_acronym(void **state) {
  (void)state;
  struct cx_cable *c = parse("SUBJECT: X\n\n1. (C) Summary: The ruling party\n(AKP) won; the "
                             "opposition\n(SBU) lost.  End Summary.\n\n2. (C) More.\n");
  assert_string_equal(c->summary, "The ruling party (AKP) won; the opposition lost.");
  cx_cable_free(c);
}

/* Broken numbering: every numbered line that the grammar says opens a
 * paragraph does, and its number is kept as written. */
static void test_paragraph_numbering(void **state) {
  (void)state;
  static const struct {
    const char *text, *numbers; /* the paragraph numbers, joined by ',' */
  } cases[] = {
      /* a gap: 10 follows 8 after a blank line */
      {"SUBJECT: X\n\n1. (C) One.\n\n8. Eight.\n\n10. Ten.\n", "1,8,10"},
      /* a repeated number, and a number going back */
      {"SUBJECT: X\n\n1. (C) One.\n\n2. (C) Two.\n\n2. (C) Again.\n\n1. Back.\n", "1,2,2,1"},
      /* a marking opens a paragraph even without a blank line before it */
      {"SUBJECT: X\n\n1. (C) One\ngoes on.\n5. (S/NF) Five.\n3. (C) Three.\n", "1,5,3"},
      /* the period left out before a marking */
      {"SUBJECT: X\n\n1. (C) One.\n\n4 (C) Four.\n\n5. Five.\n", "1,4,5"},
      /* a redacted first word after a blank line */
      {"SUBJECT: X\n\n1. One.\n\n2. xxxxxxxxxxxx met the minister.\n", "1,2"},
      /* a rule before the number */
      {"SUBJECT: X\n\n1. One.\n-----\n7. Seven.\n", "1,7"},
      /* a wrapped line that starts with a number stays in its paragraph */
      {"SUBJECT: X\n\n1. (C) Exports rose by\n12. percent last year.\n2. Two.\n", "1,2"},
      {"SUBJECT: X\n\n1. (C) One.\n2. Two ends\n7. in the text.\n", "1,2"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    char got[64] = "";
    for (size_t k = 0; k < c->paragraphs.n; k++) {
      const char *n = c->paragraphs.v[k].number ? c->paragraphs.v[k].number : "-";
      snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s", k ? "," : "", n);
    }
    if (strcmp(got, cases[i].numbers)) fail_msg("case %zu: got %s", i, got);
    cx_cable_free(c);
  }
  /* nothing is folded into the paragraph before a broken number */
  struct cx_cable *c = parse("SUBJECT: X\n\n1. (C) One.\n\n3. (C) Three is next.\n");
  assert_int_equal(c->paragraphs.n, 2);
  assert_string_equal(c->paragraphs.v[0].text, "One.");
  assert_string_equal(c->paragraphs.v[1].text, "Three is next.");
  cx_cable_free(c);
}

static void test_signer(void **state) {
  (void)state;
  static const struct {
    const char *text, *signer;
  } cases[] = {
      {"1. TEXT.\nAPPEARS TO BE WAVERING.\nSTEIGMAN\nCONFIDENTIAL\n", "STEIGMAN"},
      {"1. TEXT ENDS.\n\nSULLIVAN\n\nCONFIDENTIAL\n\nDeclassified/Released US Department of "
       "State EO Systematic\nReview 30 JUN 2006\n",
       "SULLIVAN"},
      {"1. END TEXT.\n\n\nHORAN##\n", "HORAN"},
      {"1. TEXT.\n\nMCNAMARA.\n", "MCNAMARA"},
      {"1. TEXT.\n\n21.  BEIRUT MINIMIZE CONSIDERED.  EAGLETON\n", "EAGLETON"},
      {"1. TEXT.\n\nDE PREE\n", "DE PREE"},
      {"1. TEXT.\n\n\nO'DONOHUE", "O'DONOHUE"},
      {"1. Text.\n \nBRUSSELS 00003382  003 OF 003 \n \n \nGRAY \n.", "GRAY"},
      {"1. TEXT.\nSEMBLER \n \n                          SECRET \n \n> \n 2002ROME01748 - "
       "Classification: SECRET",
       "SEMBLER"},
      {"1. TEXT.\nLORD\nLIMITED OFFICIAL USE\nNNNN", "LORD"},
      {"1. TEXT.\nTRIVELLI\n\nDANIEL ORTEGA AN...\n", "TRIVELLI"},
      /* mixed case, as on the 2010 pages, after the text has ended */
      {"1. (C) Some text.\n\nPlease visit Paris' Classified Website at:\n"
       "http://www.state.sgov.gov/p/eur/paris/index.cfm\n\nStapleton\n",
       "Stapleton"},
      {"1. (C) Text.\n2. (U) More text.\nTimken jr\n", "Timken jr"},
      {"1. (C) Text. End comment. SOBEL\n", "SOBEL"},
      {"1. (C) Text integrated into Europe. Edelman\n", "Edelman"},
      {"1. (C) See the film \xe2\x80\x9cTaxi.\xe2\x80\x9d Stroum\n", "Stroum"},
      {"1. (C) TEXT.\n\nEND COMMENT\nDELL\n", "DELL"},
      {"1. (C) Text.\n\nHuntsman\nhuntsman\n", "Huntsman"},
      {"1. (C) TEXT.\n\nKUBISKE KUBISKE\n", "KUBISKE"},
      /* a quoted cable's signer, its end, the sender's signer */
      {"1. (C) TEXT ENDS \"HERE.\"\nQUILL UNQUOTE FENWICK\n", "FENWICK"},
      {"1. (C) Text.\n\nWHITE\n\nTrack impresion: someone @ Sat Dec 4 2010\nID: 1234\n", "WHITE"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    if (!c->signer || strcmp(c->signer, cases[i].signer))
      fail_msg("case %zu: got \"%s\"", i, c->signer ? c->signer : "(null)");
    cx_cable_free(c);
  }
  static const char *const none[] = {
      "1. PLEASE CABLE CONCURRENCE. BRIDGETOWN APPRECIATES TRINIDAD'S\nASSISTANCE.\n",
      "1. TEXT.\n\nEND TEXT.\n",
      "1. TEXT.\n\nUNQUOTE\n",
      "TAGS: PREL\n",
      "1. (C) We met the minister on\nMonday\n", /* a title-case word going on a sentence */
      "1. (C) Text.\n\n6. This cable was cleared by Embassy Brasilia.\n",
  };
  for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
    struct cx_cable *c = parse(none[i]);
    if (c->signer) fail_msg("none %zu: got \"%s\"", i, c->signer);
    cx_cable_free(c);
  }
}

/* ---- whole composed cables ---- */

static void test_fixture_modern(void **state) {
  (void)state;
  size_t len;
  char *t = load("modern.txt", &len);
  struct cx_cable *c = parse(t);
  assert_string_equal(c->classification, "CONFIDENTIAL//NOFORN");
  assert_int_equal(c->sections, 2);
  assert_true(c->sipdis);
  assert_string_equal(c->declassify.text, "E.O. 12958: DECL: 05/14/2018");
  assert_string_equal(c->declassify.date, "2018-05-14");
  char buf[512];
  join_tags(c, buf, sizeof buf);
  assert_string_equal(buf, "PREL|PGOV|MARR|ENRG|LH|RS");
  assert_string_equal(
      c->subject,
      "LITHUANIA: DEFENSE MINISTER PREVIEWS NATO BUDGET DEBATE AND BALTIC ENERGY LINKS");
  join_ids(c, buf, sizeof buf);
  assert_string_equal(buf, "18VILNIUS488|17VILNIUS1021|18STATE51234");
  assert_int_equal(c->references.n, 5);
  assert_int_equal(c->references.v[3].kind, CX_REF_EMAIL);
  assert_string_equal(c->references.v[3].letter, "D");
  assert_int_equal(c->references.v[4].kind, CX_REF_OTHER);
  assert_string_equal(c->references.v[4].text, "EMBASSY DAILY REPORTING");
  assert_string_equal(c->classified_by.names.v[0], "Theodore R. Haskins");
  assert_string_equal(c->classified_by.reasons, "1.4 (b) and (d)");
  assert_string_equal(c->summary, "The Defense Minister told the Ambassador on May 13 that the "
                                  "government will ask parliament for a defense budget of 1.1 "
                                  "percent of GDP. He expects a hard debate.");
  assert_int_equal(c->paragraphs.n, 6);
  assert_string_equal(c->paragraphs.v[1].text,
                      "The Minister said the coalition partners had agreed on the\n"
                      "figure only after a long night of talks.\n"
                      "He added that the opposition would try to reopen the numbers.");
  assert_string_equal(c->paragraphs.v[4].number, "3.B");
  assert_string_equal(c->paragraphs.v[5].text, "Embassy will report on the debate septel.");
  assert_string_equal(c->signer, "HALLORAN");
  cx_cable_free(c);
  free(t);
}

static void test_fixture_old(void **state) {
  (void)state;
  size_t len;
  char *t = load("old.txt", &len);
  struct cx_cable *c = parse_id(t, "65KARACHI4411", 1965);
  assert_string_equal(c->classification, "CONFIDENTIAL");
  assert_string_equal(c->declassify.text, "E.O. 11652: GDS");
  assert_null(c->declassify.date);
  char buf[512];
  join_tags(c, buf, sizeof buf);
  assert_string_equal(buf, "PINT|PK");
  assert_string_equal(c->subject, "PROVINCIAL ASSEMBLY ELECTIONS: FIRST RETURNS");
  join_ids(c, buf, sizeof buf);
  assert_string_equal(buf, "65KARACHI4399|65ISLAMABAD7712");
  assert_string_equal(c->classified_by.names.v[0], "DOUGLAS P. WHITCOMB");
  assert_string_equal(c->classified_by.reasons, "1.5 (D)");
  assert_int_equal(c->paragraphs.n, 3);
  /* page furniture between paragraphs 2 and 3 is not paragraph text */
  assert_string_equal(c->paragraphs.v[1].text,
                      "FIRST RETURNS FROM THE SIND CONSTITUENCIES SHOW THE GOVERNING\n"
                      "PARTY AHEAD IN ALL BUT TWO SEATS.  TURNOUT WAS LOW.");
  assert_string_equal(c->signer, "WHITCOMB");
  cx_cable_free(c);
  free(t);
}

/* ---- robustness and cost ---- */

static void test_mutations(void **state) {
  (void)state;
  size_t len1, len2;
  char *a = load("modern.txt", &len1), *b = load("old.txt", &len2);
  static const char junk[] = "\n \t.:;,()[]/-'\"#0123456789AEORSTUCNFIDLBY\xc2\xb6\xa0&#;\\";
  unsigned seed = 12345;
  char *buf = malloc(len1 + 64);
  assert_non_null(buf);
  for (int round = 0; round < 4000; round++) {
    const char *src = round % 2 ? a : b;
    size_t n = round % 2 ? len1 : len2;
    memcpy(buf, src, n);
    int edits = 1 + (int)(seed % 8);
    for (int k = 0; k < edits; k++) {
      seed = seed * 1103515245u + 12345u;
      size_t at = (seed >> 8) % n;
      seed = seed * 1103515245u + 12345u;
      switch ((seed >> 12) % 4) {
      case 0: /* replace */
        buf[at] = junk[(seed >> 16) % (sizeof junk - 1)];
        break;
      case 1: /* cut the rest */
        n = at;
        break;
      case 2: /* delete one */
        memmove(buf + at, buf + at + 1, n - at - 1);
        n--;
        break;
      default: /* insert one */
        if (n + 1 < len1 + 64) {
          memmove(buf + at + 1, buf + at, n - at);
          buf[at] = junk[(seed >> 16) % (sizeof junk - 1)];
          n++;
        }
      }
      if (!n) break;
    }
    struct cx_cable *c = cx_cable_new();
    cx_set(&c->id, "18VILNIUS512");
    struct cx_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.report = count_warning;
    int rc = cx_telegram_body(c, buf, n, round % 3 ? 2018 : 0, 1, &ctx);
    assert_true(rc == CX_OK || rc == CX_WARN);
    cx_cable_free(c);
  }
  free(buf);
  free(a);
  free(b);
}

/* Inputs that would make a quadratic scan crawl: a megabyte on one line full
 * of the letters the scanners stop at, and of parentheses and keywords. */
static void test_linear(void **state) {
  (void)state;
  static const char *const units[] = {"R T A S E ",        "((((((((((",  "REF: A. STATE 1 ",
                                      "SUMMARY SUMMARY ",  "1. (C) x\n",  "TAGS: (PREL ",
                                      "Classified By: X ", "E.O. 12958: "};
  size_t n = 1 << 20;
  char *buf = malloc(n + 1);
  assert_non_null(buf);
  for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
    size_t ul = strlen(units[u]);
    for (size_t i = 0; i < n; i++)
      buf[i] = units[u][i % ul];
    buf[n] = '\0';
    struct cx_cable *c = cx_cable_new();
    struct cx_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.report = count_warning;
    /* linear work on 1 MB is milliseconds; quadratic would be hours, which
     * the test's ctest TIMEOUT (tests/body.cmake) turns into a failure */
    int rc = cx_telegram_body(c, buf, n, 2008, 1, &ctx);
    assert_true(rc == CX_OK || rc == CX_WARN);
    cx_cable_free(c);
  }
  free(buf);
}

static void test_empty_and_nul(void **state) {
  (void)state;
  struct cx_cable *c = parse("");
  assert_null(c->subject);
  assert_int_equal(c->paragraphs.n, 0);
  assert_null(c->signer);
  cx_cable_free(c);
  static const char t[] = "SUBJECT: A\0B\n\n1. (C) x\n";
  c = cx_cable_new();
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  assert_int_equal(cx_telegram_body(c, t, sizeof t - 1, 2008, 1, &ctx), CX_OK);
  assert_string_equal(c->subject, "A B");
  cx_cable_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_banner),
      cmocka_unit_test(test_banner_keeps_metadata),
      cmocka_unit_test(test_banner_bad_section_warns),
      cmocka_unit_test(test_sipdis),
      cmocka_unit_test(test_eo_dates),
      cmocka_unit_test(test_eo_text),
      cmocka_unit_test(test_eo_invalid_date_warns),
      cmocka_unit_test(test_tags),
      cmocka_unit_test(test_tags_metadata_wins),
      cmocka_unit_test(test_subject),
      cmocka_unit_test(test_refs_ids),
      cmocka_unit_test(test_refs_items),
      cmocka_unit_test(test_refs_not_in_text),
      cmocka_unit_test(test_classified_by_names),
      cmocka_unit_test(test_classified_by_text),
      cmocka_unit_test(test_summary),
      cmocka_unit_test(test_paragraphs),
      cmocka_unit_test(test_paragraphs_plusd_pages),
      cmocka_unit_test(test_paragraphs_lost_pilcrow),
      cmocka_unit_test(test_paragraph_numbering),
      cmocka_unit_test(test_summary_acronym),
      cmocka_unit_test(test_signer),
      cmocka_unit_test(test_fixture_modern),
      cmocka_unit_test(test_fixture_old),
      cmocka_unit_test(test_mutations),
      cmocka_unit_test(test_linear),
      cmocka_unit_test(test_empty_and_nul),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
