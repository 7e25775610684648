/* test_telegram_references.c - the REF part (core/lib/telegram/
 * telegram_references.c): one case per form of a reference, on REF lines
 * written for this test (the serials are invented; the cable is
 * 19XXTEST123 of 2019).  The stations are real, the names being what is
 * parsed; the years are ones no Cablegate cable has (2011-2020, 1960-1965;
 * tests/README.md), except in the ids of real cables (02COLOMBO2259,
 * 08ASUNCION701, 09CAIRO491). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "telegram_part_test.h"

/* The cable ids of the references in a body whose REF line is `ref`, joined
 * by "|" ("-" for a reference with no id), compared with want. */
static void refs_year(const char *ref, int year, const char *want) {
  char text[1024];
  snprintf(text, sizeof text, "SUBJECT: A TEST\n\nREF: %s\n\n1. (U) Text.\n", ref);
  struct cx_cable *c = part_parse(text, year);
  char got[512] = "";
  for (size_t i = 0; i < c->references.n; i++) {
    const char *v = c->references.v[i].cable_id;
    if (i) strcat(got, "|");
    strncat(got, v ? v : "-", sizeof got - strlen(got) - 2);
  }
  if (strcmp(got, want)) fail_msg("REF: %s\ngot  %s\nwant %s", ref, got, want);
  cx_cable_free(c);
}

static void refs(const char *ref, const char *want) {
  refs_year(ref, 2019, want);
}

static void test_station_spellings(void **state) {
  (void)state;
  refs("A. SAO PAULO 9991 B. HO CHI MINH CITY 12", "19SAOPAULO9991|19HOCHIMINHCITY12");
  refs("PORT-AU-PRINCE 12; N'DJAMENA 34", "19PORTAUPRINCE12|19NDJAMENA34");
  refs("A. ST. PETERSBURG 56 B. SAINT PETERSBURG 57 C. ST PETERSBURG 58",
       "19STPETERSBURG56|19STPETERSBURG57|19STPETERSBURG58");
  refs("SECSTATE 4321", "19STATE4321");
  refs("AMEMBASSY MOSCOW 4321", "19MOSCOW4321");
  refs("A. REFTEL KABUL 02245 B. MOSCOW 11", "19KABUL2245|19MOSCOW11");
  /* another name of the same post, as ids spelt it in the reference's year */
  refs("KIEV 100", "19KYIV100");
  refs_year("KIEV 100", 1965, "65KIEV100");
  refs("YANGON 77", "19RANGOON77");
  /* a country code between the station and its number */
  refs("A. MADRID SP 0307 B. LIMA PE 12", "19MADRID307|19LIMA12");
  /* unless the two together are a station: "PARIS FR" is UNESCO Paris */
  refs("PARIS FR 12", "19UNESCOPARISFR12");
  refs("RIO DE JANEIRO 1291; DAR ES SALAAM 55", "19RIODEJANEIRO1291|19DARESSALAAM55");
  /* the start of one station's name only: a short name of the post; the
   * start of several names no station */
  refs("A. ADDIS 1556 B. KUALA 77", "19ADDISABABA1556|19KUALALUMPUR77");
  refs("A. MOSCOW 1234 B. PORTO 77", "19MOSCOW1234|-");
  /* an agency channel, not a post */
  refs("A. USDA FAS 5555 B. USDA/FAS 5556", "19USDAFAS5555|19USDAFAS5556");
}

static void test_serials(void **state) {
  (void)state;
  refs("STATE #4321; STATE # 4322", "19STATE4321|19STATE4322");
  refs("STATE: 4444", "19STATE4444");
  refs("STATE 111 AND 222", "19STATE111|19STATE222");
  refs("COLOMBO CABLES 0266 AND 02259 (2002)", "19COLOMBO266|02COLOMBO2259");
  refs("KABUL 936/935", "19KABUL936|19KABUL935");
  /* the number before the station */
  refs("997 ROME", "19ROME997");
}

static void test_years(void **state) {
  (void)state;
  refs("11 ROME 997", "11ROME997");
  refs("A. 2017 MOSCOW 1234 B. MOSCOW 1235", "17MOSCOW1234|19MOSCOW1235");
  /* a year in brackets before the station wins over the cable's year */
  refs("(2017) MOSCOW 1234; (18) SAO PAULO 581; RECIFE 66",
       "17MOSCOW1234|18SAOPAULO581|19RECIFE66");
  refs("QUITO 4525-17", "17QUITO4525");
  refs("ASUNCION 701 (08)", "08ASUNCION701");
}

static void test_not_references(void **state) {
  (void)state;
  /* a station's name alone is no reference */
  refs("A. MOSCOW 1234 B. FREETOWN", "19MOSCOW1234");
  /* two references, not one wrong id and a fragment */
  refs("BRASILIA 709 2018 SAO PAULO 542", "19BRASILIA709|18SAOPAULO542");
  refs("CAIRO 2394 2009 CAIRO 491", "19CAIRO2394|09CAIRO491");
  refs("MOSCOW 1234 AND PREVIOUS", "19MOSCOW1234");
  /* a paragraph's marking after the list ends it */
  refs("MOSCOW 1234 (U) THIS CABLE IS FOR INFORMATION ONLY", "19MOSCOW1234");
  refs("MOSCOW 1234 (SBU) THIS CABLE IS FOR INFORMATION ONLY", "19MOSCOW1234");
  /* a marking followed by the next bullet, or in the bullets' order, does not */
  refs("A. MOSCOW 1234 (C) B. MOSCOW 1235", "19MOSCOW1234|19MOSCOW1235");
  refs("(A) MOSCOW 1234 (B) MOSCOW 1235 (C) MOSCOW 1236", "19MOSCOW1234|19MOSCOW1235|19MOSCOW1236");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_station_spellings),
      cmocka_unit_test(test_serials),
      cmocka_unit_test(test_years),
      cmocka_unit_test(test_not_references),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
