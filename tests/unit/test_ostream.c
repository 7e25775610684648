/* Unit tests for output streams (core/lib/io/ostream.c): commit and abort
 * through a temporary file, errors that name the file, gzip by the name,
 * symlinks and stdout.  Helpers in stream_fixture.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cablex/stream.h"
#include "stream_fixture.h"

/* ---- output ---- */

static void test_output_commit_and_abort(void **state) {
  (void)state;
  mode_t old = umask(027);
  struct cx_ctx ctx = {0};
  const char *target = path_in("out.json");
  struct cx_ostream *out = cx_ostream_open(target, &ctx);
  assert_non_null(out);
  assert_string_equal(cx_ostream_name(out), target);
  assert_int_equal(cx_ostream_puts(out, "{\"id\":"), CX_OK);
  assert_int_equal(cx_ostream_write(out, "\"x\"}\n", 5), CX_OK);
  assert_false(exists(target)); /* nothing at the target before commit */
  assert_true(has_temp_for("out.json"));
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  assert_false(has_temp_for("out.json"));
  size_t len;
  char *got = read_file(target, &len);
  assert_string_equal(got, "{\"id\":\"x\"}\n");
  free(got);
  struct stat st;
  assert_int_equal(stat(target, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0640); /* 0666 & ~umask, not mkstemp's 0600 */

  /* Rewriting an existing file keeps its mode. */
  chmod(target, 0604);
  out = cx_ostream_open(target, &ctx);
  cx_ostream_puts(out, "new\n");
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  got = read_file(target, &len);
  assert_string_equal(got, "new\n");
  free(got);
  assert_int_equal(stat(target, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0604);

  /* Abort: the old file stays as it was, no temp is left. */
  int before = dir_entries();
  out = cx_ostream_open(target, &ctx);
  cx_ostream_puts(out, "half a cable");
  cx_ostream_abort(out);
  got = read_file(target, &len);
  assert_string_equal(got, "new\n");
  free(got);
  assert_int_equal(dir_entries(), before);

  /* Abort of a new file: nothing at all. */
  out = cx_ostream_open(path_in("never.txt"), &ctx);
  char big[300000];
  memset(big, 'q', sizeof big);
  cx_ostream_write(out, big, sizeof big);
  cx_ostream_abort(out);
  assert_false(exists(path_in("never.txt")));
  assert_int_equal(dir_entries(), before);

  /* An empty output is a real, empty file. */
  out = cx_ostream_open(path_in("empty.out"), &ctx);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  assert_int_equal(stat(path_in("empty.out"), &st), 0);
  assert_int_equal(st.st_size, 0);
  unlink(path_in("empty.out"));

  assert_int_equal(ctx.code, CX_OK);
  umask(old);
}

static void test_output_errors(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  assert_null(cx_ostream_open("/nonexistent-cablex-dir/out.txt", &ctx));
  assert_int_equal(ctx.code, CX_FATAL);
  assert_non_null(strstr(ctx.msg, "/nonexistent-cablex-dir/out.txt"));
  assert_null(ctx.file);

  cx_ctx_clear(&ctx);
  assert_null(cx_ostream_open(tmpdir, &ctx));
  assert_int_equal(ctx.code, CX_FATAL);
  assert_non_null(strstr(ctx.msg, "directory"));

  /* A full disk: every write error is fatal and names the file. */
  struct stat st;
  if (stat("/dev/full", &st) != 0) return;
  cx_ctx_clear(&ctx);
  struct cx_ostream *out = cx_ostream_open("/dev/full", &ctx);
  assert_non_null(out);
  char chunk[4096];
  memset(chunk, 'x', sizeof chunk);
  int rc = CX_OK;
  for (int i = 0; i < 100 && rc == CX_OK; i++)
    rc = cx_ostream_write(out, chunk, sizeof chunk);
  assert_int_equal(rc, CX_FATAL);
  assert_ptr_equal(ctx.file, cx_ostream_name(out));
  assert_non_null(strstr(ctx.msg, "No space"));
  assert_int_equal(cx_ostream_write(out, "x", 1), CX_FATAL); /* sticky */
  assert_int_equal(cx_ostream_commit(out), CX_FATAL);
  assert_int_equal(ctx.code, CX_FATAL);
  char buf[1024];
  cx_ctx_format(&ctx, ctx.msg, ctx.line, buf, sizeof buf);
  assert_non_null(strstr(buf, "/dev/full"));
  assert_non_null(strstr(buf, "write error"));
  assert_int_equal(stat("/dev/full", &st), 0);
  assert_true(S_ISCHR(st.st_mode)); /* the device node was written, not replaced */

  /* Short output fails at commit, when the buffer is flushed. */
  cx_ctx_clear(&ctx);
  out = cx_ostream_open("/dev/full", &ctx);
  assert_int_equal(cx_ostream_puts(out, "tiny"), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_FATAL);
  assert_non_null(strstr(ctx.msg, "/dev/full"));

  /* /dev/null: written to, not renamed over. */
  cx_ctx_clear(&ctx);
  out = cx_ostream_open("/dev/null", &ctx);
  assert_non_null(out);
  assert_int_equal(cx_ostream_write(out, chunk, sizeof chunk), CX_OK);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  assert_int_equal(stat("/dev/null", &st), 0);
  assert_true(S_ISCHR(st.st_mode));
  out = cx_ostream_open("/dev/null", &ctx);
  cx_ostream_abort(out);
  assert_int_equal(stat("/dev/null", &st), 0);
  assert_true(S_ISCHR(st.st_mode));
}

static void test_output_gzip_round_trip(void **state) {
  (void)state;
  size_t len = 1000000;
  unsigned char *data = malloc(len);
  fill_random(data, len / 2, 3);
  for (size_t i = len / 2; i < len; i++)
    data[i] = (unsigned char)"ABCD\n"[i % 5];
  struct cx_ctx ctx = {0};
  const char *target = path_in("round.jsonl.gz");
  struct cx_ostream *out = cx_ostream_open(target, &ctx);
  assert_non_null(out);
  /* Many small writes, then one large one. */
  size_t off = 0;
  for (size_t k = 1; off + k < 400000; k = k % 997 + 1) {
    assert_int_equal(cx_ostream_write(out, data + off, k), CX_OK);
    off += k;
  }
  assert_int_equal(cx_ostream_write(out, data + off, len - off), CX_OK);
  assert_false(exists(target));
  assert_int_equal(cx_ostream_commit(out), CX_OK);

  size_t gzlen;
  unsigned char *gz = (unsigned char *)read_file(target, &gzlen);
  assert_int_equal(gz[0], 0x1f);
  assert_int_equal(gz[1], 0x8b);
  assert_int_equal(gz[2], 8);
  assert_true(gzlen < len);
  size_t plain_len;
  char *plain = gunzip(gz, gzlen, &plain_len); /* zlib alone agrees */
  assert_int_equal(plain_len, len);
  assert_memory_equal(plain, data, len);
  free(plain);
  free(gz);

  struct cx_istream *in = cx_istream_open(target, &ctx);
  assert_true(cx_istream_is_gzip(in));
  struct cx_buf all;
  cx_buf_init(&all, 0);
  assert_int_equal(cx_istream_read_all(in, &all), CX_OK);
  assert_int_equal(all.len, len);
  assert_memory_equal(all.data, data, len);
  cx_istream_close(in);
  cx_buf_free(&all);

  /* An empty .gz output is a valid, empty gzip. */
  out = cx_ostream_open(path_in("empty.gz"), &ctx);
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  gz = (unsigned char *)read_file(path_in("empty.gz"), &gzlen);
  assert_int_equal(gzlen, 20);
  plain = gunzip(gz, gzlen, &plain_len);
  assert_int_equal(plain_len, 0);
  free(plain);
  free(gz);
  assert_int_equal(ctx.code, CX_OK);
  free(data);
}

static void test_output_symlink(void **state) {
  (void)state;
  const char *real = path_in("real.txt");
  const char *link = path_in("link.txt");
  write_file(real, "old\n", 4);
  assert_int_equal(symlink("real.txt", link), 0);
  struct cx_ctx ctx = {0};
  struct cx_ostream *out = cx_ostream_open(link, &ctx);
  cx_ostream_puts(out, "through the link\n");
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  struct stat st;
  assert_int_equal(lstat(link, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  size_t len;
  char *got = read_file(real, &len);
  assert_string_equal(got, "through the link\n");
  free(got);
  unlink(link);
  unlink(real);
}

static void test_output_stdout(void **state) {
  (void)state;
  const char *p = path_in("stdout.txt");
  fflush(stdout);
  int saved = dup(1);
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  dup2(fd, 1);
  close(fd);
  struct cx_ctx ctx = {0};
  struct cx_ostream *out = cx_ostream_open("-", &ctx);
  int rc1 = out ? cx_ostream_puts(out, "to stdout\n") : -1;
  int rc2 = out ? cx_ostream_commit(out) : -1;
  int open_after = fcntl(1, F_GETFD); /* stdout is not closed */
  dup2(saved, 1);
  close(saved);
  assert_int_equal(rc1, CX_OK);
  assert_int_equal(rc2, CX_OK);
  assert_true(open_after != -1);
  size_t len;
  char *got = read_file(p, &len);
  assert_string_equal(got, "to stdout\n");
  free(got);
  unlink(p);
}

/* Small writes gather in the stream's buffer; large ones go out where they
 * lie, after what is buffered.  Either way the file is the bytes in the
 * order written, across every size around the two thresholds. */
static void test_output_mixed_sizes(void **state) {
  (void)state;
  static const size_t sizes[] = {1,      100, 16383,  16384, 5,     70000, 131071,
                                 131072, 7,   200000, 3,     16385, 65536, 1};
  size_t total = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    total += sizes[i];
  unsigned char *want = malloc(total);
  assert_non_null(want);
  for (size_t i = 0; i < total; i++)
    want[i] = (unsigned char)(i * 131 + i / 7);
  const char *target = path_in("mixed.bin");
  struct cx_ctx ctx = {0};
  struct cx_ostream *out = cx_ostream_open(target, &ctx);
  assert_non_null(out);
  size_t off = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    assert_int_equal(cx_ostream_write(out, want + off, sizes[i]), CX_OK);
    off += sizes[i];
  }
  assert_int_equal(cx_ostream_commit(out), CX_OK);
  size_t len;
  char *got = read_file(target, &len);
  assert_int_equal(len, total);
  assert_memory_equal(got, want, total);
  free(got);
  free(want);
  unlink(target);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_output_commit_and_abort), cmocka_unit_test(test_output_errors),
      cmocka_unit_test(test_output_gzip_round_trip),  cmocka_unit_test(test_output_symlink),
      cmocka_unit_test(test_output_stdout),           cmocka_unit_test(test_output_mixed_sizes),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
