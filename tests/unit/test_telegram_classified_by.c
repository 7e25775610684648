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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_title_by_shape),
      cmocka_unit_test(test_name_shapes),
      cmocka_unit_test(test_two_classifiers),
      cmocka_unit_test(test_reason_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
