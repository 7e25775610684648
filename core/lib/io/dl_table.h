/* dl_table.h - a library opened on first use by its soname, with a table of
 * its functions (internal): zlib and ISA-L (gzip_libs.c), libarchive's
 * compressors (xfilter.c).
 *
 * A table is a struct of function pointers only, declared from an X-macro
 * list of names with CX_DL_POINTER, and a matching array of the names made
 * with CX_DL_NAME:
 *   #define FUNCS(X) X(inflate) X(inflateEnd)
 *   struct api { FUNCS(CX_DL_POINTER) } api;
 *   static const char *const names[] = {FUNCS(CX_DL_NAME)};
 *   static struct cx_dl_lib lib = CX_DL_LIB("libz.so.1", names, api);
 *   ... if (cx_dl_open(&lib)) api.inflate(...);
 *
 * Ownership: an opened library stays open for the life of the process; a
 * table is filled once, under a lock, and only read after.
 */
#ifndef CX_DL_TABLE_H
#define CX_DL_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#define CX_DL_POINTER(name) __typeof__(&name) name;
#define CX_DL_NAME(name) #name,

struct cx_dl_lib {
  const char *soname;
  const char *const *names;
  size_t n;    /* names, and function pointers in table */
  void *table; /* size bytes */
  size_t size;
  int state; /* 0 not tried yet, 1 opened, -1 failed (see dl_table.c) */
};

#define CX_DL_LIB(soname, names, table)                                                            \
  { (soname), (names), sizeof(names) / sizeof *(names), &(table), sizeof(table), 0 }

/* Opens lib and fills its table the first time (thread-safe); true when the
 * library and every name were found.  A failure is not tried again. */
bool cx_dl_open(struct cx_dl_lib *lib);

#endif
