/* Unit tests for the shared text scanners (core/lib/io/scan.c): each one
 * against a byte-at-a-time reference, at every offset and length, so that
 * the 16- and 8-byte paths and the tail are all taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cablex/stream.h"

static const char *ref_plain(const char *p, const char *e, const char *stop) {
  for (; p < e; p++) {
    unsigned char c = (unsigned char)*p;
    if (c < 0x20 || c >= 0x80 || memchr(stop, c, 4)) break;
  }
  return p;
}

static const char *ref_any3(const char *p, const char *e, char a, char b, char c) {
  while (p < e && *p != a && *p != b && *p != c)
    p++;
  return p;
}

/* 40 plain bytes with one byte b put at each place in turn. */
static void test_scanners_find_each_stop_byte(void **state) {
  (void)state;
  static const unsigned char probes[] = {'"',  '\\', '&',  '<',  '>',  '\n', '\t', 0x01,
                                         0x1F, 0x7F, 0x80, 0xC3, 0xFF, ' ',  'a',  'Z'};
  char buf[40];
  for (size_t k = 0; k < sizeof probes; k++) {
    for (size_t at = 0; at < sizeof buf; at++) {
      memset(buf, 'x', sizeof buf);
      buf[at] = (char)probes[k];
      for (size_t from = 0; from <= at; from++) {
        const char *p = buf + from, *e = buf + sizeof buf;
        assert_ptr_equal(cx_scan_plain(p, e, "&<>\""), ref_plain(p, e, "&<>\""));
        assert_ptr_equal(cx_scan_plain(p, e, "\"\\\\\\"), ref_plain(p, e, "\"\\\\\\"));
        assert_ptr_equal(cx_json_plain_end(p, e), ref_plain(p, e, "\"\\\\\\"));
        assert_ptr_equal(cx_scan_any3(p, e, '"', '\\', '\n'), ref_any3(p, e, '"', '\\', '\n'));
      }
    }
  }
  /* nothing to stop at: the end */
  memset(buf, 'x', sizeof buf);
  assert_ptr_equal(cx_scan_plain(buf, buf + sizeof buf, "&<>>"), buf + sizeof buf);
  assert_ptr_equal(cx_scan_any3(buf, buf + sizeof buf, '"', '\\', '\n'), buf + sizeof buf);
}

static void test_case_insensitive_search(void **state) {
  (void)state;
  const char *s = "<HTML><Head><TITLE>x</title></head>";
  size_t n = strlen(s);
  assert_true(cx_starts_ci(s, n, "<html>"));
  assert_false(cx_starts_ci(s, 3, "<html"));          /* past the end */
  assert_false(cx_starts_ci("\x1chtml", 5, "<html")); /* only letters fold */
  assert_int_equal(cx_find_ci(s, n, 0, "<head>"), 6);
  assert_int_equal(cx_find_ci(s, n, 0, "</TITLE>"), 20);
  assert_int_equal(cx_find_ci(s, n, 21, "</title>"), (size_t)-1);
  assert_int_equal(cx_find_ci(s, n, 0, "</body>"), (size_t)-1);
  assert_int_equal(cx_find_ci("CaSe", 4, 0, "case"), 0);
  assert_int_equal(cx_find_ci("CaSe", 3, 0, "case"), (size_t)-1); /* n bounds the text */
  assert_int_equal(cx_find_ci("a\xc3\xa9"
                              "CASE",
                              7, 1, "case"),
                   3);
  assert_int_equal(cx_find(s, n, 0, "</title>"), 20);
  assert_int_equal(cx_find(s, n, 0, "</TITLE>"), (size_t)-1); /* exact case */
  assert_int_equal(cx_find(s, n, 21, "</title>"), (size_t)-1);
  const unsigned char head[] = "\xef\xbb\xbf \r\n\t<x";
  assert_int_equal(cx_text_start(head, sizeof head - 1, true), 7);
  assert_int_equal(cx_text_start(head, sizeof head - 1, false), 0);
  assert_int_equal(cx_text_start(head, 5, true), 5);
}

/* cx_count_newlines against a byte loop: every length up to 300 at every
 * start offset of a 16-byte block, and a run of 10,000 newlines (more than
 * the 255 blocks its SSE2 counters hold before they are summed). */
static void test_count_newlines(void **state) {
  (void)state;
  static char buf[12000];
  unsigned seed = 7;
  for (size_t i = 0; i < sizeof buf; i++) {
    seed = seed * 1103515245u + 12345u;
    buf[i] = (seed >> 16) % 5 == 0 ? '\n' : (char)('a' + (seed >> 20) % 26);
  }
  for (size_t off = 0; off < 16; off++)
    for (size_t n = 0; n <= 300; n++) {
      unsigned long want = 0;
      for (size_t i = off; i < off + n; i++)
        want += buf[i] == '\n';
      assert_int_equal(cx_count_newlines(buf + off, buf + off + n), want);
    }
  memset(buf, '\n', 10000);
  assert_int_equal(cx_count_newlines(buf, buf + 10000), 10000);
  assert_int_equal(cx_count_newlines(buf + 3, buf + 9999), 9996);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_count_newlines),
      cmocka_unit_test(test_scanners_find_each_stop_byte),
      cmocka_unit_test(test_case_insensitive_search),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
