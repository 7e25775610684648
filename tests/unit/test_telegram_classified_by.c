/* test_telegram_classified_by.c - the "Classified By" part
 * (core/lib/telegram/telegram_classified_by.c): one case per form of the
 * grammar, on lines written for this test (the names are invented). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "telegram_part_test.h"

static struct cx_cable *parse(const char *text) {
  return part_parse(text, 2009);
}

/* The names found in text, joined by "|". */
static void names(const char *text, const char *want) {
  struct cx_cable *c = parse(text);
  char got[512];
  part_join(got, sizeof got, &c->classified_by.names);
  if (strcmp(got, want)) fail_msg("\"%s\": got \"%s\", want \"%s\"", text, got, want);
  cx_cable_free(c);
}

static void test_title_by_shape(void **state) {
  (void)state;
  /* office words misspelt: found by their edit distance */
  names("Classified By: Politcal Counselr Ann B. Quill for reasons 1.4 (b)\n", "Ann B. Quill");
  names("Classified By: Deputy Directer Omar Fenwick for reasons 1.4 (d)\n", "Omar Fenwick");
  names("Classified By: Charge d'Afaires Lena Marsh for reasons 1.4 (b)\n", "Lena Marsh");
  names("CLASSIFIED BY: ACTING ECON CIEF PAT DUVALL. REASONS: 1.4(B)\n", "PAT DUVALL");
  names("Classified By: Under Secretary Iris Qualtrough for reasons 1.4 (b)\n", "Iris Qualtrough");
  /* a short word one edit from an office word is a name */
  names("Classified By: Ambassador Chieh Wren for reasons 1.4 (b)\n", "Chieh Wren");
  /* a hyphenated title, a part of it misspelt */
  names("Classified By: Political Minister-Councelor Omar Fenwick for reasons 1.4 (b)\n",
        "Omar Fenwick");
  /* a job code is an office word with OFF after it; a name ending so is a name */
  names("Classified By: PolOff Ann Quill for reasons 1.4 (b)\n", "Ann Quill");
  names("Classified By: ESTOff Ann Quill for reasons 1.4 (b)\n", "Ann Quill");
  names("CLASSIFIED BY: CONOFF ANN QUILL, REASON 1.4(B)\n", "ANN QUILL");
  names("Classified By: DCM Geoff Quill for reasons 1.4 (b)\n", "Geoff Quill");
  names("Classified By: Ambassador Orloff for reasons 1.4 (b)\n", "Orloff");
  /* a region or an office before the title is no part of the name */
  names("Classified By: EUR/XX Directer Ann Quill, reasons 1.4 (b)\n", "Ann Quill");
  names("Classified By: XX/YY DIRECTOR ANN QUILL FOR REASONS 1.4 (B)\n", "ANN QUILL");
  /* the Deputy Chief of Mission's MISSION is a title word, not a place */
  names("Classified By: Deputy Chief of Mission Ann Quill for reasons 1.4 (b)\n", "Ann Quill");
}

static void test_name_shapes(void **state) {
  (void)state;
  names("Classified By: Ambassador J. Tobias Vane for reasons 1.4 (b)\n", "J. Tobias Vane");
  names("Classified By: DCM Ruth M. Kessel, reasons 1.4 (b)\n", "Ruth M. Kessel");
  names("Classified By: Consul General Amos Pell, Jr. for reasons 1.4 (b)\n", "Amos Pell, Jr.");
  names("Classified By: Ambassador Dara O'Neil for reasons 1.4 (b)\n", "Dara O'Neil");
  /* OCR's zero for an O, in an initial and in a name */
  names("CLASSIFIED BY LEE 0. QUARRY, DIRECTOR, XX/YY. REASON: 1.5(D).\n", "LEE O. QUARRY");
  names("CLASSIFIED BY AMBASSADOR DARA 0'NEIL. REASON: 1.5(D).\n", "DARA O'NEIL");
  /* only the surname */
  names("Classified By: Ambassador Quill for reasons 1.4 (b)\n", "Quill");
  /* a middle initial without its period, in mixed and in upper case */
  names("Classified By: PolCouns Ann G Quill, reasons 1.4 (b), (d)\n", "Ann G Quill");
  names("CLASSIFIED BY: AMBASSADOR OMAR D FENWICK; REASONS 1.4 (B)\n", "OMAR D FENWICK");
  /* a bare letter after a title is not a name's first word */
  names("CLASSIFIED BY: AMBASSADOR A FENWICK, REASON 1.4(B)\n", "FENWICK");
  /* particles in lower case, a nickname in quotes */
  names("Classified by: Amb. Ann van Quill for reasons 1.4 (b) and (d).\n", "Ann van Quill");
  names("Classified By: Ambassador Ana de la Quill for reasons 1.4 (b)\n", "Ana de la Quill");
  names("Classified By: Political Advisor A. \"Hoot\" Quill. Reasons: 1.4 (b)\n",
        "A. \"Hoot\" Quill");
  /* a name blacked out stays what it is; a place is no name; initials
   * alone (a cut line) name nobody */
  names("CLASSIFIED BY: XXXXXXXXXXXX, Ambassador, U.S. Embassy Moscow, Department of State. "
        "REASON: 1.4 (b)\n",
        "XXXXXXXXXXXX");
  names("Classified By: A...\n", "");
}

static void test_two_classifiers(void **state) {
  (void)state;
  names("Classified By: Ambassador Ann Quill and DCM Omar Fenwick for reasons 1.4 (b)\n",
        "Ann Quill|Omar Fenwick");
  names("Classified By: Ambassador Ann Quill, Pol Chief Omar Fenwick, reasons 1.4 (b)\n",
        "Ann Quill|Omar Fenwick");
  /* a place after the name is no second classifier */
  names("Classified By: Ann B. Quill, Ambassador, US Embassy Abu Dhabi; reason 1.4(b)\n",
        "Ann B. Quill");
  names("Classified By: Ann B. Quill, Ambassador, Port Au Prince; reason 1.4(b)\n", "Ann B. Quill");
}

static void test_reason_words(void **state) {
  (void)state;
  /* run together, split by a line break (in a 70-column line), split by a blank */
  names("Classified By: Political Counselor Ann Quill forreasons 1.4 (b)\n", "Ann Quill");
  names("Classified By: MINISTER COUNSELOR FOR POLITICAL AFFAIRS OMAR FENWICK FO\n"
        "R REASONS 1.4 (B) AND (D)\n",
        "OMAR FENWICK");
  names("Classified By: Acting Economic Counselor Ann B. Quill. Rea sons 1.4 (b/d).\n",
        "Ann B. Quill");
  names("Classified By: ACTING POLITICAL COUNSELOR OMAR FENWICK. REA SONS 1.4 (B)\n",
        "OMAR FENWICK");
  /* a whole word at the end of a long line is not glued to the next */
  names("Classified By: Acting Political Minister Counselor Ann Quill Bell for \n"
        "reasons 1.4 (b), (d)\n",
        "Ann Quill Bell");
  struct cx_cable *c = parse("Classified By: Acting Political Minister Counselor Ann Quill for \n"
                             "reasons 1.4 (b), (d)\n");
  assert_string_equal(c->classified_by.reasons, "1.4 (b), (d)");
  assert_non_null(strstr(c->classified_by.text, "for reasons"));
  cx_cable_free(c);
}

/* The text of the line ends where what follows it begins: a rule, a REF
 * line, or a capital word after the finished reasons; a line going on
 * with the reasons does not end it. */
static void test_text_end(void **state) {
  (void)state;
  static const struct {
    const char *text, *want;
  } cases[] = {
      {"CLASSIFIED BY DCM ANN QUILL FOR REASONS: 1.5\n(B) AND (D).\n--------OVERVIEW\n--------\n",
       "1.5 (B) AND (D)"},
      {"CLASSIFIED BY AMBASSADOR ANN QUILL FOR REASONS 1.4 B AND D\nREFS: A) XXTEST 301\n",
       "1.4 B AND D"},
      {"Classified By: DCM Ann Quill for reasons 1.4(b,d)\nThis is a corrected copy of XXTEST 1.\n",
       "1.4(b,d)"},
      {"Classified By: DCM Ann Quill, for reasons 1.4(b) and (d).\nXXXXXXXXXXXX\n//Relations//\n",
       "1.4(b) and (d)"},
      {"Classified By: DCM Ann Quill for reasons 1.4 (b)\nand (d).\n", "1.4 (b) and (d)"},
      {"Classified By: Ambassador Ann Quill.\nReasons 1.4 (b) and (d).\n", "1.4 (b) and (d)"},
      /* the letters without a section number: the word goes all the same */
      {"Classified By: D/Ambassador Ann Quill; Reasons (b) and (d)\n", "(b) and (d)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    struct cx_cable *c = parse(cases[i].text);
    part_check(cases[i].text, c->classified_by.reasons, cases[i].want);
    cx_cable_free(c);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_title_by_shape),  cmocka_unit_test(test_name_shapes),
      cmocka_unit_test(test_two_classifiers), cmocka_unit_test(test_reason_words),
      cmocka_unit_test(test_text_end),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
