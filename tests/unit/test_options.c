/* Unit tests for the -O option set (core/options.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cablex/plugin.h"
#include "cablex/options.h"

static void test_options_get_set(void **state) {
  (void)state;
  struct cx_options *o = cx_options_new();
  assert_non_null(o);
  assert_null(cx_options_get(o, "pretty"));
  assert_int_equal(cx_options_set(o, "pretty", NULL), CX_OK);
  assert_string_equal(cx_options_get(o, "pretty"), ""); /* a flag */
  assert_int_equal(cx_options_set(o, "indent", "2"), CX_OK);
  const char *first = cx_options_get(o, "indent");
  assert_string_equal(first, "2");
  assert_int_equal(cx_options_set(o, "indent", "4"), CX_OK);
  assert_string_equal(cx_options_get(o, "indent"), "4"); /* the last wins */
  assert_string_equal(first, "2");                       /* an earlier answer stays valid */
  assert_null(cx_options_get(o, "Indent"));              /* names are exact */
  assert_null(cx_options_get(o, "inden"));
  assert_null(cx_options_get(o, NULL));

  /* Arguments are copied. */
  char name[] = "level", value[] = "9";
  assert_int_equal(cx_options_set(o, name, value), CX_OK);
  name[0] = 'X';
  value[0] = '1';
  assert_string_equal(cx_options_get(o, "level"), "9");

  assert_int_equal(cx_options_set(o, "", "x"), CX_FAILED);
  assert_int_equal(cx_options_set(o, NULL, "x"), CX_FAILED);
  assert_int_equal(cx_options_set(NULL, "a", "x"), CX_FAILED);
  assert_int_equal(cx_options_count(o), 4);
  cx_options_free(o);

  assert_null(cx_options_get(NULL, "pretty")); /* plugins may get no options */
  assert_int_equal(cx_options_count(NULL), 0);
  cx_options_free(NULL);
}

static void test_options_parse(void **state) {
  (void)state;
  struct cx_options *o = cx_options_new();
  assert_int_equal(cx_options_parse(o, "max-size=16M"), CX_OK);
  assert_int_equal(cx_options_parse(o, "filter=a=b"), CX_OK);
  assert_int_equal(cx_options_parse(o, "strict"), CX_OK);
  assert_int_equal(cx_options_parse(o, "empty="), CX_OK);
  assert_int_equal(cx_options_parse(o, ""), CX_FAILED);
  assert_int_equal(cx_options_parse(o, "=value"), CX_FAILED);
  assert_int_equal(cx_options_parse(o, NULL), CX_FAILED);
  assert_string_equal(cx_options_get(o, "max-size"), "16M");
  assert_string_equal(cx_options_get(o, "filter"), "a=b"); /* first '=' splits */
  assert_string_equal(cx_options_get(o, "strict"), "");
  assert_string_equal(cx_options_get(o, "empty"), "");
  assert_null(cx_options_get(o, "filter=a"));
  assert_int_equal(cx_options_count(o), 4);
  cx_options_free(o);
}

static void test_options_order_and_growth(void **state) {
  (void)state;
  struct cx_options *o = cx_options_new();
  const char *kept[100];
  char name[32], value[32];
  for (int i = 0; i < 100; i++) {
    snprintf(name, sizeof name, "opt%d", i % 40); /* names repeat */
    snprintf(value, sizeof value, "v%d", i);
    assert_int_equal(cx_options_set(o, name, value), CX_OK);
    kept[i] = cx_options_get(o, name);
  }
  assert_int_equal(cx_options_count(o), 100);
  /* Borrowed strings survive the array growing. */
  for (int i = 0; i < 100; i++) {
    snprintf(value, sizeof value, "v%d", i);
    assert_string_equal(kept[i], value);
  }
  assert_string_equal(cx_options_get(o, "opt5"), "v85");
  assert_string_equal(cx_options_get(o, "opt39"), "v79");
  /* cx_options_at walks in the order given, overridden ones included. */
  const char *n, *v;
  for (size_t i = 0; i < 100; i++) {
    assert_true(cx_options_at(o, i, &n, &v));
    snprintf(name, sizeof name, "opt%zu", i % 40);
    snprintf(value, sizeof value, "v%zu", i);
    assert_string_equal(n, name);
    assert_string_equal(v, value);
  }
  assert_false(cx_options_at(o, 100, &n, &v));
  assert_false(cx_options_at(NULL, 0, &n, &v));
  cx_options_free(o);
}

static void test_sizes(void **state) {
  (void)state;
  size_t v = 0;
  assert_int_equal(cx_parse_size("65536", &v), CX_OK);
  assert_int_equal(v, 65536);
  assert_int_equal(cx_parse_size("64K", &v), CX_OK);
  assert_int_equal(v, 65536);
  assert_int_equal(cx_parse_size("16MiB", &v), CX_OK);
  assert_int_equal(v, (size_t)16 << 20);
  assert_int_equal(cx_parse_size("1g", &v), CX_OK);
  assert_int_equal(v, (size_t)1 << 30);
  v = 7;
  assert_int_equal(cx_parse_size("0", &v), CX_FAILED);
  assert_int_equal(cx_parse_size("12Q", &v), CX_FAILED);
  assert_int_equal(cx_parse_size("-1", &v), CX_FAILED);
  assert_int_equal(cx_parse_size("", &v), CX_FAILED);
  assert_int_equal(cx_parse_size(NULL, &v), CX_FAILED);
  assert_int_equal(cx_parse_size("99999999999999999999999", &v), CX_FAILED);
  assert_int_equal(cx_parse_size("17179869184G", &v), CX_FAILED); /* overflows the shift */
  assert_int_equal(v, 7);                                         /* untouched on failure */

  struct cx_ctx ctx = {0};
  struct cx_options *o = cx_options_new();
  assert_int_equal(cx_options_max_cable_size(o, &ctx, &v), CX_OK);
  assert_int_equal(v, CX_DEFAULT_CABLE_MAX);
  assert_int_equal(cx_options_max_cable_size(NULL, &ctx, &v), CX_OK);
  cx_options_set(o, "max-cable-size", "2K");
  assert_int_equal(cx_options_max_cable_size(o, &ctx, &v), CX_OK);
  assert_int_equal(v, 2048);
  cx_options_set(o, "max-cable-size", "lots");
  assert_int_equal(cx_options_max_cable_size(o, &ctx, &v), CX_FATAL);
  assert_non_null(strstr(ctx.msg, "\"lots\" is not a size"));
  cx_options_free(o);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_options_get_set),
      cmocka_unit_test(test_options_parse),
      cmocka_unit_test(test_options_order_and_growth),
      cmocka_unit_test(test_sizes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
