/* gzip_libs.c - opens zlib and ISA-L on first use (see gzip_libs.h).
 *
 * Ownership: as in gzip_libs.h.
 */
#include "gzip_libs.h"

struct cx_zlib_api cx_zlib;
static const char *const zlib_names[] = {CX_ZLIB_FUNCS(CX_DL_NAME)};
static struct cx_dl_lib zlib_lib = CX_DL_LIB(CX_ZLIB_SONAME, zlib_names, cx_zlib);

bool cx_zlib_open(void) {
  return cx_dl_open(&zlib_lib);
}

const char *cx_gzip_fail_why(void) {
  return cx_zlib_open() ? "out of memory" : "cannot open zlib (" CX_ZLIB_SONAME ")";
}

#ifdef CX_HAVE_ISAL
struct cx_isal_api cx_isal;
static const char *const isal_names[] = {CX_ISAL_FUNCS(CX_DL_NAME)};
static struct cx_dl_lib isal_lib = CX_DL_LIB(CX_ISAL_SONAME, isal_names, cx_isal);

bool cx_isal_open(void) {
  return cx_dl_open(&isal_lib);
}
#endif
