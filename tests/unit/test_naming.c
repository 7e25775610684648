/* test_naming.c - output names made unique in a run (issue 12 case 8):
 * N cables of one stem (id-less cables of one input, one id repeated) cost
 * O(N) slots looked at, not O(N^2); counted, never timed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "run_internal.h"

#define N 20000

static void test_one_stem_linear(void **state) {
  (void)state;
  struct sink s;
  memset(&s, 0, sizeof s);
  s.ext = "json";
  for (unsigned long i = 1; i <= N; i++) {
    char *name = cxr_unique_name(&s, "out/", "stdin");
    assert_non_null(name);
    char want[64];
    if (i == 1)
      snprintf(want, sizeof want, "out/stdin.json");
    else
      snprintf(want, sizeof want, "out/stdin-%lu.json", i);
    assert_string_equal(name, want);
    free(name);
  }
  assert_int_equal(s.names.n, N);
  /* a few slots per name (the set is at most half full), not N/2 each */
  assert_true(s.names.probes < 8ULL * N);
  cxr_nameset_free(&s.names);
}

/* A name another stem took is stepped over, and nothing is given twice. */
static void test_clash_with_another_stem(void **state) {
  (void)state;
  struct sink s;
  memset(&s, 0, sizeof s);
  s.ext = "txt";
  const char *stems[] = {"x-3", "x", "x", "x", "x-2", "x"};
  const char *want[] = {"x-3.txt", "x.txt", "x-2.txt", "x-4.txt", "x-2-2.txt", "x-5.txt"};
  for (size_t i = 0; i < sizeof stems / sizeof *stems; i++) {
    char *name = cxr_unique_name(&s, "", stems[i]);
    assert_non_null(name);
    assert_string_equal(name, want[i]);
    free(name);
  }
  cxr_nameset_free(&s.names);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_one_stem_linear),
      cmocka_unit_test(test_clash_with_another_stem),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
