/* inflate.h - one gzip decoder for the input streams (internal, not
 * installed): ISA-L's inflate when cablex was built with it (several times
 * faster than zlib on x86-64), zlib otherwise.  Both check the gzip header,
 * the CRC-32 and the length, and report errors in zlib's words.
 *
 * Ownership: a decoder is created by cx_inflate_new() and freed by
 * cx_inflate_free(); it only borrows the buffers given to cx_inflate_run().
 */
#ifndef CX_INFLATE_H
#define CX_INFLATE_H

#include <stdbool.h>
#include <stddef.h>

enum {
  CX_INFLATE_OK = 0,     /* progress or not, call again with more input or room */
  CX_INFLATE_END = 1,    /* the member ended, its trailer checked; what follows is left unread */
  CX_INFLATE_ERROR = -1, /* corrupt data: *msg says what */
  CX_INFLATE_NOMEM = -2
};

struct cx_inflate;

/* A decoder for one gzip member, or NULL when memory runs out.  zlib is
 * used when ISA-L is not built in, or when the environment variable
 * CABLEX_GZIP is "zlib" (to compare the two). */
struct cx_inflate *cx_inflate_new(void);
void cx_inflate_free(struct cx_inflate *d);
/* Ready for the next member (`cat a.gz b.gz`).  CX_INFLATE_OK or an error. */
int cx_inflate_reset(struct cx_inflate *d, const char **msg);

/* Decodes from in[0..in_len) into out[0..out_len): *used input bytes were
 * consumed, *made output bytes written.  Returns a CX_INFLATE_* code; on
 * CX_INFLATE_ERROR *msg is a static description ("incorrect data check"). */
int cx_inflate_run(struct cx_inflate *d, const unsigned char *in, size_t in_len, size_t *used,
                   unsigned char *out, size_t out_len, size_t *made, const char **msg);

/* "isa-l" or "zlib": the implementation a new decoder gets. */
const char *cx_inflate_impl(void);

#endif
