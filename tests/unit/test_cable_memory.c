/* test_cable_memory.c - the memory one huge cable costs is a small multiple
 * of its size (issue 12, case 10: a 15 MB JSON cable of 300,000 paragraphs
 * peaked at 272 MB, 321 MB going to EPUB).
 *
 * No clock and no RSS: this program counts its own heap.  malloc, calloc,
 * realloc and free are replaced here (glibc lets a program do that; every
 * library it loads then uses them) by thin wrappers over glibc's own that
 * keep the bytes in use (malloc_usable_size of each block) and their peak.
 * The test runs on one thread, so the figures are the same at every run.
 * Built without sanitizers only (they bring their own allocator).
 *
 * The cable: N paragraphs of about 50 bytes of JSON each, read by the json
 * reader and written by the json and epub writers into output buffers sized
 * beforehand (the output is not the writer's memory).
 */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../plugins/epub/epub_plugin.h"
#include "../../plugins/json/json_plugin.h"
#include "cablex/options.h"

/* ---- counting allocator ---- */

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static size_t live, peak;

static void *counted(void *p) {
  if (p) {
    live += malloc_usable_size(p);
    if (live > peak) peak = live;
  }
  return p;
}

void *malloc(size_t n) {
  return counted(__libc_malloc(n));
}

void *calloc(size_t n, size_t size) {
  return counted(__libc_calloc(n, size));
}

void *realloc(void *p, size_t n) {
  size_t old = p ? malloc_usable_size(p) : 0;
  void *q = __libc_realloc(p, n);
  if (!q) return NULL; /* p is unchanged (or n was 0 and p freed: not done here) */
  live -= old;
  return counted(q);
}

void free(void *p) {
  if (p) live -= malloc_usable_size(p);
  __libc_free(p);
}

/* Starts a measure: the peak from now on, over what is in use now. */
static size_t mark(void) {
  peak = live;
  return live;
}

/* ---- the cable ---- */

#define PARAGRAPHS 100000

static char *huge_cable(size_t *len) {
  size_t cap = (size_t)PARAGRAPHS * 64 + 256, n = 0;
  char *s = __libc_malloc(cap); /* not counted: it is the input */
  assert_non_null(s);
  n += (size_t)snprintf(s, cap,
                        "{\"id\":\"99XXTEST1\",\"classification\":\"UNCLASSIFIED\","
                        "\"paragraphs\":[");
  for (int i = 1; i <= PARAGRAPHS; i++)
    n += (size_t)snprintf(s + n, cap - n,
                          "%s{\"number\":\"%d\",\"marking\":\"U\",\"text\":\"P %d.\"}",
                          i > 1 ? "," : "", i, i);
  n += (size_t)snprintf(s + n, cap - n, "]}\n");
  assert_true(n < cap);
  *len = n;
  return s;
}

struct world {
  char *json;
  size_t len;
  struct cx_options *opts;
  struct cx_cable *cable;
};

static struct world W;

/* The cable the writers write (W.cable). */
static struct cx_cable *read_cable(void) {
  struct cx_ctx ctx = {0};
  struct cx_cable *c = NULL;
  void *st = NULL;
  struct cx_istream *in = cx_istream_open_mem(W.json, W.len, "huge.json", &ctx);
  if (in && jsonp_reader_open(in, W.opts, &ctx, &st) == CX_OK) {
    if (jsonp_reader_next(st, &ctx, &c) != CX_OK) c = NULL;
    jsonp_reader_close(st);
  }
  cx_istream_close(in);
  return c;
}

static int setup(void **state) {
  (void)state;
  W.json = huge_cable(&W.len);
  W.opts = cx_options_new();
  W.cable = W.opts ? read_cable() : NULL;
  return W.cable ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  cx_cable_free(W.cable);
  cx_options_free(W.opts);
  __libc_free(W.json);
  return 0;
}

/* Reading: the reader's own buffers (one copy of the record, rounded up to
 * a power of two) and the model, nothing more: no second copy of the text
 * for decoding, and nothing of the record kept once the cable is out. */
static void test_json_reader(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  struct cx_istream *in = cx_istream_open_mem(W.json, W.len, "huge.json", &ctx);
  assert_non_null(in);
  size_t before = mark();
  void *st = NULL;
  assert_int_equal(jsonp_reader_open(in, W.opts, &ctx, &st), CX_OK);
  size_t opened = live;
  struct cx_cable *c = NULL;
  assert_int_equal(jsonp_reader_next(st, &ctx, &c), CX_OK);
  assert_int_equal(c->paragraphs.n, PARAGRAPHS);
  assert_true(cx_cable_equal(c, W.cable));
  size_t held = live - opened; /* the cable, and what the reader kept */
  size_t read_peak = peak - before;
  size_t with_cable = live;
  cx_cable_free(c);
  size_t model = with_cable - live;
  size_t kept = live - opened; /* the reader's, past the huge record */
  print_message("input %zu B; model %zu B (%.2fx); reading peaked at %zu B (%.2fx); the reader "
                "keeps %zu B after it\n",
                W.len, model, (double)model / W.len, read_peak, (double)read_peak / W.len, kept);
  assert_true(held >= model);
  /* 3 strings and a 24-byte element a paragraph of ~50 bytes of JSON */
  assert_true(model < 3 * W.len);
  /* record buffer (at most twice the record) + model + small change */
  size_t rec = 1;
  while (rec < W.len + 1)
    rec *= 2;
  assert_true(read_peak <= model + rec + (256u << 10));
  assert_true(kept < (256u << 10));
  assert_int_equal(jsonp_reader_next(st, &ctx, &c), CX_EOF);
  jsonp_reader_close(st);
  cx_istream_close(in);
}

/* An output buffer with room for size bytes already: its growth would be
 * counted as the writer's. */
static struct cx_ostream *sized_output(struct cx_buf *b, size_t size, struct cx_ctx *ctx) {
  cx_buf_init(b, 0);
  char *fill = __libc_calloc(1, size);
  assert_non_null(fill);
  assert_int_equal(cx_buf_add(b, fill, size), CX_OK);
  __libc_free(fill);
  cx_buf_reset(b);
  struct cx_ostream *out = cx_ostream_open_mem(b, "out", ctx);
  assert_non_null(out);
  return out;
}

/* Writing EPUB: the chapter's XHTML (four times the JSON here) is deflated
 * as it is made; only its compressed form is held. */
static void test_epub_writer(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  struct cx_buf b;
  struct cx_ostream *out = sized_output(&b, 4 * W.len, &ctx);
  size_t before = mark();
  void *st = NULL;
  assert_int_equal(epubp_writer_open(out, W.opts, &ctx, &st), CX_OK);
  assert_int_equal(epubp_writer_write(st, W.cable, &ctx), CX_OK);
  size_t after_write = live - before;
  assert_int_equal(epubp_writer_close(st, &ctx), CX_OK);
  size_t write_peak = peak - before;
  print_message("epub: %zu B written; the writer peaked at %zu B (%.2fx the input), keeps %zu B "
                "between cables\n",
                b.len, write_peak, (double)write_peak / W.len, after_write);
  assert_true(b.len > 0 && b.len < 4 * W.len);
  assert_true(write_peak < W.len / 2);
  /* what stays between cables does not grow with the cable */
  assert_true(after_write <= (1u << 20) + (256u << 10));
  cx_ostream_commit(out);
  cx_buf_free(&b);
}

/* Writing JSON Lines: the line goes out as it is made. */
static void test_json_writer(void **state) {
  (void)state;
  struct cx_ctx ctx = {0};
  struct cx_buf b;
  struct cx_ostream *out = sized_output(&b, 2 * W.len + (1u << 20), &ctx);
  size_t before = mark();
  void *st = NULL;
  assert_int_equal(jsonp_writer_open(out, W.opts, &ctx, &st), CX_OK);
  assert_int_equal(jsonp_writer_write(st, W.cable, &ctx), CX_OK);
  assert_int_equal(jsonp_writer_close(st, &ctx), CX_OK);
  size_t write_peak = peak - before;
  print_message("jsonl: %zu B written; the writer peaked at %zu B (%.2fx the input)\n", b.len,
                write_peak, (double)write_peak / W.len);
  assert_true(b.len > W.len);
  assert_true(write_peak < W.len / 2);
  cx_ostream_commit(out);
  cx_buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_json_reader),
      cmocka_unit_test(test_epub_writer),
      cmocka_unit_test(test_json_writer),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
