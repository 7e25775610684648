/* test_telegram_tags.c - the TAGS part (core/lib/telegram/telegram_tags.c):
 * one case per form of the TAGS line, on lines written for this test (the
 * person names are invented). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "telegram_part_test.h"

/* The tags of a body made of `lines`, joined by "|". */
static void tags(const char *lines, const char *want) {
  char text[1024];
  snprintf(text, sizeof text, "E.O. 12958: N/A\n%s\nSUBJECT: A TEST\n\n1. (U) Text.\n", lines);
  struct cx_cable *c = part_parse(text, 2009);
  char got[512];
  part_join(got, sizeof got, &c->tags);
  if (strcmp(got, want)) fail_msg("%s\ngot  %s\nwant %s", lines, got, want);
  cx_cable_free(c);
}

static void test_separators(void **state) {
  (void)state;
  tags("TAGS: PREL PGOV XX", "PREL|PGOV|XX");
  /* a phrase between commas is one tag */
  tags("TAGS: PREL, PGOV, ELECTIONS AND POLITICAL PARTIES, XX",
       "PREL|PGOV|ELECTIONS AND POLITICAL PARTIES|XX");
  /* a parenthesised name stays with its tag */
  tags("TAGS: PGOV, OVIP (QUILL, ANN B.), XX", "PGOV|OVIP (QUILL, ANN B.)|XX");
  /* a bracket never closed runs to the end of the value, and no further
   * (a bracket alone at the end once made a token of length -1) */
  tags("TAGS: PREL, (", "PREL");
  tags("TAGS: PREL, (QUILL", "PREL|QUILL");
}

static void test_phrases(void **state) {
  (void)state;
  /* free words between codes are one phrase */
  tags("TAGS: PREL XX TESTING AND EVALUATION", "PREL|XX|TESTING AND EVALUATION");
  /* a nationality adjective after a noun opens the next phrase */
  tags("TAGS: PREL XX BORDER CROSSINGS ITALIAN POLITICS",
       "PREL|XX|BORDER CROSSINGS|ITALIAN POLITICS");
  tags("TAGS: XX CANAL WORKS ISRAELI PALESTINIAN AFFAIRS",
       "XX|CANAL WORKS|ISRAELI PALESTINIAN AFFAIRS");
  tags("TAGS: XX NATIONAL ELECTIONS JAPANESE TRADE TURKISH POLITICS",
       "XX|NATIONAL ELECTIONS|JAPANESE TRADE|TURKISH POLITICS");
  /* after a connector it stays in the phrase */
  tags("TAGS: XX RIGHTS OF ITALIAN WORKERS", "XX|RIGHTS OF ITALIAN WORKERS");
}

static void test_persons(void **state) {
  (void)state;
  /* "SURNAME, GIVEN I.": one tag, its initial kept */
  tags("TAGS: PGOV, PREL, QUILL, ANN B., KDEM", "PGOV|PREL|QUILL, ANN B.|KDEM");
  tags("TAGS: PGOV, QUILL, A., XX", "PGOV|QUILL, A.|XX");
  /* between commas, words that are no codes are one tag */
  tags("TAGS: PGOV, PREL, QUILL ANN, XX", "PGOV|PREL|QUILL ANN|XX");
  tags("TAGS: PGOV, PREL, QUILL ANN", "PGOV|PREL|QUILL ANN");
  tags("TAGS: PGOV, PREL XX, KDEM", "PGOV|PREL|XX|KDEM");
  /* a visitor named after OVIP */
  tags("TAGS: OVIP QUILL ANNE PREL XX", "OVIP|QUILL, ANNE|PREL|XX");
  tags("TAGS: OVIP QUILL ANN PREL XX", "OVIP|QUILL, ANN|PREL|XX");
  tags("TAGS: OVIP PREL PGOV XX", "OVIP|PREL|PGOV|XX");
  /* codes between commas stay apart */
  tags("TAGS: PGOV, PREL, KDEM", "PGOV|PREL|KDEM");
}

static void test_sipdis(void **state) {
  (void)state;
  tags("TAGS: PGOV PREL SIPDIS KDEM", "PGOV|PREL|KDEM");
  tags("TAGS: PGOV, SIPDIS, XX", "PGOV|XX");
}

static void test_continuation(void **state) {
  (void)state;
  tags("TAGS: PGOV, PREL,\nKDEM, XX", "PGOV|PREL|KDEM|XX");
  /* a line of codes only, without a comma */
  tags("TAGS: PGOV PREL KDEM PHUM ETRD\n     SENV XX", "PGOV|PREL|KDEM|PHUM|ETRD|SENV|XX");
  /* a line of a code and its person in brackets */
  tags("TAGS: PGOV PREL XX\nOVIP (QUILL, ANN B.)", "PGOV|PREL|XX|OVIP (QUILL, ANN B.)");
  /* a line of words is not */
  tags("TAGS: PGOV PREL\nDEPT FOR XX", "PGOV|PREL");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_separators),   cmocka_unit_test(test_phrases),
      cmocka_unit_test(test_persons),      cmocka_unit_test(test_sipdis),
      cmocka_unit_test(test_continuation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
