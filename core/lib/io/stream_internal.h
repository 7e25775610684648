/* stream_internal.h - streams only the core uses (internal, not installed):
 * a memory output, an output without the transparent gzip, and how far a
 * file input has been read.
 *
 * Ownership: as in cablex/stream.h; a memory output borrows its cx_buf,
 * which the caller keeps (and frees) after commit or abort.
 */
#ifndef CX_STREAM_INTERNAL_H
#define CX_STREAM_INTERNAL_H

#include "cablex/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An output appending to dst (bounded by dst->max: a write past it fails
 * with CX_FAILED and the message on ctx).  name is for messages.  Commit
 * and abort only free the stream: the bytes stay in dst. */
CX_API struct cx_ostream *cx_ostream_open_mem(struct cx_buf *dst, const char *name,
                                              struct cx_ctx *ctx);
/* cx_ostream_open() without the gzip a ".gz" name asks for: for bundle
 * writers, which compress themselves ("tar.gz"). */
CX_API struct cx_ostream *cx_ostream_open_plain(const char *path, struct cx_ctx *ctx);
/* Bytes read so far from the file under in (compressed bytes for gzip), or
 * -1 when it is not a file that can tell (stdin pipe, memory, callback). */
CX_API long long cx_istream_source_offset(const struct cx_istream *in);

#ifdef __cplusplus
}
#endif
#endif
