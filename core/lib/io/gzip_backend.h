/* gzip_backend.h - which library inflate.c and deflate.c use: ISA-L when
 * the build has it and it can be opened (gzip_libs.h), unless CABLEX_GZIP=zlib
 * (not installed).  Every coder opens zlib too, ISA-L's or not: its CRC
 * combination serves both, and it is the fallback.
 *
 * Ownership: nothing is allocated; the environment is only read.
 */
#ifndef CX_GZIP_BACKEND_H
#define CX_GZIP_BACKEND_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gzip_libs.h"

static inline bool gzip_want_isal(void) {
#ifdef CX_HAVE_ISAL
  const char *e = getenv("CABLEX_GZIP");
  return !(e && strcmp(e, "zlib") == 0) && cx_isal_open();
#else
  return false;
#endif
}

#endif
