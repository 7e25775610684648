/* test_errlog.c - the --errors JSON Lines log (core/errlog.c): one object per
 * report with the place, severity and code; strings escaped; bytes that are
 * not UTF-8 replaced; written to a temporary file that only appears under
 * its name when the log is closed, and that is gone after an abort.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "errlog.h"
#include "test_files.h"

static char tmpdir[256];

static int setup(void **state) {
  (void)state;
  snprintf(tmpdir, sizeof tmpdir, "/tmp/cx-errlog-XXXXXX");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  DIR *d = opendir(tmpdir);
  struct dirent *e;
  while (d && (e = readdir(d))) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
    unlink(p);
  }
  if (d) closedir(d);
  rmdir(tmpdir);
  return 0;
}

static size_t entries(void) {
  size_t n = 0;
  DIR *d = opendir(tmpdir);
  assert_non_null(d);
  struct dirent *e;
  while ((e = readdir(d)))
    n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return n;
}

static void test_lines(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/errors.jsonl", tmpdir);
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  struct cxr_errlog *log = cxr_errlog_open(path, &ctx);
  assert_non_null(log);
  /* nothing under the name until it is closed */
  assert_int_equal(access(path, F_OK), -1);

  struct cx_ctx where;
  memset(&where, 0, sizeof where);
  where.file = "corpus.tar.gz";
  where.entry = "cable/2009/06/09XXTEST123.txt";
  where.line = 42;
  assert_int_equal(cxr_errlog_put(log, &where, CX_FAILED, "bad DTG \"32 JUN\""), CX_OK);
  /* no place: nulls; message from the ctx when none is given */
  struct cx_ctx none;
  memset(&none, 0, sizeof none);
  snprintf(none.msg, sizeof none.msg, "tab\there\\ and\nnewline \x01 \x7f");
  assert_int_equal(cxr_errlog_put(log, &none, CX_WARN, NULL), CX_OK);
  /* bytes that are not UTF-8 (from a broken input) become U+FFFD; UTF-8 stays */
  where.entry = NULL;
  where.line = 0;
  where.file = "caf\xc3\xa9.txt";
  assert_int_equal(cxr_errlog_put(log, &where, CX_FATAL, "bad \xff\xfe byte"), CX_OK);
  assert_int_equal(cxr_errlog_put(log, NULL, CX_FAILED, "no ctx"), CX_OK);
  assert_int_equal(cxr_errlog_count(log), 4);
  assert_int_equal(cxr_errlog_close(log), CX_OK);

  const char *want =
      "{\"file\":\"corpus.tar.gz\",\"entry\":\"cable/2009/06/09XXTEST123.txt\",\"line\":42,"
      "\"severity\":\"error\",\"code\":-25,\"message\":\"bad DTG \\\"32 JUN\\\"\"}\n"
      "{\"file\":null,\"entry\":null,\"line\":null,\"severity\":\"warning\",\"code\":-20,"
      "\"message\":\"tab\\there\\\\ and\\nnewline \\u0001 \\u007f\"}\n"
      "{\"file\":\"caf\xc3\xa9.txt\",\"entry\":null,\"line\":null,\"severity\":\"fatal\","
      "\"code\":-30,\"message\":\"bad \xef\xbf\xbd\xef\xbf\xbd byte\"}\n"
      "{\"file\":null,\"entry\":null,\"line\":null,\"severity\":\"error\",\"code\":-25,"
      "\"message\":\"no ctx\"}\n";
  char *got = read_file(path, NULL);
  assert_string_equal(got, want);
  free(got);
  assert_int_equal(entries(), 1); /* no temporary left */
  unlink(path);
}

static void test_empty_and_abort(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/empty.jsonl", tmpdir);
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  /* a run with no failures leaves an empty file: "no errors", not "no run" */
  struct cxr_errlog *log = cxr_errlog_open(path, &ctx);
  assert_non_null(log);
  assert_int_equal(cxr_errlog_close(log), CX_OK);
  char *got = read_file(path, NULL);
  assert_string_equal(got, "");
  free(got);
  unlink(path);
  /* aborted: nothing left at all */
  log = cxr_errlog_open(path, &ctx);
  assert_non_null(log);
  assert_int_equal(cxr_errlog_put(log, NULL, CX_FAILED, "x"), CX_OK);
  cxr_errlog_abort(log);
  assert_int_equal(entries(), 0);
  assert_int_equal(cxr_errlog_close(NULL), CX_OK);
  cxr_errlog_abort(NULL);
}

static void test_open_fails(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/no/such/dir/errors.jsonl", tmpdir);
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  assert_null(cxr_errlog_open(path, &ctx));
  assert_int_equal(ctx.code, CX_FATAL);
  assert_non_null(strstr(ctx.msg, "errors.jsonl"));
  /* a directory is refused too */
  memset(&ctx, 0, sizeof ctx);
  assert_null(cxr_errlog_open(tmpdir, &ctx));
  assert_non_null(strstr(ctx.msg, "directory"));
}

static void test_long_message(void **state) {
  (void)state;
  char path[300];
  snprintf(path, sizeof path, "%s/long.jsonl", tmpdir);
  struct cx_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  struct cxr_errlog *log = cxr_errlog_open(path, &ctx);
  assert_non_null(log);
  /* every byte a control character: six bytes each once escaped */
  size_t n = 20000;
  char *m = malloc(n + 1);
  assert_non_null(m);
  memset(m, '\x02', n);
  m[n] = '\0';
  assert_int_equal(cxr_errlog_put(log, NULL, CX_FAILED, m), CX_OK);
  free(m);
  assert_int_equal(cxr_errlog_close(log), CX_OK);
  char *got = read_file(path, NULL);
  assert_non_null(strstr(got, "report too long to log"));
  assert_int_equal(strchr(got, '\n') - got + 1, (long)strlen(got)); /* one whole line */
  free(got);
  unlink(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lines),
      cmocka_unit_test(test_empty_and_abort),
      cmocka_unit_test(test_open_fails),
      cmocka_unit_test(test_long_message),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
