/* Unit tests for the error context (core/error.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Without a report callback a warning goes to stderr itself: escaped as
 * every message is (issue 12, case 13), so a file name or an id with ESC
 * in it cannot clear the screen or forge a line. */
static void test_warn_fallback_escapes(void **state) {
  (void)state;
  char path[] = "/tmp/cx-test-error-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  fflush(stderr);
  int saved = dup(2);
  assert_true(saved >= 0);
  assert_true(dup2(fd, 2) == 2);
  struct cx_ctx ctx = {0};
  ctx.file = "in\033[2J.json";
  ctx.entry = "e\a";
  cx_warn(&ctx, 3, "id \"99XXTEST1\033]0;t\a\" \xe2\x80\xae\ncablex: 0 converted");
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  char got[512] = "";
  ssize_t n = pread(fd, got, sizeof got - 1, 0);
  close(fd);
  unlink(path);
  assert_true(n > 0);
  got[n] = '\0';
  assert_string_equal(got, "cablex: warning: in\\x1b[2J.json(e\\x07):3: id "
                           "\"99XXTEST1\\x1b]0;t\\x07\" \\xe2\\x80\\xae\\x0acablex: 0 "
                           "converted\n");
  assert_int_equal(ctx.warnings, 1);
}

/* cx_escape leaves UTF-8 text and backslashes alone, cuts at a character
 * and always terminates. */
static void test_escape(void **state) {
  (void)state;
  char out[16];
  assert_string_equal(cx_escape("S\xc3\xa3o \\ x", out, sizeof out), "S\xc3\xa3o \\ x");
  assert_string_equal(cx_escape("\x7f\xff", out, sizeof out), "\\x7f\\xff");
  assert_string_equal(cx_escape("abcdefghijklmnopq", out, 8), "abcdefg");
  assert_string_equal(cx_escape("abcd\033", out, 8), "abcd");
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
      cmocka_unit_test(test_warn_fallback_escapes),
      cmocka_unit_test(test_escape),
      cmocka_unit_test(test_strcode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
