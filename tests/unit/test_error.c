/* Unit tests for the error context (core/error.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cablex/error.h"

static int seen;
static char seen_msg[CX_MSG_MAX];
static unsigned long seen_line;

static void record(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user;
  assert_int_equal(code, CX_WARN);
  seen++;
  seen_line = ctx->line;
  strcpy(seen_msg, msg);
}

static void test_error_records_place(void **state) {
  (void)state;
  struct cx_ctx ctx = {.file = "in.txt"};
  assert_int_equal(cx_error(&ctx, CX_FAILED, 12, "bad DTG %s", "99Z"), CX_FAILED);
  assert_int_equal(ctx.code, CX_FAILED);
  assert_string_equal(ctx.msg, "bad DTG 99Z");
  char buf[256];
  cx_ctx_format(&ctx, ctx.msg, ctx.line, buf, sizeof buf);
  assert_string_equal(buf, "in.txt:12: bad DTG 99Z");
  ctx.entry = "cable/2006/08/06ALMATY3065.txt";
  cx_ctx_format(&ctx, "x", 0, buf, sizeof buf);
  assert_string_equal(buf, "in.txt(cable/2006/08/06ALMATY3065.txt): x");
  struct cx_ctx none = {0};
  cx_ctx_format(&none, "x", 3, buf, sizeof buf);
  assert_string_equal(buf, "line 3: x");
  cx_ctx_format(&ctx, "a long message", 0, buf, 8); /* truncates, stays terminated */
  assert_int_equal(strlen(buf), 7);
  cx_ctx_clear(&ctx);
  assert_int_equal(ctx.code, CX_OK);
  assert_string_equal(ctx.file, "in.txt");
}

static void test_warn_goes_to_report(void **state) {
  (void)state;
  struct cx_ctx ctx = {.file = "in.txt", .report = record};
  ctx.line = 99;
  assert_int_equal(cx_warn(&ctx, 7, "odd %d", 1), CX_WARN);
  assert_int_equal(seen, 1);
  assert_int_equal(seen_line, 7);
  assert_string_equal(seen_msg, "odd 1");
  assert_int_equal(ctx.line, 99); /* restored */
  assert_int_equal(ctx.warnings, 1);
}

static void test_strcode(void **state) {
  (void)state;
  assert_string_equal(cx_strcode(CX_FAILED), "failed");
  assert_string_equal(cx_strcode(CX_FATAL), "fatal");
  assert_string_equal(cx_strcode(12345), "unknown");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_error_records_place),
      cmocka_unit_test(test_warn_goes_to_report),
      cmocka_unit_test(test_strcode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
