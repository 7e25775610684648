/* Unit tests for bounded buffers and input streams (core/lib/io); the
 * output streams are in test_ostream.c.
 * Fixtures (plain, gzip, broken gzip) are written at test time into a
 * mkdtemp directory; tests/data/streams holds one gzip made by gzip(1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cablex/stream.h"
#include "stream_fixture.h"

/* One gzip member of data (zlib, gzip wrapper). */
static void gz_member(struct cx_buf *out, const void *data, size_t len, int level) {
  z_stream z = {0};
  assert_int_equal(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  size_t bound = deflateBound(&z, (uLong)len) + 64;
  unsigned char *tmp = malloc(bound);
  assert_non_null(tmp);
  z.next_in = (unsigned char *)(uintptr_t)data;
  z.avail_in = (unsigned)len;
  z.next_out = tmp;
  z.avail_out = (unsigned)bound;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  assert_int_equal(cx_buf_add(out, tmp, bound - z.avail_out), 0);
  deflateEnd(&z);
  free(tmp);
}

/* Text with lines of many sizes: empty, short, around the 128 KiB block,
 * CRLF lines, a NUL byte, and a last line without '\n'. */
static void make_lines(struct cx_buf *text, struct cx_buf *lines[], size_t *nlines, size_t cap) {
  static const size_t sizes[] = {0,      1,      2,      79, 80, 4095,   4096, 65535,  65536,
                                 131071, 131072, 131073, 3,  0,  200000, 17,   262144, 5};
  size_t n = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    assert_true(n < cap);
    struct cx_buf *l = malloc(sizeof *l);
    cx_buf_init(l, 0);
    for (size_t j = 0; j < sizes[i]; j++)
      cx_buf_addc(l, (char)('a' + (i + j) % 26));
    if (i == 3) l->data[5] = '\0';        /* a NUL inside a line */
    if (i % 4 == 2) cx_buf_adds(l, "\r"); /* CRLF stays verbatim */
    cx_buf_addc(l, '\n');
    lines[n++] = l;
  }
  struct cx_buf *last = malloc(sizeof *last);
  cx_buf_init(last, 0);
  cx_buf_adds(last, "no newline at the end");
  lines[n++] = last;
  cx_buf_init(text, 0);
  for (size_t i = 0; i < n; i++)
    cx_buf_add(text, lines[i]->data, lines[i]->len);
  *nlines = n;
}

static void free_lines(struct cx_buf *lines[], size_t n) {
  for (size_t i = 0; i < n; i++) {
    cx_buf_free(lines[i]);
    free(lines[i]);
  }
}

static void check_all_lines(struct cx_istream *in, struct cx_buf *lines[], size_t n) {
  struct cx_buf line;
  cx_buf_init(&line, CX_DEFAULT_CABLE_MAX);
  for (size_t i = 0; i < n; i++) {
    cx_buf_reset(&line);
    assert_int_equal(cx_istream_getline(in, &line), CX_OK);
    assert_int_equal(line.len, lines[i]->len);
    assert_memory_equal(line.data, lines[i]->data, line.len);
    assert_int_equal(line.data[line.len], '\0');
    assert_int_equal(cx_istream_line(in), i + 1);
  }
  cx_buf_reset(&line);
  assert_int_equal(cx_istream_getline(in, &line), CX_EOF);
  assert_int_equal(line.len, 0);
  assert_int_equal(cx_istream_getline(in, &line), CX_EOF);
  cx_buf_free(&line);
}

/* ---- cx_buf ---- */

static void test_buf_limit(void **state) {
  (void)state;
  struct cx_buf b;
  cx_buf_init(&b, 10);
  assert_null(b.data);
  assert_int_equal(cx_buf_adds(&b, "abcdef"), CX_OK);
  assert_int_equal(cx_buf_adds(&b, "ghijk"), CX_FAILED); /* 11 > 10 */
  assert_int_equal(b.len, 6);
  assert_string_equal(b.data, "abcdef");
  assert_int_equal(cx_buf_adds(&b, "ghij"), CX_OK); /* exactly 10 */
  assert_string_equal(b.data, "abcdefghij");
  assert_int_equal(cx_buf_addc(&b, 'x'), CX_FAILED);
  assert_int_equal(cx_buf_add(&b, "", 0), CX_OK);
  assert_true(b.cap <= 11); /* never allocates beyond the limit */
  assert_int_equal(b.data[10], '\0');
  cx_buf_reset(&b);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  assert_int_equal(cx_buf_adds(&b, "0123456789"), CX_OK);
  cx_buf_free(&b);
  assert_null(b.data);
  assert_int_equal(b.max, 10);
  /* An absurd length is refused, not allocated. */
  assert_int_equal(cx_buf_add(&b, "x", SIZE_MAX / 2), CX_FAILED);
  assert_null(b.data);

  /* Byte by byte (addc's in-place path) the limit holds even when memory
   * beyond it is already allocated (the limit lowered after growing). */
  struct cx_buf c;
  cx_buf_init(&c, 0);
  assert_int_equal(cx_buf_adds(&c, "abc"), CX_OK);
  assert_true(c.cap > 6);
  c.max = 4;
  assert_int_equal(cx_buf_addc(&c, 'd'), CX_OK);
  assert_int_equal(cx_buf_addc(&c, 'e'), CX_FAILED);
  assert_int_equal(c.len, 4);
  assert_string_equal(c.data, "abcd");
  cx_buf_free(&c);
}

static void test_buf_unlimited(void **state) {
  (void)state;
  struct cx_buf b;
  cx_buf_init(&b, 0);
  char chunk[1000];
  memset(chunk, 'z', sizeof chunk);
  for (int i = 0; i < 3000; i++)
    assert_int_equal(cx_buf_add(&b, chunk, sizeof chunk), CX_OK);
  assert_int_equal(b.len, 3000000);
  assert_int_equal(b.data[b.len], '\0');
  assert_int_equal(cx_buf_add(&b, "x", SIZE_MAX - 1), CX_FAILED);
  assert_int_equal(b.len, 3000000);
  cx_buf_free(&b);
  /* Adding nothing still gives a string. */
  assert_int_equal(cx_buf_adds(&b, ""), CX_OK);
  assert_non_null(b.data);
  assert_string_equal(b.data, "");
  cx_buf_free(&b);
}

static void test_buf_printf(void **state) {
  (void)state;
  struct cx_buf b;
  cx_buf_init(&b, 12);
  assert_int_equal(cx_buf_printf(&b, "%d-%s", 42, "ab"), CX_OK);
  assert_string_equal(b.data, "42-ab");
  assert_int_equal(cx_buf_printf(&b, "%s", "12345678"), CX_FAILED); /* 13 > 12 */
  assert_int_equal(b.len, 5);
  assert_string_equal(b.data, "42-ab");
  assert_int_equal(cx_buf_printf(&b, "%s", "1234567"), CX_OK);
  assert_string_equal(b.data, "42-ab1234567");
  cx_buf_free(&b);

  /* Fits in allocated memory but not in the limit: still refused. */
  cx_buf_init(&b, 100);
  assert_int_equal(cx_buf_adds(&b, "0123456789012345678901234567890123456789"), CX_OK);
  b.max = 45;
  assert_true(b.cap > 46);
  assert_int_equal(cx_buf_printf(&b, "%s", "abcdef"), CX_FAILED);
  assert_int_equal(b.len, 40);
  assert_int_equal(b.data[40], '\0');
  assert_int_equal(cx_buf_printf(&b, "%s", "abcde"), CX_OK);
  assert_int_equal(b.len, 45);
  cx_buf_free(&b);

  /* Long output grows the buffer. */
  cx_buf_init(&b, 0);
  assert_int_equal(cx_buf_printf(&b, "%5000d|", 7), CX_OK);
  assert_int_equal(b.len, 5001);
  assert_int_equal(b.data[4999], '7');
  assert_int_equal(b.data[5000], '|');
  cx_buf_free(&b);
}

static void test_buf_detach(void **state) {
  (void)state;
  struct cx_buf b;
  cx_buf_init(&b, 50);
  cx_buf_adds(&b, "hello");
  size_t len = 0;
  char *p = cx_buf_detach(&b, &len);
  assert_string_equal(p, "hello");
  assert_int_equal(len, 5);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  assert_int_equal(b.max, 50);
  free(p);
  p = cx_buf_detach(&b, &len); /* never allocated: still a string */
  assert_non_null(p);
  assert_string_equal(p, "");
  assert_int_equal(len, 0);
  free(p);
}

/* ---- input: plain ---- */

static void test_getline_all_sizes(void **state) {
  (void)state;
  struct cx_buf text, *lines[32];
  size_t n;
  make_lines(&text, lines, &n, 32);
  struct cx_ctx ctx = {0};

  write_file(path_in("lines.txt"), text.data, text.len);
  struct cx_istream *in = cx_istream_open(path_in("lines.txt"), &ctx);
  assert_non_null(in);
  assert_false(cx_istream_is_gzip(in));
  assert_string_equal(cx_istream_name(in), path_in("lines.txt"));
  check_all_lines(in, lines, n);
  cx_istream_close(in);

  in = cx_istream_open_mem(text.data, text.len, "mem", &ctx);
  assert_non_null(in);
  assert_string_equal(cx_istream_name(in), "mem");
  check_all_lines(in, lines, n);
  cx_istream_close(in);

  struct cx_buf gz;
  cx_buf_init(&gz, 0);
  gz_member(&gz, text.data, text.len, 6);
  write_file(path_in("lines.txt.gz"), gz.data, gz.len);
  in = cx_istream_open(path_in("lines.txt.gz"), &ctx);
  assert_non_null(in);
  assert_true(cx_istream_is_gzip(in));
  check_all_lines(in, lines, n);
  cx_istream_close(in);

  in = cx_istream_open_mem(gz.data, gz.len, "mem.gz", &ctx);
  assert_true(cx_istream_is_gzip(in));
  check_all_lines(in, lines, n);
  cx_istream_close(in);

  assert_int_equal(ctx.code, CX_OK);
  cx_buf_free(&gz);
  cx_buf_free(&text);
  free_lines(lines, n);
}

static void test_getline_appends(void **state) {
  (void)state;
  static const char text[] = "one\r\ntwo\n\nthree";
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open_mem(text, sizeof text - 1, NULL, &ctx);
  struct cx_buf line;
  cx_buf_init(&line, 0);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_string_equal(line.data, "one\r\ntwo\n");
  cx_buf_reset(&line);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_string_equal(line.data, "\n");
  cx_buf_reset(&line);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_string_equal(line.data, "three");
  assert_int_equal(cx_istream_line(in), 4);
  assert_int_equal(cx_istream_getline(in, &line), CX_EOF);
  assert_string_equal(line.data, "three");
  cx_istream_close(in);
  cx_buf_free(&line);

  /* Empty input: EOF at once, peek gives nothing. */
  in = cx_istream_open_mem("", 0, "empty", &ctx);
  const unsigned char *head;
  assert_int_equal(cx_istream_peek(in, &head, 10), 0);
  cx_buf_init(&line, 0);
  assert_int_equal(cx_istream_getline(in, &line), CX_EOF);
  assert_int_equal(cx_istream_line(in), 0);
  cx_istream_close(in);
  write_file(path_in("empty"), "", 0);
  in = cx_istream_open(path_in("empty"), &ctx);
  assert_non_null(in);
  assert_int_equal(cx_istream_getline(in, &line), CX_EOF);
  assert_int_equal(cx_istream_read_all(in, &line), CX_OK);
  assert_int_equal(line.len, 0);
  assert_non_null(line.data);
  cx_istream_close(in);
  cx_buf_free(&line);
}

static void test_getline_too_long(void **state) {
  (void)state;
  struct cx_buf text;
  cx_buf_init(&text, 0);
  cx_buf_adds(&text, "short\n");
  for (int i = 0; i < 300000; i++)
    cx_buf_addc(&text, 'a'); /* spans reads */
  cx_buf_adds(&text, "\nafter\n");
  for (int i = 0; i < 150; i++)
    cx_buf_addc(&text, 'b'); /* too long, no '\n' */
  write_file(path_in("long.txt"), text.data, text.len);

  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open(path_in("long.txt"), &ctx);
  struct cx_buf line;
  cx_buf_init(&line, 100);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_string_equal(line.data, "short\n");
  assert_int_equal(cx_istream_getline(in, &line), CX_FAILED);
  assert_string_equal(line.data, "short\n"); /* unchanged */
  assert_int_equal(ctx.code, CX_FAILED);
  assert_int_equal(ctx.line, 2);
  assert_ptr_equal(ctx.file, cx_istream_name(in));
  assert_non_null(strstr(ctx.msg, "100"));
  assert_int_equal(cx_istream_line(in), 2);
  cx_buf_reset(&line);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_string_equal(line.data, "after\n"); /* the rest was skipped */
  assert_int_equal(cx_istream_line(in), 3);
  cx_buf_reset(&line);
  assert_int_equal(cx_istream_getline(in, &line), CX_FAILED);
  assert_int_equal(line.len, 0);
  assert_int_equal(cx_istream_getline(in, &line), CX_EOF);
  cx_istream_close(in);
  /* The stream's name no longer borrowed, but the message still names it. */
  assert_null(ctx.file);
  assert_non_null(strstr(ctx.msg, "long.txt"));
  cx_buf_free(&line);
  cx_buf_free(&text);
}

static void test_read_all_bounded(void **state) {
  (void)state;
  static const char text[] = "0123456789A";
  struct cx_ctx ctx = {0};
  struct cx_buf all;
  cx_buf_init(&all, 10);
  cx_buf_adds(&all, "ab");
  struct cx_istream *in = cx_istream_open_mem(text, 8, "m", &ctx);
  assert_int_equal(cx_istream_read_all(in, &all), CX_OK); /* 2 + 8 == 10 */
  assert_string_equal(all.data, "ab01234567");
  cx_istream_close(in);

  write_file(path_in("eleven"), text, 11);
  cx_buf_reset(&all);
  in = cx_istream_open(path_in("eleven"), &ctx);
  assert_int_equal(cx_istream_read_all(in, &all), CX_FAILED);
  assert_int_equal(all.len, 0);
  assert_int_equal(ctx.code, CX_FAILED);
  cx_istream_close(in);

  all.max = 11;
  in = cx_istream_open(path_in("eleven"), &ctx);
  assert_int_equal(cx_istream_read_all(in, &all), CX_OK);
  assert_string_equal(all.data, text);
  cx_istream_close(in);
  cx_buf_free(&all);
}

static void check_peek_then_read(struct cx_istream *in, const unsigned char *want, size_t len) {
  const unsigned char *head;
  size_t k = cx_istream_peek(in, &head, 4096);
  assert_int_equal(k, len < 4096 ? len : 4096);
  assert_memory_equal(head, want, k);
  k = cx_istream_peek(in, &head, 16); /* a second peek sees the same */
  assert_memory_equal(head, want, 16);
  assert_int_equal(cx_istream_peek(in, &head, 0), 0);
  /* Read back in odd chunk sizes, including large direct reads. */
  static const size_t sizes[] = {1, 7, 4000, 100000, 3, 65536, 200000, 13};
  unsigned char *got = malloc(len + 1);
  size_t off = 0, i = 0;
  for (;;) {
    size_t want_n = sizes[i++ % (sizeof sizes / sizeof sizes[0])];
    long r = cx_istream_read(in, got + off, want_n < len + 1 - off ? want_n : len + 1 - off);
    assert_true(r >= 0);
    if (r == 0) break;
    off += (size_t)r;
    /* A peek in the middle must not lose bytes. */
    if (i == 4 && off < len) {
      k = cx_istream_peek(in, &head, 200000);
      assert_memory_equal(head, want + off, k);
      assert_true(k > 0);
    }
  }
  assert_int_equal(off, len);
  assert_memory_equal(got, want, len);
  free(got);
}

static void test_peek_then_read(void **state) {
  (void)state;
  size_t len = 700000;
  unsigned char *data = malloc(len);
  fill_random(data, len, 7);
  memcpy(data, "Identifier: 06ALMATY3065", 24);
  struct cx_ctx ctx = {0};

  write_file(path_in("peek.bin"), data, len);
  struct cx_istream *in = cx_istream_open(path_in("peek.bin"), &ctx);
  check_peek_then_read(in, data, len);
  cx_istream_close(in);

  in = cx_istream_open_mem(data, len, "peek", &ctx);
  check_peek_then_read(in, data, len);
  cx_istream_close(in);

  struct cx_buf gz;
  cx_buf_init(&gz, 0);
  gz_member(&gz, data, len, 1);
  write_file(path_in("peek.bin.gz"), gz.data, gz.len);
  in = cx_istream_open(path_in("peek.bin.gz"), &ctx);
  const unsigned char *head;
  /* peek returns decompressed bytes */
  assert_int_equal(cx_istream_peek(in, &head, 24), 24);
  assert_memory_equal(head, "Identifier: 06ALMATY3065", 24);
  check_peek_then_read(in, data, len);
  cx_istream_close(in);

  in = cx_istream_open_mem(gz.data, gz.len, "peek.gz", &ctx);
  check_peek_then_read(in, data, len);
  cx_istream_close(in);

  /* peek, then read_all: the peeked bytes are not lost */
  in = cx_istream_open(path_in("peek.bin.gz"), &ctx);
  assert_int_equal(cx_istream_peek(in, &head, 100), 100);
  struct cx_buf all;
  cx_buf_init(&all, 0);
  assert_int_equal(cx_istream_read_all(in, &all), CX_OK);
  assert_int_equal(all.len, len);
  assert_memory_equal(all.data, data, len);
  cx_istream_close(in);
  cx_buf_free(&all);

  assert_int_equal(ctx.code, CX_OK);
  cx_buf_free(&gz);
  free(data);
}

static void test_open_errors(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  assert_null(cx_istream_open(path_in("does-not-exist"), &ctx));
  assert_int_equal(ctx.code, CX_FATAL);
  assert_null(ctx.file);
  assert_non_null(strstr(ctx.msg, "does-not-exist"));
  assert_non_null(strstr(ctx.msg, "No such file"));

  /* ctx->file already set to the same name: not repeated in the message. */
  const char *p = path_in("does-not-exist");
  struct cx_ctx c2 = {.file = p};
  assert_null(cx_istream_open(p, &c2));
  assert_ptr_equal(c2.file, p);
  assert_null(strstr(c2.msg, "does-not-exist"));
  char buf[1024];
  cx_ctx_format(&c2, c2.msg, c2.line, buf, sizeof buf);
  assert_non_null(strstr(buf, "does-not-exist: cannot open"));

  cx_ctx_clear(&ctx);
  assert_null(cx_istream_open(tmpdir, &ctx));
  assert_int_equal(ctx.code, CX_FATAL);
  assert_non_null(strstr(ctx.msg, "directory"));

  /* A very long name is shortened at its start, so the reason still fits. */
  char longp[1600];
  memset(longp, 'd', sizeof longp);
  memcpy(longp, "/nonexistent-cablex/", 20);
  memcpy(longp + sizeof longp - 12, "/tail.txt", 10);
  cx_ctx_clear(&ctx);
  assert_null(cx_istream_open(longp, &ctx));
  assert_int_equal(strncmp(ctx.msg, "...", 3), 0);
  assert_non_null(strstr(ctx.msg, "/tail.txt: cannot open: No such file or directory"));
  cx_ctx_clear(&ctx);
  assert_null(cx_ostream_open(longp, &ctx));
  assert_non_null(strstr(ctx.msg, "/tail.txt"));
  assert_non_null(strstr(ctx.msg, "No such file or directory"));
}

/* ---- input: gzip ---- */

static void test_gzip_multi_member(void **state) {
  (void)state;
  struct cx_buf gz;
  cx_buf_init(&gz, 0);
  gz_member(&gz, "hello\n", 6, 6);
  gz_member(&gz, "", 0, 6); /* an empty member in the middle */
  gz_member(&gz, "world\nlast", 10, 9);
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open_mem(gz.data, gz.len, "multi.gz", &ctx);
  struct cx_buf line;
  cx_buf_init(&line, 0);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_int_equal(cx_istream_getline(in, &line), CX_OK);
  assert_string_equal(line.data, "hello\nworld\nlast");
  assert_int_equal(cx_istream_getline(in, &line), CX_EOF);
  cx_istream_close(in);
  cx_buf_free(&line);
  assert_int_equal(ctx.code, CX_OK);
  assert_int_equal(ctx.warnings, 0);
  cx_buf_free(&gz);

  /* Member boundaries at every offset around the 128 KiB read block, so
   * that the next member's magic is split between two reads. */
  size_t base = (size_t)128 << 10;
  unsigned char *a = malloc(base + 64), *b = malloc(1000);
  fill_random(a, base + 64, 1);
  fill_random(b, 1000, 2);
  for (size_t alen = base - 60; alen < base + 20; alen++) {
    cx_buf_init(&gz, 0);
    gz_member(&gz, a, alen, 0); /* stored: compressed size follows alen */
    gz_member(&gz, b, 1000, 0);
    write_file(path_in("two.gz"), gz.data, gz.len);
    in = cx_istream_open(path_in("two.gz"), &ctx);
    struct cx_buf all;
    cx_buf_init(&all, 0);
    assert_int_equal(cx_istream_read_all(in, &all), CX_OK);
    assert_int_equal(all.len, alen + 1000);
    assert_memory_equal(all.data, a, alen);
    assert_memory_equal(all.data + alen, b, 1000);
    cx_istream_close(in);
    cx_buf_free(&all);
    cx_buf_free(&gz);
  }
  free(a);
  free(b);
  assert_int_equal(ctx.warnings, 0);
}

static void test_gzip_made_by_gzip(void **state) {
  (void)state;
  /* Made by gzip(1) with a file name in the header, then `cat`ed with a
   * second member: a.txt.gz + b.txt.gz. */
  const char *data = getenv("CABLEX_TEST_DATA");
  if (!data) skip();
  char p[1024], q[1024];
  snprintf(p, sizeof p, "%s/streams/ab.txt.gz", data);
  snprintf(q, sizeof q, "%s/streams/ab.txt", data);
  size_t want_len;
  char *want = read_file(q, &want_len);
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open(p, &ctx);
  assert_non_null(in);
  assert_true(cx_istream_is_gzip(in));
  struct cx_buf all;
  cx_buf_init(&all, 0);
  assert_int_equal(cx_istream_read_all(in, &all), CX_OK);
  assert_int_equal(all.len, want_len);
  assert_memory_equal(all.data, want, want_len);
  cx_istream_close(in);
  cx_buf_free(&all);
  free(want);
}

static void expect_fatal(const void *gz, size_t len, const char *name, const char *what) {
  struct cx_ctx ctx = {0};
  write_file(path_in(name), gz, len);
  /* Through read_all, through getline and from memory: same verdict. */
  for (int mode = 0; mode < 3; mode++) {
    cx_ctx_clear(&ctx);
    struct cx_istream *in =
        mode == 2 ? cx_istream_open_mem(gz, len, name, &ctx) : cx_istream_open(path_in(name), &ctx);
    assert_non_null(in);
    struct cx_buf b;
    cx_buf_init(&b, 0);
    int rc;
    if (mode == 1) {
      while ((rc = cx_istream_getline(in, &b)) == CX_OK)
        cx_buf_reset(&b);
    } else {
      rc = cx_istream_read_all(in, &b);
      assert_int_equal(b.len, 0);
    }
    assert_int_equal(rc, CX_FATAL);
    assert_int_equal(ctx.code, CX_FATAL);
    assert_ptr_equal(ctx.file, cx_istream_name(in));
    assert_non_null(strstr(ctx.msg, what));
    /* Sticky: the stream stays failed. */
    char c;
    assert_int_equal(cx_istream_read(in, &c, 1), CX_FATAL);
    cx_istream_close(in);
    assert_null(ctx.file);
    assert_non_null(strstr(ctx.msg, name)); /* still names the file */
    cx_buf_free(&b);
  }
}

static void test_gzip_truncated_and_corrupt(void **state) {
  (void)state;
  size_t len = 300000;
  unsigned char *text = malloc(len);
  for (size_t i = 0; i < len; i++)
    text[i] = (unsigned char)("cable text\n"[i % 11] + i / 5000 % 7);
  struct cx_buf gz;
  cx_buf_init(&gz, 0);
  gz_member(&gz, text, len, 6);

  expect_fatal(gz.data, gz.len - 4, "cut-trailer.gz", "truncated");
  expect_fatal(gz.data, gz.len / 2, "cut-half.gz", "truncated");
  expect_fatal(gz.data, 5, "cut-header.gz", "truncated");

  /* Second member cut short: the first one still counts as read. */
  struct cx_buf two;
  cx_buf_init(&two, 0);
  cx_buf_add(&two, gz.data, gz.len);
  cx_buf_add(&two, gz.data, 12);
  expect_fatal(two.data, two.len, "cut-second.gz", "truncated");
  cx_buf_free(&two);

  unsigned char *bad = malloc(gz.len);
  memcpy(bad, gz.data, gz.len);
  bad[gz.len - 6] ^= 0x55; /* CRC32 */
  expect_fatal(bad, gz.len, "bad-crc.gz", "corrupt");
  memcpy(bad, gz.data, gz.len);
  bad[2] = 7; /* compression method */
  expect_fatal(bad, gz.len, "bad-method.gz", "corrupt");
  memcpy(bad, gz.data, gz.len);
  for (size_t i = gz.len / 3; i < gz.len / 3 + 40; i++)
    bad[i] = 0xff;
  expect_fatal(bad, gz.len, "bad-data.gz", "byte");

  free(bad);
  free(text);
  cx_buf_free(&gz);
}

static int seen_warnings;
static char seen_msg[CX_MSG_MAX];
static void record(void *user, const struct cx_ctx *ctx, int code, const char *msg) {
  (void)user;
  (void)ctx;
  assert_int_equal(code, CX_WARN);
  seen_warnings++;
  snprintf(seen_msg, sizeof seen_msg, "%s", msg);
}

static void test_gzip_trailing_garbage(void **state) {
  (void)state;
  struct cx_buf gz;
  cx_buf_init(&gz, 0);
  gz_member(&gz, "data\n", 5, 6);
  size_t member = gz.len;
  cx_buf_adds(&gz, "GARBAGE");
  struct cx_ctx ctx = {.report = record};
  seen_warnings = 0;
  struct cx_istream *in = cx_istream_open_mem(gz.data, gz.len, "tail.gz", &ctx);
  struct cx_buf all;
  cx_buf_init(&all, 0);
  assert_int_equal(cx_istream_read_all(in, &all), CX_OK);
  assert_string_equal(all.data, "data\n");
  assert_int_equal(seen_warnings, 1);
  assert_int_equal(ctx.warnings, 1);
  char at[64];
  snprintf(at, sizeof at, "byte %zu", member);
  assert_non_null(strstr(seen_msg, at));
  cx_istream_close(in);
  cx_buf_free(&all);
  cx_buf_free(&gz);
}

static void test_gzip_bomb_bounded(void **state) {
  (void)state;
  /* 64 MiB of zeros compress to ~64 KB; reading stops near the limit. */
  size_t big = (size_t)64 << 20;
  z_stream z = {0};
  assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
  size_t cap = deflateBound(&z, big);
  unsigned char *gz = malloc(cap), *zeros = calloc(1, (size_t)1 << 20);
  z.next_out = gz;
  z.avail_out = (unsigned)cap;
  for (size_t done = 0; done < big; done += (size_t)1 << 20) {
    z.next_in = zeros;
    z.avail_in = 1u << 20;
    assert_int_equal(deflate(&z, done + ((size_t)1 << 20) == big ? Z_FINISH : Z_NO_FLUSH),
                     done + ((size_t)1 << 20) == big ? Z_STREAM_END : Z_OK);
  }
  size_t gzlen = cap - z.avail_out;
  deflateEnd(&z);
  assert_true(gzlen < ((size_t)1 << 20));
  write_file(path_in("bomb.gz"), gz, gzlen);

  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open(path_in("bomb.gz"), &ctx);
  struct cx_buf all;
  cx_buf_init(&all, (size_t)1 << 20);
  assert_int_equal(cx_istream_read_all(in, &all), CX_FAILED);
  assert_int_equal(ctx.code, CX_FAILED);
  assert_int_equal(all.len, 0);
  assert_true(all.cap <= ((size_t)1 << 20) + 1);
  /* It stopped early: the stream still has its data. */
  unsigned char c = 1;
  assert_int_equal(cx_istream_read(in, &c, 1), 1);
  assert_int_equal(c, 0);
  cx_istream_close(in);
  cx_buf_free(&all);

  /* The same limit on getline: one endless line of zeros. */
  in = cx_istream_open_mem(gz, gzlen, "bomb", &ctx);
  cx_buf_init(&all, (size_t)1 << 16);
  assert_int_equal(cx_istream_getline(in, &all), CX_FAILED);
  assert_int_equal(cx_istream_getline(in, &all), CX_EOF);
  cx_istream_close(in);
  cx_buf_free(&all);
  free(zeros);
  free(gz);
}

struct feeder {
  int fd;
  const unsigned char *data;
  size_t len;
  int rc;
};

/* One byte per write with pauses: the reader sees 1f, then 8b, ... */
static void *feed(void *arg) {
  struct feeder *f = arg;
  for (size_t i = 0; i < f->len && !f->rc; i++) {
    if (write(f->fd, f->data + i, 1) != 1) f->rc = 1;
    if (i < 3) usleep(20000);
  }
  close(f->fd);
  return NULL;
}

static void test_stdin_pipe_split_magic(void **state) {
  (void)state;
  struct cx_buf gz;
  cx_buf_init(&gz, 0);
  gz_member(&gz, "piped\n", 6, 6);
  int fds[2];
  assert_int_equal(pipe(fds), 0);
  struct feeder f = {fds[1], (const unsigned char *)gz.data, gz.len, 0};
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, feed, &f), 0);
  int saved = dup(0);
  assert_int_equal(dup2(fds[0], 0), 0);
  close(fds[0]);
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open("-", &ctx);
  assert_non_null(in);
  assert_true(cx_istream_is_gzip(in));
  assert_string_equal(cx_istream_name(in), "-");
  struct cx_buf all;
  cx_buf_init(&all, 0);
  assert_int_equal(cx_istream_read_all(in, &all), CX_OK);
  assert_string_equal(all.data, "piped\n");
  cx_istream_close(in);
  /* stdin is not closed by the stream */
  assert_true(fcntl(0, F_GETFD) != -1);
  dup2(saved, 0);
  close(saved);
  pthread_join(t, NULL);
  assert_int_equal(f.rc, 0);
  cx_buf_free(&all);
  cx_buf_free(&gz);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_buf_limit),
      cmocka_unit_test(test_buf_unlimited),
      cmocka_unit_test(test_buf_printf),
      cmocka_unit_test(test_buf_detach),
      cmocka_unit_test(test_getline_all_sizes),
      cmocka_unit_test(test_getline_appends),
      cmocka_unit_test(test_getline_too_long),
      cmocka_unit_test(test_read_all_bounded),
      cmocka_unit_test(test_peek_then_read),
      cmocka_unit_test(test_open_errors),
      cmocka_unit_test(test_gzip_multi_member),
      cmocka_unit_test(test_gzip_made_by_gzip),
      cmocka_unit_test(test_gzip_truncated_and_corrupt),
      cmocka_unit_test(test_gzip_trailing_garbage),
      cmocka_unit_test(test_gzip_bomb_bounded),
      cmocka_unit_test(test_stdin_pipe_split_magic),
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
