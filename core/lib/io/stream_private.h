/* stream_private.h - what stream.c (input) and ostream.c (output) share:
 * recording an error with the stream's name as its place, and a buffer's
 * limit and growth (buf.c) (not installed).
 *
 * Ownership: name is borrowed; with keep set, ctx->file may borrow it until
 * release_name() is called before the name is freed.
 */
#ifndef CX_STREAM_PRIVATE_H
#define CX_STREAM_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>

#include <stddef.h>

#include "cablex/error.h"
#include "cablex/stream.h"

int stream_verror(struct cx_ctx *ctx, const char *name, bool keep, int code, unsigned long line,
                  const char *fmt, va_list ap);
int stream_error(struct cx_ctx *ctx, const char *name, bool keep, int code, unsigned long line,
                 const char *fmt, ...) CX_PRINTF(6, 7);
void release_name(struct cx_ctx *ctx, const char *name);

/* The most b may hold, and room for extra more bytes within it (CX_OK, or
 * CX_FAILED over the limit, CX_FATAL out of memory). */
size_t buf_limit(const struct cx_buf *b);
int buf_reserve(struct cx_buf *b, size_t extra);

#endif
