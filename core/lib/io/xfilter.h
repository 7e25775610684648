/* xfilter.h - the compressors other than gzip for output streams (internal,
 * not installed): "-o out.jsonl.xz" (and .lzma, .bz2, .zst, .lz4, .lz, .Z)
 * is written through libarchive's write filters, so that a file is always
 * what its name says; a compressed name this build cannot write is refused
 * before anything is written.
 *
 * Ownership: a filter is created by cx_xfilter_new() and freed by
 * cx_xfilter_free(); it borrows the sink's user pointer and never frees it.
 */
#ifndef CX_XFILTER_H
#define CX_XFILTER_H

#include <stdbool.h>
#include <stddef.h>

/* Writes n compressed bytes; returns 0, or -1 after reporting the error. */
typedef int (*cx_xfilter_sink)(void *user, const void *p, size_t n);

struct cx_xfilter;

/* The compressor a file name asks for by its last extension ("xz",
 * "bzip2", ...), or NULL when the name is not a compressed one other than
 * gzip.  Sets *unsupported when the name is compressed but cannot be
 * written by this build (brotli, or a filter libarchive was built
 * without); the caller then refuses the name. */
const char *cx_xfilter_for_name(const char *path, bool *unsupported);

/* A compressor writing to sink, or NULL with *msg set (static text). */
struct cx_xfilter *cx_xfilter_new(const char *filter, cx_xfilter_sink sink, void *user,
                                  const char **msg);
/* Compresses p[0..n): 0, or -1 with *msg set (the sink's own errors are
 * already reported: *msg is then NULL). */
int cx_xfilter_write(struct cx_xfilter *f, const void *p, size_t n, const char **msg);
/* Ends the compressed stream (its trailer goes to the sink): 0 or -1. */
int cx_xfilter_finish(struct cx_xfilter *f, const char **msg);
void cx_xfilter_free(struct cx_xfilter *f);

#endif
