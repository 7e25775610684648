/* Unit tests for the temporary files plugins spool into and for writing a
 * buffer whole (core/lib/io/tempfile.c): where the file is made, what its
 * failures say on ctx and with which code. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cablex/stream.h"

static void test_temp_open_makes_file_in_tmpdir(void **state) {
  (void)state;
  char dir[] = "/tmp/cx-tempfile-XXXXXX";
  assert_non_null(mkdtemp(dir));
  setenv("TMPDIR", dir, 1);
  struct cx_ctx ctx = {0};
  char path[4096];
  int fd = cx_temp_open("who", "cablex-test", path, sizeof path, CX_FATAL, &ctx);
  assert_true(fd >= 0);
  char want[4200];
  snprintf(want, sizeof want, "%s/cablex-test.", dir);
  assert_memory_equal(path, want, strlen(want));
  assert_int_equal(strlen(path), strlen(want) + 6); /* the XXXXXX made unique */
  /* 300,000 bytes, more than one pipe or page: written whole */
  static char big[300000];
  for (size_t i = 0; i < sizeof big; i++)
    big[i] = (char)('a' + i % 26);
  assert_int_equal(cx_write_full(fd, big, sizeof big), 0);
  struct stat st;
  assert_int_equal(fstat(fd, &st), 0);
  assert_int_equal(st.st_size, sizeof big);
  static char back[sizeof big];
  assert_int_equal(pread(fd, back, sizeof back, 0), sizeof back);
  assert_memory_equal(back, big, sizeof big);
  close(fd);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(rmdir(dir), 0);
  assert_int_equal(ctx.code, 0); /* nothing said */
  unsetenv("TMPDIR");
}

static void test_temp_open_failures_say_where(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  char path[4096];
  setenv("TMPDIR", "/nonexistent/cx-tempfile", 1);
  assert_int_equal(cx_temp_open("pdftext", "s", path, sizeof path, CX_FAILED, &ctx), CX_FAILED);
  assert_int_equal(ctx.code, CX_FAILED);
  assert_string_equal(ctx.msg, "pdftext: cannot create a temporary file in "
                               "/nonexistent/cx-tempfile: No such file or directory");
  /* no plugin name: the message starts with what failed; the caller's code */
  assert_int_equal(cx_temp_open(NULL, "s", path, sizeof path, CX_FATAL, &ctx), CX_FATAL);
  assert_int_equal(ctx.code, CX_FATAL);
  assert_string_equal(ctx.msg, "cannot create a temporary file in /nonexistent/cx-tempfile: "
                               "No such file or directory");
  /* a TMPDIR longer than path's room: its length, not the name itself */
  static char longdir[5001];
  memset(longdir, 'x', 5000);
  longdir[0] = '/';
  setenv("TMPDIR", longdir, 1);
  assert_int_equal(cx_temp_open("sqlite", "s", path, sizeof path, CX_FATAL, &ctx), CX_FATAL);
  assert_string_equal(ctx.msg, "sqlite: TMPDIR is too long (5000 bytes)");
  unsetenv("TMPDIR");
}

static void test_write_full_errors(void **state) {
  (void)state;
  int fd = open("/dev/full", O_WRONLY);
  if (fd >= 0) {
    errno = 0;
    assert_int_equal(cx_write_full(fd, "abc", 3), -1);
    assert_int_equal(errno, ENOSPC);
    close(fd);
  }
  fd = open("/dev/null", O_RDONLY);
  assert_true(fd >= 0);
  errno = 0;
  assert_int_equal(cx_write_full(fd, "abc", 3), -1);
  assert_int_equal(errno, EBADF);
  assert_int_equal(cx_write_full(fd, "", 0), 0); /* nothing to write: no call */
  close(fd);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_temp_open_makes_file_in_tmpdir),
      cmocka_unit_test(test_temp_open_failures_say_where),
      cmocka_unit_test(test_write_full_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
