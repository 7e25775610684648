/* Unit tests for a record collected line by line (core/lib/io/reclines.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cablex/stream.h"

/* Collects lines up to a line "END", the way a reader does. */
static int collect(struct cx_istream *in, struct cx_rec_lines *st, struct cx_buf *line,
                   struct cx_buf *rec) {
  cx_rec_lines_start(st);
  cx_buf_reset(rec);
  int rc;
  while ((rc = cx_rec_lines_next(in, st, line)) == CX_OK) {
    if (!strcmp(line->data, "END\n")) return CX_OK;
    cx_rec_lines_add(st, rec, line);
  }
  return rc;
}

static void test_records_within_and_over_the_limit(void **state) {
  (void)state;
  static const char text[] = "XXTEST one\nEND\n"
                             "a line far longer than ten bytes\nshort\nEND\n"
                             "123456\n123456\nEND\n"
                             "tail\n";
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open_mem(text, sizeof text - 1, "mem", &ctx);
  assert_non_null(in);
  struct cx_rec_lines st = {.max = 12};
  struct cx_buf line, rec;
  cx_buf_init(&line, st.max + 2);
  cx_buf_init(&rec, st.max);

  assert_int_equal(collect(in, &st, &line, &rec), CX_OK);
  assert_string_equal(rec.data, "XXTEST one\n");
  assert_false(st.overflow);
  assert_int_equal(st.lines, 2);

  /* the long line is skipped and counted as max bytes: a lower bound */
  assert_int_equal(collect(in, &st, &line, &rec), CX_OK);
  assert_true(st.overflow && st.cut && st.any);
  assert_int_equal(st.total, 12 + 6);
  assert_int_equal(st.lines, 5);

  /* two lines that fit alone but not together: over the limit, not cut */
  assert_int_equal(collect(in, &st, &line, &rec), CX_OK);
  assert_true(st.overflow);
  assert_false(st.cut);
  assert_int_equal(st.total, 14);

  assert_int_equal(collect(in, &st, &line, &rec), CX_EOF);
  assert_string_equal(rec.data, "tail\n");
  assert_false(st.gave_up);
  cx_buf_free(&line);
  cx_buf_free(&rec);
  cx_istream_close(in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_records_within_and_over_the_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
