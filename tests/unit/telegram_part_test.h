/* telegram_part_test.h - what the tests of the telegram's parts share: a
 * body written for the test, parsed as the cable 09XXTEST123 (or its year's
 * twin).  Ownership: part_parse returns a cable the caller frees with
 * cx_cable_free; part_join writes into the caller's buffer. */
#ifndef CX_TELEGRAM_PART_TEST_H
#define CX_TELEGRAM_PART_TEST_H

#include <stdio.h>
#include <string.h>

#include "cablex/cable.h"
#include "cablex/error.h"
#include "telegram_internal.h"

/* The body `text` of a cable of `year`, parsed. */
static inline struct cx_cable *part_parse(const char *text, int year) {
  struct cx_cable *c = cx_cable_new();
  assert_non_null(c);
  char id[32];
  snprintf(id, sizeof id, "%02dXXTEST123", year % 100);
  assert_int_equal(cx_set(&c->id, id), CX_OK);
  assert_int_equal(cx_set(&c->canonical_id, id), CX_OK);
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  int rc = cx_telegram_body(c, text, strlen(text), year, 1, &ctx);
  assert_true(rc == CX_OK || rc == CX_WARN);
  return c;
}

/* The strings of v joined by "|" into got[n]. */
static inline void part_join(char *got, size_t n, const struct cx_strv *v) {
  got[0] = '\0';
  for (size_t i = 0; i < v->n; i++) {
    if (i) strncat(got, "|", n - strlen(got) - 1);
    strncat(got, v->v[i], n - strlen(got) - 1);
  }
}

/* Fails the test when got (NULL: none) is not want, naming the input. */
static inline void part_check(const char *input, const char *got, const char *want) {
  if (!got) got = "(null)";
  if (strcmp(got, want)) fail_msg("%s\ngot  %s\nwant %s", input, got, want);
}

#endif
