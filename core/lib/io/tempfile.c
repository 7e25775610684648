/* tempfile.c - the temporary files plugins spool into (a PDF for
 * pdftotext, a zip or 7z read from a pipe, an SQLite database that is not a
 * plain file), and writing a buffer whole to a descriptor: one place for
 * the errors they can meet. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cablex/stream.h"

int cx_temp_file(const char *stem, char *path, size_t size, const char **dir) {
  *dir = getenv("TMPDIR");
  if (!*dir || !**dir) *dir = "/tmp";
  if ((size_t)snprintf(path, size, "%s/%s.XXXXXX", *dir, stem) >= size) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return mkstemp(path);
}

int cx_temp_open(const char *who, const char *stem, char *path, size_t size, int code,
                 struct cx_ctx *ctx) {
  const char *dir;
  int fd = cx_temp_file(stem, path, size, &dir);
  if (fd >= 0) return fd;
  const char *w = who ? who : "", *sep = who ? ": " : "";
  if (errno == ENAMETOOLONG) /* the name itself would not fit in a message */
    return cx_error(ctx, code, 0, "%s%sTMPDIR is too long (%zu bytes)", w, sep, strlen(dir));
  return cx_error(ctx, code, 0, "%s%scannot create a temporary file in %s: %s", w, sep, dir,
                  strerror(errno));
}

int cx_write_full(int fd, const void *p, size_t n) {
  const char *c = p;
  while (n) {
    ssize_t w = write(fd, c, n > (size_t)SSIZE_MAX ? (size_t)SSIZE_MAX : n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    if (w == 0) {
      errno = EIO;
      return -1;
    }
    c += w;
    n -= (size_t)w;
  }
  return 0;
}
