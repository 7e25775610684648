/* test_telegram_subject.c - the SUBJECT part (core/lib/telegram/
 * telegram_subject.c): one case per form of the subject line and of its
 * end, on lines written for this test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "telegram_part_test.h"

/* The subject of a body made of `text`. */
static void subject(const char *text, const char *want) {
  struct cx_cable *c = part_parse(text, 2009);
  part_check(text, c->subject, want);
  cx_cable_free(c);
}

static void test_keyword(void **state) {
  (void)state;
  subject("TAGS: PREL\nSUBJECT: A TEST RUNS\n\n1. (U) Text.\n", "A TEST RUNS");
  subject("TAGS: PREL\nSUBJ: A TEST RUNS\n\n1. (U) Text.\n", "A TEST RUNS");
  subject("TAGS: PREL\nSUBJECT A TEST RUNS\n\n1. (U) Text.\n", "A TEST RUNS");
  /* the marking before the text is dropped */
  subject("TAGS: PREL\nSUBJECT: (C) A TEST RUNS\n\n1. (U) Text.\n", "A TEST RUNS");
}

static void test_end(void **state) {
  (void)state;
  /* over lines, to a blank line */
  subject("SUBJECT: A TEST THAT RUNS\n  OVER TWO LINES\n\n1. (U) Text.\n",
          "A TEST THAT RUNS OVER TWO LINES");
  /* to a REF, Classified By, E.O. or TAGS line */
  subject("SUBJECT: A TEST RUNS\nREF: STATE 1\n\n1. (U) Text.\n", "A TEST RUNS");
  subject("SUBJECT: A TEST RUNS\nClassified By: Ann Quill, reasons 1.4 (b)\n\n1. (U) Text.\n",
          "A TEST RUNS");
  subject("SUBJECT: A TEST RUNS\nE.O. 12958: N/A\nTAGS: PREL\n\n1. (U) Text.\n", "A TEST RUNS");
  subject("SUBJECT: A TEST RUNS\nTAGS: PREL\n\n1. (U) Text.\n", "A TEST RUNS");
  /* to paragraph 1, marked or not (PlusD printouts have no blank line) */
  subject("SUBJECT: A TEST RUNS\n1. (U) Text.\n", "A TEST RUNS");
  subject("SUBJ: A TEST THAT RUNS\nOVER TWO LINES\n1. C - ENTIRE TEXT.\n2. SUMMARY: TEXT.\n",
          "A TEST THAT RUNS OVER TWO LINES");
  subject("SUBJECT: A TEST RUNS\n1. FOLLOWING IS TEXT.\n", "A TEST RUNS");
  /* a number opening a wrapped line of the subject is no paragraph */
  subject("SUBJECT: A TEST RUNS ON\n1 JUNE\n\n1. (U) Text.\n", "A TEST RUNS ON 1 JUNE");
}

static void test_not_the_key(void **state) {
  (void)state;
  /* "subject" in prose is no key: without a colon the key is in capitals */
  subject("I wish to submit my views on this critical subject and more.\n", "(null)");
  subject("TAGS: PREL\nSubject: A test runs\n\n1. (U) Text.\n", "A test runs");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_keyword),
      cmocka_unit_test(test_end),
      cmocka_unit_test(test_not_the_key),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
