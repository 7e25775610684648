/* isal_load.h - ISA-L's functions for the gzip coders, opened on first use.
 *
 * libisal is opened (dlopen) the first time a gzip stream is made, not
 * linked: loading it at start binds some 200 of its own symbols, each looked
 * up through every object loaded before it, about a fifth of the
 * instructions of a one-cable run that never reads or writes gzip.
 * CX_ISAL_SONAME comes from the build (core/CMakeLists.txt).
 *
 * Ownership: the library stays open for the life of the process; the table
 * is filled once and only read after.
 */
#ifndef CX_ISAL_LOAD_H
#define CX_ISAL_LOAD_H

#ifdef CX_HAVE_ISAL
#include <stdbool.h>

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

/* clang-format off */
#define CX_ISAL_FUNCS(X) \
  X(isal_inflate_init) X(isal_inflate_reset) X(isal_inflate) \
  X(isal_deflate_init) X(isal_deflate_reset) X(isal_deflate) X(crc32_gzip_refl)
/* clang-format on */

struct cx_isal_api {
#define CX_ISAL_POINTER(name) __typeof__(name) *name;
  CX_ISAL_FUNCS(CX_ISAL_POINTER)
#undef CX_ISAL_POINTER
};

/* Filled by cx_isal_open(); read only after it returned true. */
extern struct cx_isal_api cx_isal;

/* Opens libisal once (thread-safe); false when it cannot be opened or lacks
 * a function, and then zlib serves. */
bool cx_isal_open(void);
#endif

#endif
