/* gzip_libs.h - the libraries of the gzip coders, opened on first use.
 *
 * zlib and ISA-L are opened (dlopen) the first time a gzip stream is made,
 * not linked: a run that never reads or writes gzip does not load them.
 * Each library loaded at start costs a process some 0.1 ms (its mappings,
 * page faults and relocations), and ISA-L binds some 200 of its own symbols,
 * each looked up through every object loaded before it: together a fifth
 * of the instructions of a one-cable run.  The sonames come from the build
 * (core/CMakeLists.txt); dl_table.h opens them.  Calls go through the tables, cx_zlib.inflate(...)
 * for inflate(...); zlib's macros that wrap a function (inflateInit2) are
 * spelt out.
 *
 * Ownership: a library stays open for the life of the process; its table is
 * filled once and only read after.
 */
#ifndef CX_GZIP_LIBS_H
#define CX_GZIP_LIBS_H

#include <stdbool.h>

#include <zlib.h>

#include "dl_table.h"

/* clang-format off */
#define CX_ZLIB_FUNCS(X) \
  X(inflateInit2_) X(inflate) X(inflateEnd) X(inflateReset) \
  X(deflateInit2_) X(deflate) X(deflateEnd) X(deflateReset) X(crc32) X(crc32_combine)
/* clang-format on */

struct cx_zlib_api {
  CX_ZLIB_FUNCS(CX_DL_POINTER)
};

/* Filled by cx_zlib_open(); read only after it returned true. */
extern struct cx_zlib_api cx_zlib;

/* Opens zlib once (thread-safe); false when it cannot be opened or lacks a
 * function. */
bool cx_zlib_open(void);

/* Why a gzip coder could not be made: zlib cannot be opened, or else the
 * memory ran out. */
const char *cx_gzip_fail_why(void);

#ifdef CX_HAVE_ISAL
#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>

/* clang-format off */
#define CX_ISAL_FUNCS(X) \
  X(isal_inflate_init) X(isal_inflate_reset) X(isal_inflate) \
  X(isal_deflate_init) X(isal_deflate_reset) X(isal_deflate) X(crc32_gzip_refl)
/* clang-format on */

struct cx_isal_api {
  CX_ISAL_FUNCS(CX_DL_POINTER)
};

/* Filled by cx_isal_open(); read only after it returned true. */
extern struct cx_isal_api cx_isal;

/* Opens ISA-L once (thread-safe); false when it cannot be opened or lacks a
 * function, and then zlib serves. */
bool cx_isal_open(void);
#endif

#endif
