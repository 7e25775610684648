/* gzip_libs.c - opens zlib and ISA-L on first use (see gzip_libs.h).
 *
 * Ownership: as in gzip_libs.h.
 */
#include "gzip_libs.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

/* Stores the address of each name in the table; false when one is missing
 * (the table is then not used). */
#define CX_GZIP_SYM(name)                                                                          \
  if (!(sym = dlsym(h, #name))) return;                                                            \
  memcpy(&table->name, &sym, sizeof sym);

struct cx_zlib_api cx_zlib;
static pthread_once_t zlib_once = PTHREAD_ONCE_INIT;
static bool zlib_ok;

static void zlib_load(void) {
  void *h = dlopen(CX_ZLIB_SONAME, RTLD_NOW | RTLD_LOCAL), *sym;
  struct cx_zlib_api *table = &cx_zlib;
  if (!h) return;
  CX_ZLIB_FUNCS(CX_GZIP_SYM)
  zlib_ok = true; /* h stays open for the life of the process */
}

bool cx_zlib_open(void) {
  pthread_once(&zlib_once, zlib_load);
  return zlib_ok;
}

const char *cx_gzip_fail_why(void) {
  return cx_zlib_open() ? "out of memory" : "cannot open zlib (" CX_ZLIB_SONAME ")";
}

#ifdef CX_HAVE_ISAL
struct cx_isal_api cx_isal;
static pthread_once_t isal_once = PTHREAD_ONCE_INIT;
static bool isal_ok;

static void isal_load(void) {
  void *h = dlopen(CX_ISAL_SONAME, RTLD_NOW | RTLD_LOCAL), *sym;
  struct cx_isal_api *table = &cx_isal;
  if (!h) return;
  CX_ISAL_FUNCS(CX_GZIP_SYM)
  isal_ok = true;
}

bool cx_isal_open(void) {
  pthread_once(&isal_once, isal_load);
  return isal_ok;
}
#endif
