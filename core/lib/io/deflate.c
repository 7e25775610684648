/* deflate.c - the gzip encoder of the output streams: ISA-L when built
 * with it (CX_HAVE_ISAL), zlib otherwise (see deflate.h).
 *
 * Ownership: as in deflate.h.
 */
#include "deflate.h"
#include "gzip_backend.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cx_deflate {
  bool isal, done;
  z_stream z;
  bool z_init;
#ifdef CX_HAVE_ISAL
  struct isal_zstream *s;
  unsigned char *level_buf;
#endif
};

const char *cx_deflate_impl(void) {
  return gzip_want_isal() ? "isa-l" : "zlib";
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

/* An encoder: a gzip member, or (raw) raw deflate for pieces. */
static struct cx_deflate *encoder_new(bool raw) {
  if (!cx_zlib_open()) return NULL;
  struct cx_deflate *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  int zlevel = env_level();
  e->isal = gzip_want_isal();
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
    cx_isal.isal_deflate_init(e->s);
    e->s->level = (uint32_t)level;
    e->s->level_buf = e->level_buf;
    e->s->level_buf_size = (uint32_t)n;
    /* ISA-L's generic header: no name, time 0, so reproducible. */
    e->s->gzip_flag = raw ? IGZIP_DEFLATE : IGZIP_GZIP;
    return e;
  }
#endif
  /* 15 + 16: a gzip wrapper; zlib's header has no name and time 0. */
  if (cx_zlib.deflateInit2_(&e->z, zlevel < 0 ? 6 : zlevel, Z_DEFLATED, raw ? -15 : 15 + 16, 8,
                            Z_DEFAULT_STRATEGY, ZLIB_VERSION, (int)sizeof(z_stream)) != Z_OK) {
    free(e);
    return NULL;
  }
  e->z_init = true;
  return e;
}

struct cx_deflate *cx_deflate_new(void) {
  return encoder_new(false);
}

struct cx_deflate *cx_deflate_new_piece(void) {
  return encoder_new(true);
}

void cx_deflate_free(struct cx_deflate *e) {
  if (!e) return;
  if (e->z_init) cx_zlib.deflateEnd(&e->z);
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
  int r = cx_isal.isal_deflate(s);
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
  int zr = cx_zlib.deflate(&e->z, flush);
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

/* ---- pieces ---- */

/* Room for a piece of len bytes compressed, whatever the data: stored
 * blocks cost 5 bytes per 64 KiB; more for a compressor that tries first. */
static size_t piece_bound(size_t len) {
  return len + (len >> 3) + 1024;
}

#ifdef CX_HAVE_ISAL
static int isal_piece(struct cx_deflate *e, const unsigned char *in, size_t len, unsigned char *out,
                      size_t room, size_t *made) {
  struct isal_zstream *s = e->s;
  cx_isal.isal_deflate_reset(s);
  s->next_in = (uint8_t *)(uintptr_t)in;
  s->avail_in = (uint32_t)len;
  s->next_out = out;
  s->avail_out = (uint32_t)room;
  s->end_of_stream = 0;
  s->flush = SYNC_FLUSH;
  int r = cx_isal.isal_deflate(s);
  *made = room - s->avail_out;
  return r == COMP_OK && s->avail_in == 0 && s->avail_out > 0 ? CX_DEFLATE_OK : CX_DEFLATE_ERROR;
}
#endif

static int zlib_piece(struct cx_deflate *e, const unsigned char *in, size_t len, unsigned char *out,
                      size_t room, size_t *made) {
  if (cx_zlib.deflateReset(&e->z) != Z_OK) return CX_DEFLATE_ERROR;
  e->z.next_in = (unsigned char *)(uintptr_t)in;
  e->z.avail_in = (unsigned)len;
  e->z.next_out = out;
  e->z.avail_out = (unsigned)room;
  int zr = cx_zlib.deflate(&e->z, Z_SYNC_FLUSH);
  *made = room - e->z.avail_out;
  return zr == Z_OK && e->z.avail_in == 0 && e->z.avail_out > 0 ? CX_DEFLATE_OK : CX_DEFLATE_ERROR;
}

static unsigned long crc_of(const struct cx_deflate *e, const unsigned char *in, size_t len) {
#ifdef CX_HAVE_ISAL
  if (e->isal) return cx_isal.crc32_gzip_refl(0, in, len);
#else
  (void)e;
#endif
  unsigned long crc = cx_zlib.crc32(0, Z_NULL, 0);
  for (size_t off = 0; off < len;) { /* zlib takes unsigned lengths */
    unsigned n = len - off > UINT_MAX ? UINT_MAX : (unsigned)(len - off);
    crc = cx_zlib.crc32(crc, in + off, n);
    off += n;
  }
  return crc;
}

int cx_deflate_piece(struct cx_deflate *e, const unsigned char *in, size_t len, struct cx_buf *out,
                     unsigned long *crc, const char **msg) {
  *crc = 0;
  if (len == 0) return CX_DEFLATE_OK;
  /* one call compresses a piece whole: it must fit the 32-bit counters */
  if (len > UINT32_MAX / 2) {
    *msg = "piece too large to compress";
    return CX_DEFLATE_ERROR;
  }
  size_t room = piece_bound(len);
  if (!out->data || out->cap - out->len - 1 < room) { /* room, within out's limit */
    size_t need = out->len + room + 1;
    char *p = out->max && need - 1 > out->max ? NULL : realloc(out->data, need);
    if (!p) {
      *msg = "out of memory";
      return CX_DEFLATE_ERROR;
    }
    out->data = p;
    out->cap = need;
  }
  unsigned char *dst = (unsigned char *)out->data + out->len;
  size_t made = 0;
  int r;
#ifdef CX_HAVE_ISAL
  if (e->isal)
    r = isal_piece(e, in, len, dst, room, &made);
  else
#endif
    r = zlib_piece(e, in, len, dst, room, &made);
  if (r != CX_DEFLATE_OK) {
    *msg = "compression failed";
    return r;
  }
  out->len += made;
  out->data[out->len] = '\0';
  *crc = crc_of(e, in, len);
  return CX_DEFLATE_OK;
}

void cx_gzip_head(unsigned char head[CX_GZIP_HEAD_LEN]) {
  /* magic, deflate, no flags, time 0, no extra flags, OS unix */
  static const unsigned char h[CX_GZIP_HEAD_LEN] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
  memcpy(head, h, sizeof h);
}

static void put_le32(unsigned char *p, unsigned long v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

void cx_gzip_tail(unsigned char tail[CX_GZIP_TAIL_LEN], unsigned long crc, unsigned long long len) {
  /* an empty final block with the fixed codes: BFINAL, BTYPE 01, code 256 */
  tail[0] = 0x03;
  tail[1] = 0x00;
  put_le32(tail + 2, crc);
  put_le32(tail + 6, (unsigned long)(len & 0xffffffffu));
}

unsigned long cx_crc32_combine(unsigned long crc_a, unsigned long crc_b, unsigned long long len_b) {
  if (!cx_zlib_open()) return 0; /* not reached: the pieces' encoder opened it */
  return cx_zlib.crc32_combine(crc_a, crc_b, (z_off_t)len_b);
}
