/* deflate.c - the gzip encoder of the output streams: ISA-L when built
 * with it (CX_HAVE_ISAL), zlib otherwise (see deflate.h).
 *
 * Ownership: as in deflate.h.
 */
#include "deflate.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifdef CX_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

struct cx_deflate {
  bool isal, done;
  z_stream z;
  bool z_init;
#ifdef CX_HAVE_ISAL
  struct isal_zstream *s;
  unsigned char *level_buf;
#endif
};

static bool want_isal(void) {
#ifdef CX_HAVE_ISAL
  const char *e = getenv("CABLEX_GZIP");
  return !(e && strcmp(e, "zlib") == 0);
#else
  return false;
#endif
}

const char *cx_deflate_impl(void) {
  return want_isal() ? "isa-l" : "zlib";
}

/* CABLEX_GZIP_LEVEL as 0-9, or -1 when unset or not a single digit. */
static int env_level(void) {
  const char *e = getenv("CABLEX_GZIP_LEVEL");
  if (e && e[0] >= '0' && e[0] <= '9' && !e[1]) return e[0] - '0';
  return -1;
}

#ifdef CX_HAVE_ISAL
/* zlib's 0-9 onto ISA-L's 0-3: 1 is the fast default, 3 is close to zlib 6
 * in size. */
static int isal_level(int zlevel) {
  if (zlevel < 0) return 1;
  if (zlevel <= 1) return zlevel;
  return zlevel <= 5 ? 2 : 3;
}

static size_t isal_level_buf_size(int level) {
  switch (level) {
  case 1:
    return ISAL_DEF_LVL1_DEFAULT;
  case 2:
    return ISAL_DEF_LVL2_DEFAULT;
  case 3:
    return ISAL_DEF_LVL3_DEFAULT;
  default:
    return 0;
  }
}
#endif

struct cx_deflate *cx_deflate_new(void) {
  struct cx_deflate *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  int zlevel = env_level();
  e->isal = want_isal();
#ifdef CX_HAVE_ISAL
  if (e->isal) {
    int level = isal_level(zlevel);
    size_t n = isal_level_buf_size(level);
    e->s = calloc(1, sizeof *e->s);
    /* Zeroed: ISA-L level 3 reads hash entries it has not written (valgrind
     * sees it), and stale bytes there could change the output. */
    e->level_buf = n ? calloc(1, n) : NULL;
    if (!e->s || (n && !e->level_buf)) {
      cx_deflate_free(e);
      return NULL;
    }
    isal_deflate_init(e->s);
    e->s->level = (uint32_t)level;
    e->s->level_buf = e->level_buf;
    e->s->level_buf_size = (uint32_t)n;
    /* ISA-L's generic header: no name, time 0, so reproducible. */
    e->s->gzip_flag = IGZIP_GZIP;
    return e;
  }
#endif
  /* 15 + 16: a gzip wrapper; zlib's header has no name and time 0. */
  if (deflateInit2(&e->z, zlevel < 0 ? 6 : zlevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK) {
    free(e);
    return NULL;
  }
  e->z_init = true;
  return e;
}

void cx_deflate_free(struct cx_deflate *e) {
  if (!e) return;
  if (e->z_init) deflateEnd(&e->z);
#ifdef CX_HAVE_ISAL
  free(e->level_buf);
  free(e->s);
#endif
  free(e);
}

#ifdef CX_HAVE_ISAL
static int isal_run(struct cx_deflate *e, const unsigned char *in, size_t in_len, size_t *used,
                    unsigned char *out, size_t out_len, size_t *made, bool finish,
                    const char **msg) {
  struct isal_zstream *s = e->s;
  bool last = finish;
  if (in_len > UINT32_MAX) {
    in_len = UINT32_MAX;
    last = false; /* more input follows this slice */
  }
  if (out_len > UINT32_MAX) out_len = UINT32_MAX;
  s->next_in = (uint8_t *)(uintptr_t)in;
  s->avail_in = (uint32_t)in_len;
  s->next_out = out;
  s->avail_out = (uint32_t)out_len;
  s->end_of_stream = last;
  s->flush = NO_FLUSH;
  int r = isal_deflate(s);
  *used = in_len - s->avail_in;
  *made = out_len - s->avail_out;
  if (r != COMP_OK) {
    *msg = r == ISAL_INVALID_LEVEL || r == ISAL_INVALID_LEVEL_BUF ? "invalid compression level"
                                                                  : "compression failed";
    return CX_DEFLATE_ERROR;
  }
  if (s->internal_state.state == ZSTATE_END) {
    e->done = true;
    return CX_DEFLATE_END;
  }
  return CX_DEFLATE_OK;
}
#endif

int cx_deflate_run(struct cx_deflate *e, const unsigned char *in, size_t in_len, size_t *used,
                   unsigned char *out, size_t out_len, size_t *made, bool finish,
                   const char **msg) {
  *used = *made = 0;
  if (e->done) {
    if (in_len) {
      *msg = "data after the end of the gzip member";
      return CX_DEFLATE_ERROR;
    }
    return CX_DEFLATE_END;
  }
#ifdef CX_HAVE_ISAL
  if (e->isal) return isal_run(e, in, in_len, used, out, out_len, made, finish, msg);
#endif
  int flush = finish ? Z_FINISH : Z_NO_FLUSH;
  if (in_len > UINT_MAX) {
    in_len = UINT_MAX;
    flush = Z_NO_FLUSH;
  }
  if (out_len > UINT_MAX) out_len = UINT_MAX;
  e->z.next_in = (unsigned char *)(uintptr_t)in;
  e->z.avail_in = (unsigned)in_len;
  e->z.next_out = out;
  e->z.avail_out = (unsigned)out_len;
  int zr = deflate(&e->z, flush);
  *used = in_len - e->z.avail_in;
  *made = out_len - e->z.avail_out;
  switch (zr) {
  case Z_STREAM_END:
    e->done = true;
    return CX_DEFLATE_END;
  case Z_OK:
  case Z_BUF_ERROR: /* no progress possible: no room, or nothing to do */
    return CX_DEFLATE_OK;
  default:
    *msg = e->z.msg ? e->z.msg : "compression failed";
    return CX_DEFLATE_ERROR;
  }
}
