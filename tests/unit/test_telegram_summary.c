/* test_telegram_summary.c - the summary part (core/lib/telegram/
 * telegram_summary.c): one case per form of the summary's heading and end,
 * and of the line starts inside it, on text written for this test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "telegram_part_test.h"

/* The summary of a body made of `text` after a subject line. */
static void summary(const char *text, const char *want) {
  char body[2048];
  snprintf(body, sizeof body, "SUBJECT: A TEST\n\n%s", text);
  struct cx_cable *c = part_parse(body, 2009);
  part_check(text, c->summary, want);
  cx_cable_free(c);
}

/* Words joined to the heading ("Summary and Background:") are heading. */
static void test_heading_words(void **state) {
  (void)state;
  summary("1. (C) Summary and Background: The test ran. End Summary.\n", "The test ran.");
  summary("1. (C) SUMMARY AND KEY THEMES: The test ran.\n\n2. (C) More.\n", "The test ran.");
  summary("-------\nSUMMARY AND OBJECTIVES\n-------\n2. (SBU) The test ran.\n\n3. More.\n",
          "The test ran.");
  summary("1. (C) Summary/Comment: The test ran. End Summary/Comment.\n", "The test ran.");
  /* a heading, then paragraph 1 with its own label: the label goes too */
  summary("Summary and Comment\n-------\n\n1. (C) Summary: The test ran.\n\n2. (C) More.\n"
          "End Summary and Comment.\n",
          "The test ran. More.");
  /* words that do not end at a stop are text */
  summary("1. (C) Summary: and then the test ran. End Summary.\n", "and then the test ran.");
}

/* Where the summary ends. */
static void test_end(void **state) {
  (void)state;
  summary("1. (C) Summary and Comment: The test ran. End Comment and\nSummary.\n\n2. (C) More.\n",
          "The test ran.");
  summary("1. (C) Summary: The test ran.\n\n2. (C) It passed. End of Summary.\n",
          "The test ran. It passed.");
  /* a heading's underline closes the section before a later END SUMMARY */
  summary("----\nSUMMARY AND OBJECTIVES\n----\n2. (SBU) The test ran.\n----\nBACKGROUND\n----\n"
          "3. (S) Text.\nSUMMARY\n(S) Inner.\nEND SUMMARY\n",
          "The test ran.");
}

/* A number at a line start opens a paragraph only where the grammar says so. */
static void test_line_start_numbers(void **state) {
  (void)state;
  /* after a finished sentence, or with a marking: paragraph numbers */
  summary("1. (C) Summary: One ran.\n2. Two ran.\n3. (C) Three ran. End Summary.\n",
          "One ran. Two ran. Three ran.");
  summary("1. (C) Summary: One ran\n2. Two ran. End Summary.\n", "One ran Two ran.");
  /* a day after a month */
  summary("1. (C) Summary: The test ran on October\n16. It passed. End Summary.\n",
          "The test ran on October 16. It passed.");
  /* the end of a range wrapped onto the next line */
  summary("1. (C) Summary: Parts:\nA. - Tests (paragraphs 3-\n9)\nB. - More. End Summary.\n",
          "Parts: A. - Tests (paragraphs 3- 9) B. - More.");
  /* a bracketed acronym is text, a marking is not */
  summary("1. (C) Summary: The party\n(XTP) won; the other\n(SBU) lost. End Summary.\n",
          "The party (XTP) won; the other lost.");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_heading_words),
      cmocka_unit_test(test_end),
      cmocka_unit_test(test_line_start_numbers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
