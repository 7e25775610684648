/* inflate.c - the gzip decoder of the input streams: ISA-L when built
 * with it (CX_HAVE_ISAL), zlib otherwise (see inflate.h).
 *
 * Ownership: as in inflate.h.
 */
#include "inflate.h"
#include "gzip_backend.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cx_inflate {
  bool isal;
  z_stream z;
  bool z_init;
#ifdef CX_HAVE_ISAL
  struct inflate_state *s;
#endif
};

const char *cx_inflate_impl(void) {
  return gzip_want_isal() ? "isa-l" : "zlib";
}

struct cx_inflate *cx_inflate_new(void) {
  if (!cx_zlib_open()) return NULL;
  struct cx_inflate *d = calloc(1, sizeof *d);
  if (!d) return NULL;
  d->isal = gzip_want_isal();
#ifdef CX_HAVE_ISAL
  if (d->isal) {
    d->s = malloc(sizeof *d->s);
    if (!d->s) {
      free(d);
      return NULL;
    }
    cx_isal.isal_inflate_init(d->s);
    d->s->crc_flag = ISAL_GZIP; /* parse the header, check CRC-32 and length */
    return d;
  }
#endif
  /* 15 + 16: a gzip wrapper only; zlib checks the header and CRC/length. */
  if (cx_zlib.inflateInit2_(&d->z, 15 + 16, ZLIB_VERSION, (int)sizeof(z_stream)) != Z_OK) {
    free(d);
    return NULL;
  }
  d->z_init = true;
  return d;
}

void cx_inflate_free(struct cx_inflate *d) {
  if (!d) return;
  if (d->z_init) cx_zlib.inflateEnd(&d->z);
#ifdef CX_HAVE_ISAL
  free(d->s);
#endif
  free(d);
}

int cx_inflate_reset(struct cx_inflate *d, const char **msg) {
#ifdef CX_HAVE_ISAL
  if (d->isal) {
    cx_isal.isal_inflate_reset(d->s);
    d->s->crc_flag = ISAL_GZIP;
    return CX_INFLATE_OK;
  }
#endif
  if (cx_zlib.inflateReset(&d->z) != Z_OK) {
    *msg = d->z.msg ? d->z.msg : "reset failed";
    return CX_INFLATE_ERROR;
  }
  return CX_INFLATE_OK;
}

#ifdef CX_HAVE_ISAL
/* ISA-L's errors in the words zlib uses for the same faults. */
static const char *isal_why(int r) {
  switch (r) {
  case ISAL_INVALID_BLOCK:
    return "invalid block type";
  case ISAL_INVALID_SYMBOL:
    return "invalid code";
  case ISAL_INVALID_LOOKBACK:
    return "invalid distance too far back";
  case ISAL_INVALID_WRAPPER:
    return "incorrect header check";
  case ISAL_UNSUPPORTED_METHOD:
    return "unknown compression method";
  case ISAL_INCORRECT_CHECKSUM:
    return "incorrect data check";
  case ISAL_NEED_DICT:
    return "need dictionary";
  default:
    return "invalid data";
  }
}

static int isal_run(struct cx_inflate *d, const unsigned char *in, size_t in_len, size_t *used,
                    unsigned char *out, size_t out_len, size_t *made, const char **msg) {
  struct inflate_state *s = d->s;
  if (in_len > UINT32_MAX) in_len = UINT32_MAX;
  if (out_len > UINT32_MAX) out_len = UINT32_MAX;
  s->next_in = (uint8_t *)(uintptr_t)in;
  s->avail_in = (uint32_t)in_len;
  s->next_out = out;
  s->avail_out = (uint32_t)out_len;
  int r = cx_isal.isal_inflate(s);
  *used = in_len - s->avail_in;
  *made = out_len - s->avail_out;
  if (r < 0 || r == ISAL_NEED_DICT) {
    *msg = isal_why(r);
    return CX_INFLATE_ERROR;
  }
  return s->block_state == ISAL_BLOCK_FINISH ? CX_INFLATE_END : CX_INFLATE_OK;
}
#endif

int cx_inflate_run(struct cx_inflate *d, const unsigned char *in, size_t in_len, size_t *used,
                   unsigned char *out, size_t out_len, size_t *made, const char **msg) {
#ifdef CX_HAVE_ISAL
  if (d->isal) return isal_run(d, in, in_len, used, out, out_len, made, msg);
#endif
  if (in_len > UINT_MAX) in_len = UINT_MAX;
  if (out_len > UINT_MAX) out_len = UINT_MAX;
  d->z.next_in = (unsigned char *)(uintptr_t)in;
  d->z.avail_in = (unsigned)in_len;
  d->z.next_out = out;
  d->z.avail_out = (unsigned)out_len;
  int zr = cx_zlib.inflate(&d->z, Z_NO_FLUSH);
  *used = in_len - d->z.avail_in;
  *made = out_len - d->z.avail_out;
  switch (zr) {
  case Z_STREAM_END:
    return CX_INFLATE_END;
  case Z_OK:
  case Z_BUF_ERROR: /* no progress possible: input ran dry */
    return CX_INFLATE_OK;
  case Z_MEM_ERROR:
    return CX_INFLATE_NOMEM;
  default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
    *msg = d->z.msg ? d->z.msg : "invalid data";
    return CX_INFLATE_ERROR;
  }
}
