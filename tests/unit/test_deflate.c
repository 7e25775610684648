/* Unit tests for the gzip encoder (core/deflate.c, compiled in) and the
 * gzip output of byte streams (core/stream.c through libcablex): every
 * result is decoded by zlib's own inflate, independent of the encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dlfcn.h>

#include <unistd.h>
#include <zlib.h>

#include "cablex/stream.h"
#include "deflate.h"
#include "cablex/stream.h"
#include "test_files.h"

static char tmpdir[256];

/* The implementations to test: both when ISA-L is built in. */
static const char *const impls[] = {
#ifdef CX_HAVE_ISAL
    "isal",
#endif
    "zlib"};
#define N_IMPLS (sizeof impls / sizeof impls[0])

static void use_impl(const char *impl, const char *level) {
  assert_int_equal(setenv("CABLEX_GZIP", impl, 1), 0);
  if (level)
    assert_int_equal(setenv("CABLEX_GZIP_LEVEL", level, 1), 0);
  else
    unsetenv("CABLEX_GZIP_LEVEL");
}

/* Decodes one gzip member with zlib; the member must end exactly at len. */
static unsigned char *gunzip(const unsigned char *gz, size_t len, size_t *outlen) {
  struct cx_buf b;
  cx_buf_init(&b, 0);
  z_stream z = {0};
  assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
  z.next_in = (unsigned char *)(uintptr_t)gz;
  z.avail_in = (unsigned)len;
  unsigned char chunk[65536];
  int r;
  do {
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    r = inflate(&z, Z_NO_FLUSH);
    assert_true(r == Z_OK || r == Z_STREAM_END);
    assert_int_equal(cx_buf_add(&b, chunk, sizeof chunk - z.avail_out), 0);
  } while (r != Z_STREAM_END);
  assert_int_equal(z.avail_in, 0); /* nothing after the trailer */
  inflateEnd(&z);
  return (unsigned char *)cx_buf_detach(&b, outlen);
}

/* Compresses data in slices of in_step bytes into room of out_step bytes
 * at a time (small steps exercise every resume path of the encoder). */
static unsigned char *encode(const unsigned char *data, size_t len, size_t in_step, size_t out_step,
                             size_t *gzlen) {
  struct cx_deflate *e = cx_deflate_new();
  assert_non_null(e);
  size_t cap = len + len / 2 + 4096, n = 0, off = 0;
  unsigned char *gz = malloc(cap);
  assert_non_null(gz);
  int r;
  do {
    size_t take = len - off < in_step ? len - off : in_step;
    bool last = off + take == len;
    size_t room = cap - n < out_step ? cap - n : out_step;
    assert_true(room > 0);
    size_t used, made;
    const char *why = NULL;
    r = cx_deflate_run(e, data + off, take, &used, gz + n, room, &made, last, &why);
    assert_true(r == CX_DEFLATE_OK || r == CX_DEFLATE_END);
    assert_true(used <= take && made <= room);
    off += used;
    n += made;
  } while (r != CX_DEFLATE_END);
  assert_int_equal(off, len);
  cx_deflate_free(e);
  *gzlen = n;
  return gz;
}

/* Text like a JSON Lines corpus: compressible, not trivially. */
static unsigned char *make_text(size_t len) {
  unsigned char *p = malloc(len + 1);
  assert_non_null(p);
  uint32_t seed = 7;
  size_t i = 0;
  while (i < len) {
    seed = seed * 1103515245u + 12345u;
    int k = snprintf((char *)p + i, len + 1 - i,
                     "{\"id\":\"09XXTEST%u\",\"classification\":\"SECRET\",\"n\":%u}\n",
                     (seed >> 8) % 1000, seed >> 12);
    i += (size_t)k < len - i ? (size_t)k : len - i;
  }
  return p;
}

static void roundtrip(const unsigned char *data, size_t len, size_t in_step, size_t out_step) {
  size_t gzlen, back_len;
  unsigned char *gz = encode(data, len, in_step, out_step, &gzlen);
  /* A reproducible header: gzip magic, deflate, no flags (no name), time 0. */
  assert_true(gzlen >= 18);
  assert_int_equal(gz[0], 0x1f);
  assert_int_equal(gz[1], 0x8b);
  assert_int_equal(gz[2], 8);
  assert_int_equal(gz[3], 0);
  assert_int_equal(gz[4] | gz[5] | gz[6] | gz[7], 0);
  unsigned char *back = gunzip(gz, gzlen, &back_len);
  assert_int_equal(back_len, len);
  if (len) assert_memory_equal(back, data, len);
  free(back);
  free(gz);
}

static void test_empty(void **state) {
  (void)state;
  for (size_t i = 0; i < N_IMPLS; i++) {
    use_impl(impls[i], NULL);
    roundtrip((const unsigned char *)"", 0, 1, 1 << 16);
    roundtrip((const unsigned char *)"", 0, 1, 1); /* header and trailer a byte at a time */
  }
}

static void test_large(void **state) {
  (void)state;
  size_t len = (size_t)9 << 20;
  unsigned char *text = make_text(len);
  for (size_t i = 0; i < N_IMPLS; i++) {
    use_impl(impls[i], NULL);
    roundtrip(text, len, len, (size_t)1 << 17);
    roundtrip(text, len, (size_t)1 << 16, 4096);
  }
  free(text);
}

static void test_small_steps(void **state) {
  (void)state;
  size_t len = 200000;
  unsigned char *text = make_text(len);
  for (size_t i = 0; i < N_IMPLS; i++) {
    use_impl(impls[i], NULL);
    roundtrip(text, len, 1, 1 << 16); /* a byte of input a call */
    roundtrip(text, len, 777, 7);     /* little room a call */
  }
  free(text);
}

static void test_levels(void **state) {
  (void)state;
  size_t len = (size_t)1 << 20;
  unsigned char *text = make_text(len);
  for (size_t i = 0; i < N_IMPLS; i++) {
    for (char lv = '0'; lv <= '9'; lv++) {
      char s[2] = {lv, 0};
      use_impl(impls[i], s);
      roundtrip(text, len, len, (size_t)1 << 17);
    }
    /* The variable is read: level 0 and 9 differ (zlib: stored and best;
     * ISA-L: its 0 and 3). */
    size_t fast, best;
    use_impl(impls[i], "0");
    free(encode(text, len, len, len * 2, &fast));
    use_impl(impls[i], "9");
    free(encode(text, len, len, len * 2, &best));
    assert_true(best < fast);
    /* An unusable value is ignored: the default level. */
    size_t dflt, junk;
    use_impl(impls[i], NULL);
    free(encode(text, len, len, len * 2, &dflt));
    use_impl(impls[i], "12");
    free(encode(text, len, len, len * 2, &junk));
    assert_int_equal(dflt, junk);
  }
  free(text);
}

/* The same input in the same slices gives the same bytes, whatever the
 * room for output (the stream slices its input the same way always). */
static void test_reproducible(void **state) {
  (void)state;
  size_t len = 300000;
  unsigned char *text = make_text(len);
  for (size_t i = 0; i < N_IMPLS; i++) {
    use_impl(impls[i], NULL);
    size_t a_len, b_len;
    unsigned char *a = encode(text, len, 1 << 17, 1 << 16, &a_len);
    unsigned char *b = encode(text, len, 1 << 17, 333, &b_len);
    assert_int_equal(a_len, b_len);
    assert_memory_equal(a, b, a_len);
    free(a);
    free(b);
  }
  free(text);
}

static void test_impl_and_misuse(void **state) {
  (void)state;
  use_impl("zlib", NULL);
  assert_string_equal(cx_deflate_impl(), "zlib");
  use_impl("", NULL);
#ifdef CX_HAVE_ISAL
  assert_string_equal(cx_deflate_impl(), "isa-l");
#else
  assert_string_equal(cx_deflate_impl(), "zlib");
#endif
  /* Input after the member ended is refused, not silently dropped. */
  for (size_t i = 0; i < N_IMPLS; i++) {
    use_impl(impls[i], NULL);
    struct cx_deflate *e = cx_deflate_new();
    unsigned char out[256];
    size_t used, made;
    const char *why = NULL;
    assert_int_equal(
        cx_deflate_run(e, (const unsigned char *)"x", 1, &used, out, sizeof out, &made, true, &why),
        CX_DEFLATE_END);
    assert_int_equal(used, 1);
    assert_int_equal(
        cx_deflate_run(e, (const unsigned char *)"y", 1, &used, out, sizeof out, &made, true, &why),
        CX_DEFLATE_ERROR);
    assert_non_null(why);
    assert_int_equal(cx_deflate_run(e, NULL, 0, &used, out, sizeof out, &made, true, &why),
                     CX_DEFLATE_END);
    cx_deflate_free(e);
  }
}

/* ---- through cx_ostream: a file named *.gz ---- */

static void check_gz_file(const char *path, const unsigned char *want, size_t want_len) {
  size_t gzlen, len;
  unsigned char *gz = (unsigned char *)read_file(path, &gzlen);
  unsigned char *back = gunzip(gz, gzlen, &len);
  assert_int_equal(len, want_len);
  if (len) assert_memory_equal(back, want, len);
  free(back);
  free(gz);
}

static void test_ostream_gzip(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s/out.jsonl.gz", tmpdir);
  size_t len = (size_t)3 << 20;
  unsigned char *text = make_text(len);
  for (size_t i = 0; i < N_IMPLS; i++) {
    use_impl(impls[i], NULL);
    struct cx_ctx ctx = {0};

    /* Nothing written: still a valid, empty gzip file. */
    struct cx_ostream *out = cx_ostream_open(path, &ctx);
    assert_non_null(out);
    assert_int_equal(cx_ostream_commit(out), CX_OK);
    check_gz_file(path, text, 0);

    /* Many small writes, then one larger than the stream's block, then
     * small ones again: the order of the bytes is kept. */
    out = cx_ostream_open(path, &ctx);
    assert_non_null(out);
    size_t off = 0, step = 1;
    while (off < len / 3) {
      assert_int_equal(cx_ostream_write(out, text + off, step), CX_OK);
      off += step;
      step = step % 97 + 1;
    }
    size_t big = len / 3;
    assert_int_equal(cx_ostream_write(out, text + off, big), CX_OK);
    off += big;
    while (off < len) {
      size_t n = len - off < 50 ? len - off : 50;
      assert_int_equal(cx_ostream_write(out, text + off, n), CX_OK);
      off += n;
    }
    assert_int_equal(cx_ostream_commit(out), CX_OK);
    check_gz_file(path, text, len);

    /* The same bytes written in one piece give the same file. */
    size_t first_len, again_len;
    unsigned char *first = (unsigned char *)read_file(path, &first_len);
    out = cx_ostream_open(path, &ctx);
    assert_int_equal(cx_ostream_write(out, text, len), CX_OK);
    assert_int_equal(cx_ostream_commit(out), CX_OK);
    unsigned char *again = (unsigned char *)read_file(path, &again_len);
    assert_int_equal(first_len, again_len);
    assert_memory_equal(first, again, first_len);
    free(first);
    free(again);

    /* A name without .gz is not compressed; cx_ostream_open_plain never. */
    snprintf(path, sizeof path, "%s/out.jsonl", tmpdir);
    out = cx_ostream_open(path, &ctx);
    assert_int_equal(cx_ostream_write(out, "abc\n", 4), CX_OK);
    assert_int_equal(cx_ostream_commit(out), CX_OK);
    size_t n;
    unsigned char *plain = (unsigned char *)read_file(path, &n);
    assert_int_equal(n, 4);
    assert_memory_equal(plain, "abc\n", 4);
    free(plain);
    snprintf(path, sizeof path, "%s/raw.gz", tmpdir);
    out = cx_ostream_open_plain(path, &ctx);
    assert_int_equal(cx_ostream_write(out, "abc\n", 4), CX_OK);
    assert_int_equal(cx_ostream_commit(out), CX_OK);
    plain = (unsigned char *)read_file(path, &n);
    assert_int_equal(n, 4);
    free(plain);
    snprintf(path, sizeof path, "%s/out.jsonl.gz", tmpdir);
  }
  free(text);
}

/* cx_ostream_gzip(): a stream not named .gz compresses once asked, before
 * its first write only; a memory stream cannot. */
static void test_ostream_gzip_on_request(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s/bundle.tar", tmpdir);
  for (size_t i = 0; i < N_IMPLS; i++) {
    use_impl(impls[i], NULL);
    struct cx_ctx ctx = {0};
    struct cx_ostream *out = cx_ostream_open(path, &ctx);
    assert_non_null(out);
    assert_int_equal(cx_ostream_gzip(out), CX_OK);
    assert_int_equal(cx_ostream_gzip(out), CX_FAILED); /* already */
    assert_int_equal(cx_ostream_write(out, "tar bytes\n", 10), CX_OK);
    assert_int_equal(cx_ostream_commit(out), CX_OK);
    check_gz_file(path, (const unsigned char *)"tar bytes\n", 10);

    out = cx_ostream_open(path, &ctx);
    assert_int_equal(cx_ostream_write(out, "x", 1), CX_OK);
    assert_int_equal(cx_ostream_gzip(out), CX_FAILED); /* too late */
    cx_ostream_abort(out);

    struct cx_buf mem;
    cx_buf_init(&mem, 0);
    out = cx_ostream_open_mem(&mem, "mem", &ctx);
    assert_non_null(out);
    assert_int_equal(cx_ostream_gzip(out), CX_FAILED);
    assert_int_equal(cx_ostream_commit(out), CX_OK);
    cx_buf_free(&mem);
  }
}

/* The stream reads back what it wrote, whichever encoder wrote it and
 * whichever decoder reads. */
static void test_ostream_istream(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s/cross.gz", tmpdir);
  size_t len = 500000;
  unsigned char *text = make_text(len);
  for (size_t w = 0; w < N_IMPLS; w++) {
    use_impl(impls[w], NULL);
    struct cx_ctx ctx = {0};
    struct cx_ostream *out = cx_ostream_open(path, &ctx);
    assert_non_null(out);
    for (size_t off = 0; off < len; off += 1000)
      assert_int_equal(cx_ostream_write(out, text + off, len - off < 1000 ? len - off : 1000),
                       CX_OK);
    assert_int_equal(cx_ostream_commit(out), CX_OK);
    for (size_t r = 0; r < N_IMPLS; r++) {
      use_impl(impls[r], NULL);
      struct cx_istream *in = cx_istream_open(path, &ctx);
      assert_non_null(in);
      assert_true(cx_istream_is_gzip(in));
      unsigned char *back = malloc(len + 1);
      size_t got = 0;
      for (;;) {
        long k = cx_istream_read(in, back + got, len + 1 - got);
        assert_true(k >= 0);
        if (k == 0) break;
        got += (size_t)k;
      }
      assert_int_equal(got, len);
      assert_memory_equal(back, text, len);
      free(back);
      cx_istream_close(in);
    }
  }
  free(text);
}

static int setup(void **state) {
  (void)state;
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/cx-deflate-XXXXXX", t && *t ? t : "/tmp");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  const char *names[] = {"out.jsonl.gz", "out.jsonl", "raw.gz", "cross.gz", "bundle.tar"};
  char p[600];
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
    unlink(p);
  }
  rmdir(tmpdir);
  return 0;
}

/* One member from pieces compressed apart (pigz's way): zlib reads it as
 * one member; each piece's bytes depend on its own input only; an empty
 * piece adds nothing; the CRC-32 is zlib's. */
static void test_pieces(void **state) {
  (void)state;
  size_t len = (size_t)3 << 20;
  unsigned char *text = make_text(len);
  for (size_t k = len / 2; k < len / 2 + 4096; k++) /* a stretch that does not compress */
    text[k] = (unsigned char)((k * 2654435761u) >> 13);
  const size_t cuts[] = {0, 1, 100000, 100000, len / 2 + 10, len - 7, len};
  static const char *const levels[] = {NULL, "0", "9"};
  for (size_t i = 0; i < 3 * N_IMPLS; i++) {
    use_impl(impls[i / 3], levels[i % 3]);
    struct cx_deflate *e = cx_deflate_new_piece();
    assert_non_null(e);
    struct cx_buf gz, alone;
    cx_buf_init(&gz, 0);
    cx_buf_init(&alone, 0);
    unsigned char head[CX_GZIP_HEAD_LEN], tail[CX_GZIP_TAIL_LEN];
    cx_gzip_head(head);
    assert_int_equal(cx_buf_add(&gz, head, sizeof head), CX_OK);
    unsigned long crc = 0;
    const char *why = NULL;
    for (size_t c = 0; c + 1 < sizeof cuts / sizeof *cuts; c++) {
      size_t n = cuts[c + 1] - cuts[c], at = gz.len;
      unsigned long pc;
      assert_int_equal(cx_deflate_piece(e, text + cuts[c], n, &gz, &pc, &why), CX_DEFLATE_OK);
      assert_int_equal(pc, n ? crc32(0, text + cuts[c], (unsigned)n) : 0);
      if (!n) assert_int_equal(gz.len, at);
      crc = cx_crc32_combine(crc, pc, n);
      /* the same piece compressed first, on a fresh encoder: the same bytes */
      struct cx_deflate *f = cx_deflate_new_piece();
      cx_buf_reset(&alone);
      assert_int_equal(cx_deflate_piece(f, text + cuts[c], n, &alone, &pc, &why), CX_DEFLATE_OK);
      cx_deflate_free(f);
      assert_int_equal(alone.len, gz.len - at);
      if (n) assert_memory_equal(alone.data, gz.data + at, alone.len);
    }
    assert_int_equal(crc, crc32(crc32(0, NULL, 0), text, (unsigned)len));
    cx_gzip_tail(tail, crc, len);
    assert_int_equal(cx_buf_add(&gz, tail, sizeof tail), CX_OK);
    size_t back_len;
    unsigned char *back = gunzip((unsigned char *)gz.data, gz.len, &back_len);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, text, len);
    free(back);
    /* no input at all: header and tail alone are a valid empty member */
    unsigned char empty[CX_GZIP_HEAD_LEN + CX_GZIP_TAIL_LEN];
    cx_gzip_head(empty);
    cx_gzip_tail(empty + CX_GZIP_HEAD_LEN, 0, 0);
    back = gunzip(empty, sizeof empty, &back_len);
    assert_int_equal(back_len, 0);
    free(back);
    cx_buf_free(&gz);
    cx_buf_free(&alone);
    cx_deflate_free(e);
  }
  free(text);
}

/* ISA-L is opened when the first encoder wants it, not at start: a run
 * that never writes gzip does not pay for loading it.  First in main, before
 * any test has made an encoder. */
static void test_isal_opened_when_used(void **state) {
  (void)state;
#ifdef CX_HAVE_ISAL
  assert_null(dlopen(CX_ISAL_SONAME, RTLD_LAZY | RTLD_NOLOAD));
  use_impl("zlib", NULL);
  struct cx_deflate *e = cx_deflate_new();
  assert_non_null(e);
  cx_deflate_free(e);
  assert_null(dlopen(CX_ISAL_SONAME, RTLD_LAZY | RTLD_NOLOAD));
  use_impl("", NULL);
  e = cx_deflate_new();
  assert_non_null(e);
  cx_deflate_free(e);
  void *h = dlopen(CX_ISAL_SONAME, RTLD_LAZY | RTLD_NOLOAD);
  assert_non_null(h);
  dlclose(h); /* drops only the reference NOLOAD took */
#else
  skip();
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_isal_opened_when_used),
      cmocka_unit_test(test_empty),
      cmocka_unit_test(test_large),
      cmocka_unit_test(test_small_steps),
      cmocka_unit_test(test_levels),
      cmocka_unit_test(test_reproducible),
      cmocka_unit_test(test_impl_and_misuse),
      cmocka_unit_test(test_ostream_gzip),
      cmocka_unit_test(test_ostream_gzip_on_request),
      cmocka_unit_test(test_ostream_istream),
      cmocka_unit_test(test_pieces),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
