/* gzpieces.h - one gzip member written in pieces that are compressed apart,
 * on up to n threads (pigz's way; internal, not installed).  The bytes
 * written are cut into pieces of CX_GZ_PIECE bytes, each compressed on its
 * own (deflate.h, cx_deflate_piece), and the pieces are written in order
 * between cx_gzip_head() and cx_gzip_tail().  The file depends on the bytes
 * alone, never on n or on how the writes were sliced: -j 1 and -j 8 give
 * the same file.
 *
 * Ownership: a cx_gzpieces is made by cx_gzpieces_new() and freed by
 * cx_gzpieces_free(), from the one thread that writes through it; it owns
 * its threads, encoders and piece buffers.  sink is borrowed and is only
 * called from that writing thread.
 */
#ifndef CX_GZPIECES_H
#define CX_GZPIECES_H

#include <stddef.h>

#define CX_GZ_PIECE ((size_t)1 << 20)

struct cx_gzpieces;

/* Writes n compressed bytes somewhere; 0 on success, < 0 to stop (the
 * sink has said why). */
typedef int (*cx_gz_sink)(void *user, const unsigned char *p, size_t n);

/* A member to be written through sink, with pieces compressed on `threads`
 * threads (0 or 1: in the writing thread itself).  NULL when memory or
 * threads run out. */
struct cx_gzpieces *cx_gzpieces_new(unsigned threads, cx_gz_sink sink, void *user);
/* Takes data[0..len).  Returns 0, or the sink's code < 0, or -1 with *why
 * (static) when compressing failed; after a failure nothing more is
 * written. */
int cx_gzpieces_write(struct cx_gzpieces *g, const void *data, size_t len, const char **why);
/* Compresses what is left and writes the rest and the trailer.  Returns
 * like cx_gzpieces_write. */
int cx_gzpieces_finish(struct cx_gzpieces *g, const char **why);
/* Stops the threads and frees everything; the member is left unfinished
 * unless cx_gzpieces_finish() returned 0.  NULL is allowed. */
void cx_gzpieces_free(struct cx_gzpieces *g);

#endif
