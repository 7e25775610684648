/* test_files.c - whole files in the unit tests (test_files.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "test_files.h"

char *try_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char *p = malloc(cap + 1);
  while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n < cap) continue;
    char *q = realloc(p, cap * 2 + 1);
    if (!q) free(p);
    p = q;
    cap *= 2;
  }
  if (ferror(f)) {
    free(p);
    p = NULL;
  }
  fclose(f);
  if (!p) return NULL;
  p[n] = '\0';
  if (len) *len = n;
  return p;
}

char *read_file(const char *path, size_t *len) {
  char *p = try_read_file(path, len);
  if (!p) fail_msg("cannot read %s", path);
  return p;
}

void write_file(const char *path, const void *data, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

const char *data_file(const char *sub, const char *name) {
  static char paths[4][4096];
  static int k;
  k = (k + 1) % 4;
  const char *dir = getenv("CABLEX_TEST_DATA");
  snprintf(paths[k], sizeof paths[k], "%s/%s/%s", dir ? dir : "tests/data", sub, name);
  return paths[k];
}

char *read_data_file(const char *sub, const char *name, size_t *len) {
  return read_file(data_file(sub, name), len);
}
