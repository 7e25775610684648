/* stream_fixture.c - what the stream tests share (stream_fixture.h): a
 * temporary directory per test program, files in it, an independent
 * gunzip.  Linked into test_stream and test_ostream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cablex/stream.h"
#include "stream_fixture.h"

char tmpdir[256];

/* ---- helpers ---- */

char *path_in(const char *name) {
  static char p[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
  return p[k];
}

bool exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

/* Entries in tmpdir other than . and .. */
int dir_entries(void) {
  DIR *d = opendir(tmpdir);
  assert_non_null(d);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

bool has_temp_for(const char *base) {
  char prefix[300];
  snprintf(prefix, sizeof prefix, ".%s.", base);
  DIR *d = opendir(tmpdir);
  bool found = false;
  struct dirent *e;
  while ((e = readdir(d)))
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) found = true;
  closedir(d);
  return found;
}

/* Independent gunzip (zlib only, multi-member aware) to check our writer. */
char *gunzip(const unsigned char *gz, size_t len, size_t *outlen) {
  struct cx_buf b;
  cx_buf_init(&b, 0);
  z_stream z = {0};
  assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
  z.next_in = (unsigned char *)(uintptr_t)gz;
  z.avail_in = (unsigned)len;
  unsigned char chunk[65536];
  for (;;) {
    z.next_out = chunk;
    z.avail_out = sizeof chunk;
    int r = inflate(&z, Z_NO_FLUSH);
    assert_int_equal(cx_buf_add(&b, chunk, sizeof chunk - z.avail_out), 0);
    if (r == Z_STREAM_END) {
      if (z.avail_in == 0) break;
      inflateReset(&z);
      continue;
    }
    assert_int_equal(r, Z_OK);
  }
  inflateEnd(&z);
  return cx_buf_detach(&b, outlen);
}

/* Deterministic, poorly compressible bytes. */
void fill_random(unsigned char *p, size_t n, uint32_t seed) {
  for (size_t i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    p[i] = (unsigned char)(seed >> 16);
  }
}

/* ---- the temporary directory ---- */

static int rm_tree(void) {
  DIR *d = opendir(tmpdir);
  if (!d) return 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char p[600];
    snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
    unlink(p);
  }
  closedir(d);
  return rmdir(tmpdir);
}

int group_setup(void **state) {
  (void)state;
  const char *t = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/cablex-stream-XXXXXX", t && *t ? t : "/tmp");
  return mkdtemp(tmpdir) ? 0 : -1;
}

int group_teardown(void **state) {
  (void)state;
  return rm_tree();
}
