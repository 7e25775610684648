/* deflate.h - one gzip encoder for the output streams (internal, not
 * installed): ISA-L's deflate when cablex was built with it (level 1 is
 * about 15 times faster than zlib's level 6, for output some 20% larger),
 * zlib otherwise.  Both write a reproducible gzip member: no file name, no
 * time stamp, so the same input gives the same bytes.
 *
 * Ownership: an encoder is created by cx_deflate_new() or
 * cx_deflate_new_piece() and freed by cx_deflate_free(); it only borrows
 * the buffers given to cx_deflate_run() and cx_deflate_piece().
 */
#ifndef CX_DEFLATE_H
#define CX_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cablex/stream.h"

enum {
  CX_DEFLATE_OK = 0,     /* call again with more input, or more room when finishing */
  CX_DEFLATE_END = 1,    /* finishing is done: the trailer is written */
  CX_DEFLATE_ERROR = -1, /* *msg says what */
};

struct cx_deflate;

/* An encoder for one gzip member, or NULL when memory runs out.  zlib is
 * used when ISA-L is not built in, or when the environment variable
 * CABLEX_GZIP is "zlib".  CABLEX_GZIP_LEVEL (0-9, zlib's scale) sets the
 * level; unset, ISA-L uses its level 1 and zlib level 6 (as gzip(1)). */
struct cx_deflate *cx_deflate_new(void);
void cx_deflate_free(struct cx_deflate *e);

/* Compresses in[0..in_len) into out[0..out_len): *used input bytes were
 * taken, *made output bytes written.  With finish set, in is the last of
 * the input: call again (with the input not yet used, and fresh room)
 * until CX_DEFLATE_END.  Without finish, all input is taken once the call
 * returns with room left in out.  On CX_DEFLATE_ERROR *msg is static. */
int cx_deflate_run(struct cx_deflate *e, const unsigned char *in, size_t in_len, size_t *used,
                   unsigned char *out, size_t out_len, size_t *made, bool finish, const char **msg);

/* ---- one gzip member in pieces, compressed apart (pigz's way) ----
 * Output compressed in parallel: each piece is compressed on its own (no
 * history from the one before, so the bytes depend on the piece alone),
 * as raw deflate blocks that end on a byte boundary with an empty stored
 * block and are never final.  The member is cx_gzip_head(), the pieces in
 * order, then cx_gzip_tail() with the CRC-32 and length of all the input
 * (cx_crc32_combine() of the pieces').  gzip -t, zlib and ISA-L read it as
 * one member. */

/* An encoder for pieces (same implementation and level as
 * cx_deflate_new()), or NULL when memory runs out.  Freed with
 * cx_deflate_free(); one per thread. */
struct cx_deflate *cx_deflate_new_piece(void);
/* Appends the piece for in[0..len) to out (nothing when len is 0) and sets
 * *crc to the CRC-32 of in.  Returns CX_DEFLATE_OK, or CX_DEFLATE_ERROR
 * with *msg static ("out of memory" when out cannot grow; out is then as it
 * was). */
int cx_deflate_piece(struct cx_deflate *e, const unsigned char *in, size_t len, struct cx_buf *out,
                     unsigned long *crc, const char **msg);
#define CX_GZIP_HEAD_LEN 10
#define CX_GZIP_TAIL_LEN 10
/* The member's 10-byte header: no name, no time (reproducible). */
void cx_gzip_head(unsigned char head[CX_GZIP_HEAD_LEN]);
/* Its end: an empty final block, the CRC-32 and the length (mod 2^32). */
void cx_gzip_tail(unsigned char tail[CX_GZIP_TAIL_LEN], unsigned long crc, unsigned long long len);
/* The CRC-32 of a then b, from crc_a, crc_b and b's length. */
unsigned long cx_crc32_combine(unsigned long crc_a, unsigned long crc_b, unsigned long long len_b);

/* "isa-l" or "zlib": the implementation a new encoder gets. */
const char *cx_deflate_impl(void);

#endif
