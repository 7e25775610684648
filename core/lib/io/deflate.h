/* deflate.h - one gzip encoder for the output streams (internal, not
 * installed): ISA-L's deflate when cablex was built with it (level 1 is
 * about 15 times faster than zlib's level 6, for output some 20% larger),
 * zlib otherwise.  Both write a reproducible gzip member: no file name, no
 * time stamp, so the same input gives the same bytes.
 *
 * Ownership: an encoder is created by cx_deflate_new() and freed by
 * cx_deflate_free(); it only borrows the buffers given to cx_deflate_run().
 */
#ifndef CX_DEFLATE_H
#define CX_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>

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

/* "isa-l" or "zlib": the implementation a new encoder gets. */
const char *cx_deflate_impl(void);

#endif
