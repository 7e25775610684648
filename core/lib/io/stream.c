/* stream.c - bounded buffers and byte streams with transparent gzip.
 *
 * Ownership: as in cablex/stream.h.  A stream owns a copy of its name, its
 * buffers and its file descriptor (never stdin/stdout); the ctx is borrowed.
 */
#include "cablex/stream.h"
#include "deflate.h"
#include "inflate.h"
#include "xfilter.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* cx_buf                                                              */
/* ------------------------------------------------------------------ */

static size_t buf_limit(const struct cx_buf *b) {
  return b->max ? b->max : SIZE_MAX - 1;
}

/* Makes room for extra more bytes plus the NUL.  CX_FAILED past the limit,
 * CX_FATAL when memory runs out; b is unchanged on failure. */
static int buf_reserve(struct cx_buf *b, size_t extra) {
  size_t limit = buf_limit(b);
  if (b->len > limit || extra > limit - b->len) return CX_FAILED;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return CX_OK;
  size_t ncap = b->cap ? b->cap : 64;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) {
      ncap = need;
      break;
    }
    ncap *= 2;
  }
  /* Never allocate more than the limit allows, whatever the doubling says. */
  if (ncap - 1 > limit) ncap = limit + 1;
  char *p = realloc(b->data, ncap);
  if (!p) return CX_FATAL;
  b->data = p;
  b->cap = ncap;
  return CX_OK;
}

void cx_buf_init(struct cx_buf *b, size_t max) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->max = max;
}

void cx_buf_free(struct cx_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void cx_buf_reset(struct cx_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

int cx_buf_add(struct cx_buf *b, const void *data, size_t len) {
  int rc = buf_reserve(b, len);
  if (rc != CX_OK) return rc;
  if (len) memcpy(b->data + b->len, data, len);
  b->len += len;
  b->data[b->len] = '\0';
  return CX_OK;
}

int cx_buf_addc(struct cx_buf *b, char c) {
  /* the parsers add text a byte at a time: no call when there is room */
  if (b->len + 1 < b->cap && b->len < buf_limit(b)) {
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return CX_OK;
  }
  return cx_buf_add(b, &c, 1);
}

int cx_buf_adds(struct cx_buf *b, const char *s) {
  return cx_buf_add(b, s, strlen(s));
}

int cx_buf_printf(struct cx_buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  size_t room = b->cap > b->len ? b->cap - b->len : 0;
  int n = room ? vsnprintf(b->data + b->len, room, fmt, ap) : vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  int rc = CX_OK;
  if (n < 0) {
    rc = CX_FAILED;
  } else if ((size_t)n >= room) {
    rc = buf_reserve(b, (size_t)n);
    if (rc == CX_OK) vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
  } else if (b->len > buf_limit(b) || (size_t)n > buf_limit(b) - b->len) {
    rc = CX_FAILED; /* it fitted in memory we had, but not in the limit */
  }
  va_end(ap2);
  if (rc == CX_OK) {
    b->len += (size_t)n;
  }
  if (b->data) b->data[b->len] = '\0'; /* undo a partial print on failure */
  return rc;
}

char *cx_buf_detach(struct cx_buf *b, size_t *len) {
  char *p = b->data;
  if (len) *len = b->len;
  if (!p) p = calloc(1, 1); /* always hand out a string */
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not one
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t k;
  uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    k = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    k = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    k = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (n < k) return 0;
  for (size_t i = 1; i < k; i++) {
    if ((s[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) || cp > 0x10ffff ||
      (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return k;
}

size_t cx_utf8_check(const unsigned char *p, bool *ok) {
  unsigned char c = p[0], lo = 0x80, hi = 0xBF;
  size_t need;
  *ok = false;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 1;
  }
  if (p[1] < lo || p[1] > hi) return 1;
  for (size_t i = 2; i <= need; i++)
    if (p[i] < 0x80 || p[i] > 0xBF) return i;
  *ok = true;
  return need + 1;
}

size_t cx_utf8_count_bad(const char *text, size_t len, unsigned long *first_line) {
  const unsigned char *s = (const unsigned char *)text;
  size_t bad = 0, first_bad = 0, i = 0;
  *first_line = 0;
  while (i < len) {
    /* ASCII eight bytes at a time: nearly all of a cable */
    while (i + 8 <= len) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= len) break;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = utf8_len(s + i, len - i);
    if (!k) {
      if (!bad) first_bad = i;
      bad++;
      i++;
      continue;
    }
    i += k;
  }
  if (bad) { /* the line of the first bad byte, counted only when needed */
    unsigned long line = 1;
    for (const unsigned char *p = s; (p = memchr(p, '\n', first_bad - (size_t)(p - s))); p++)
      line++;
    *first_line = line;
  }
  return bad;
}

size_t cx_buf_fix_utf8(struct cx_buf *b, unsigned long *first_line) {
  const unsigned char *s = (const unsigned char *)b->data;
  size_t i, bad = cx_utf8_count_bad(b->data, b->len, first_line);
  if (!bad) return 0;
  struct cx_buf fixed;
  cx_buf_init(&fixed, b->max);
  for (i = 0; i < b->len;) {
    size_t k = utf8_len(s + i, b->len - i);
    int rc = k ? cx_buf_add(&fixed, s + i, k) : cx_buf_add(&fixed, "\xef\xbf\xbd", 3);
    if (rc) {
      cx_buf_free(&fixed);
      return (size_t)-1;
    }
    i += k ? k : 1;
  }
  cx_buf_free(b);
  *b = fixed;
  return bad;
}

/* ------------------------------------------------------------------ */
/* error helpers                                                        */
/* ------------------------------------------------------------------ */

/* Records an error for a stream called name.  When keep is set the stream
 * outlives the call and ctx->file may borrow name; otherwise (open failed,
 * the stream is being freed) the name goes into the message instead. */
/* The part of a name put in front of a message: at most its last
 * CX_MSG_MAX / 2 bytes (starting on a character), so that the reason after
 * it always fits in the message. */
#define NAME_KEEP (CX_MSG_MAX / 2)
static const char *name_tail(const char *name, const char **ellipsis) {
  size_t n = strlen(name);
  *ellipsis = "";
  if (n <= NAME_KEEP) return name;
  const char *p = name + n - NAME_KEEP;
  while ((*p & 0xC0) == 0x80)
    p++;
  *ellipsis = "...";
  return p;
}

static int stream_verror(struct cx_ctx *ctx, const char *name, bool keep, int code,
                         unsigned long line, const char *fmt, va_list ap) {
  if (!ctx) return code;
  if (keep && !ctx->file) ctx->file = name;
  char msg[CX_MSG_MAX];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (ctx->file && strcmp(ctx->file, name) == 0) return cx_error(ctx, code, line, "%s", msg);
  const char *dots, *tail = name_tail(name, &dots);
  return cx_error(ctx, code, line, "%s%s: %s", dots, tail, msg);
}

static int stream_error(struct cx_ctx *ctx, const char *name, bool keep, int code,
                        unsigned long line, const char *fmt, ...) CX_PRINTF(6, 7);
static int stream_error(struct cx_ctx *ctx, const char *name, bool keep, int code,
                        unsigned long line, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  code = stream_verror(ctx, name, keep, code, line, fmt, ap);
  va_end(ap);
  return code;
}

/* Stops ctx->file from pointing at a name that is about to be freed; a
 * message recorded with that name as its place gets the name put in front. */
static void release_name(struct cx_ctx *ctx, const char *name) {
  if (!ctx || !name || ctx->file != name) return;
  ctx->file = NULL;
  if (ctx->msg[0]) {
    char msg[2 * CX_MSG_MAX];
    const char *dots, *tail = name_tail(name, &dots);
    int n = snprintf(msg, sizeof msg, "%s%s: %s", dots, tail, ctx->msg);
    size_t k = n < 0 ? 0 : (size_t)n < CX_MSG_MAX ? (size_t)n : CX_MSG_MAX - 1;
    memcpy(ctx->msg, msg, k);
    ctx->msg[k] = '\0';
  }
}

/* ------------------------------------------------------------------ */
/* input                                                                */
/* ------------------------------------------------------------------ */

#define IN_BLOCK ((size_t)128 << 10)  /* read size: large blocks, few syscalls */
#define DIRECT_MIN ((size_t)16 << 10) /* reads this large bypass the buffer */

struct cx_istream {
  struct cx_ctx *ctx;
  char *name;
  int fd;             /* -1 for memory and callback streams */
  bool close_fd;      /* false for stdin */
  cx_read_fn read_fn; /* a callback stream's source, else NULL */
  void *read_user;

  /* Raw (compressed) input, only used for gzip.  raw points at raw_buf for
   * files and at the caller's memory for memory streams. */
  const unsigned char *raw;
  unsigned char *raw_buf;
  size_t raw_pos, raw_end;
  unsigned long long raw_off; /* input bytes dropped before raw[0] */
  bool raw_eof;

  /* Decoded bytes ready to hand out: out[pos..end).  For a plain memory
   * stream out is the caller's memory itself. */
  unsigned char *out;
  bool out_owned;
  size_t pos, end, out_cap;

  bool gzip, member_done;
  struct cx_inflate *dec; /* ISA-L or zlib (inflate.h) */

  bool done;   /* no more decoded bytes will come */
  int pending; /* a sticky error (< 0), handed out once out[] is drained */
  char pending_msg[CX_MSG_MAX];
  unsigned long lines;
};

static int in_fail(struct cx_istream *in, int code, const char *fmt, ...) CX_PRINTF(3, 4);
static int in_fail(struct cx_istream *in, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(in->pending_msg, sizeof in->pending_msg, fmt, ap);
  va_end(ap);
  in->pending = code;
  in->done = true;
  return stream_error(in->ctx, in->name, true, code, 0, "%s", in->pending_msg);
}

/* Puts the pending error back on ctx (it may have been cleared since). */
static int in_surface(struct cx_istream *in) {
  return stream_error(in->ctx, in->name, true, in->pending, 0, "%s", in->pending_msg);
}

/* One read(2), retried on EINTR.  Returns the count, 0 at end, or < 0. */
static long fd_read(struct cx_istream *in, void *dst, size_t n) {
  if (n > (size_t)SSIZE_MAX) n = (size_t)SSIZE_MAX;
  if (in->read_fn) {
    long r = in->read_fn(in->read_user, dst, n);
    if (r >= 0) return r;
    /* The callback put its message on ctx; keep it for the reader. */
    char msg[CX_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", in->ctx && in->ctx->msg[0] ? in->ctx->msg : "read error");
    return in_fail(in, (int)r, "%s", msg);
  }
  for (;;) {
    ssize_t r = read(in->fd, dst, n);
    if (r >= 0) return (long)r;
    if (errno != EINTR) return in_fail(in, CX_FATAL, "read error: %s", strerror(errno));
  }
}

/* Moves the unconsumed raw bytes to the front and reads more after them.
 * Returns CX_OK (raw_eof set at end of input) or an error. */
static int raw_fill(struct cx_istream *in) {
  if (in->raw_eof) return CX_OK;
  size_t left = in->raw_end - in->raw_pos;
  if (in->raw_pos) {
    memmove(in->raw_buf, in->raw_buf + in->raw_pos, left);
    in->raw_off += in->raw_pos;
    in->raw_pos = 0;
    in->raw_end = left;
  }
  long r = fd_read(in, in->raw_buf + in->raw_end, IN_BLOCK - in->raw_end);
  if (r < 0) return (int)r;
  if (r == 0) in->raw_eof = true;
  in->raw_end += (size_t)r;
  return CX_OK;
}

static unsigned long long raw_offset(const struct cx_istream *in) {
  return in->raw_off + in->raw_pos;
}

/* Decodes up to cap bytes of gzip into dst: count, 0 at end, or < 0. */
static long gz_produce(struct cx_istream *in, unsigned char *dst, size_t cap) {
  if (cap > UINT_MAX) cap = UINT_MAX;
  const char *why = NULL;
  for (;;) {
    if (in->member_done) {
      /* Another member may follow (`cat a.gz b.gz`): look for its magic. */
      while (in->raw_end - in->raw_pos < 2 && !in->raw_eof) {
        int rc = raw_fill(in);
        if (rc < 0) return rc;
      }
      size_t left = in->raw_end - in->raw_pos;
      if (left == 0) {
        in->done = true;
        return 0;
      }
      if (left < 2 || in->raw[in->raw_pos] != 0x1f || in->raw[in->raw_pos + 1] != 0x8b) {
        /* What gzip(1) does too: warn and ignore what follows. */
        in->done = true;
        if (in->ctx) {
          if (!in->ctx->file) in->ctx->file = in->name;
          cx_warn(in->ctx, 0, "trailing garbage after gzip data at byte %llu ignored",
                  raw_offset(in));
        }
        return 0;
      }
      if (cx_inflate_reset(in->dec, &why) != CX_INFLATE_OK)
        return in_fail(in, CX_FATAL, "gzip: %s", why);
      in->member_done = false;
    }
    if (in->raw_pos == in->raw_end && !in->raw_eof) {
      int rc = raw_fill(in);
      if (rc < 0) return rc;
    }
    size_t used, made;
    int zr = cx_inflate_run(in->dec, in->raw + in->raw_pos, in->raw_end - in->raw_pos, &used, dst,
                            cap, &made, &why);
    in->raw_pos += used;
    switch (zr) {
    case CX_INFLATE_END:
      in->member_done = true;
      break;
    case CX_INFLATE_OK:
      break;
    case CX_INFLATE_NOMEM:
      return in_fail(in, CX_FATAL, "gzip: out of memory");
    default:
      return in_fail(in, CX_FATAL, "corrupt gzip data near byte %llu: %s", raw_offset(in), why);
    }
    if (made) return (long)made;
    if (!in->member_done && in->raw_pos == in->raw_end && in->raw_eof)
      return in_fail(in, CX_FATAL, "truncated gzip data (input ends at byte %llu)", raw_offset(in));
  }
}

/* Produces up to cap decoded bytes into dst: count, 0 at end, or < 0. */
static long produce(struct cx_istream *in, unsigned char *dst, size_t cap) {
  if (in->pending) return in->pending;
  if (in->done || cap == 0) return 0;
  if (in->gzip) return gz_produce(in, dst, cap);
  if (in->fd < 0 && !in->read_fn) {
    in->done = true;
    return 0;
  }
  long r = fd_read(in, dst, cap);
  if (r == 0) in->done = true;
  return r;
}

/* Tries to have at least want bytes in out[pos..end) (want <= out_cap).
 * Fewer remain at end of input or on an error (kept pending). */
static void fill(struct cx_istream *in, size_t want) {
  if (!in->out_owned) return; /* plain memory: everything is there */
  if (want > in->out_cap) want = in->out_cap;
  if (in->pos == in->end) {
    in->pos = in->end = 0;
  } else if (in->out_cap - in->pos < want) {
    memmove(in->out, in->out + in->pos, in->end - in->pos);
    in->end -= in->pos;
    in->pos = 0;
  }
  while (in->end - in->pos < want) {
    long r = produce(in, in->out + in->end, in->out_cap - in->end);
    if (r <= 0) break;
    in->end += (size_t)r;
  }
}

static struct cx_istream *in_new(const char *name, struct cx_ctx *ctx) {
  struct cx_istream *in = calloc(1, sizeof *in);
  if (!in) goto oom;
  in->name = strdup(name);
  if (!in->name) goto oom;
  in->ctx = ctx;
  in->fd = -1;
  return in;
oom:
  free(in);
  stream_error(ctx, name, false, CX_FATAL, 0, "out of memory");
  return NULL;
}

static bool is_gzip_magic(const unsigned char *p, size_t n) {
  return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static bool gz_start(struct cx_istream *in) {
  in->dec = cx_inflate_new();
  if (!in->dec) return false;
  in->gzip = true;
  return true;
}

/* Reads the first bytes of a file or callback stream and sets it up as
 * gzip or plain.  On failure closes in (the message keeps the name). */
static bool start_source(struct cx_istream *in) {
  in->raw_buf = malloc(IN_BLOCK);
  if (!in->raw_buf) goto oom;
  in->raw = in->raw_buf;
  /* Read until the two magic bytes are known (a pipe may give one). */
  while (in->raw_end < 2 && !in->raw_eof) {
    if (raw_fill(in) < 0) {
      cx_istream_close(in); /* the message keeps the name */
      return false;
    }
  }
  if (is_gzip_magic(in->raw, in->raw_end)) {
    in->out = malloc(IN_BLOCK);
    if (!in->out || !gz_start(in)) goto oom;
  } else {
    /* Plain: the bytes read so far are the first output bytes. */
    in->out = in->raw_buf;
    in->raw_buf = NULL;
    in->raw = NULL;
    in->end = in->raw_end;
    in->raw_end = 0;
    in->done = in->raw_eof;
  }
  in->out_owned = true;
  in->out_cap = IN_BLOCK;
  return true;
oom:
  stream_error(in->ctx, in->name, false, CX_FATAL, 0, "out of memory");
  cx_istream_close(in);
  return false;
}

struct cx_istream *cx_istream_open(const char *path, struct cx_ctx *ctx) {
  if (!path) path = "-";
  bool is_stdin = strcmp(path, "-") == 0;
  int fd = 0;
  if (!is_stdin) {
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      stream_error(ctx, path, false, CX_FATAL, 0, "cannot open: %s", strerror(errno));
      return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      close(fd);
      stream_error(ctx, path, false, CX_FATAL, 0, "cannot read: is a directory");
      return NULL;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
  struct cx_istream *in = in_new(path, ctx);
  if (!in) {
    if (!is_stdin) close(fd);
    return NULL;
  }
  in->fd = fd;
  in->close_fd = !is_stdin;
  return start_source(in) ? in : NULL;
}

struct cx_istream *cx_istream_open_fn(cx_read_fn fn, void *user, const char *name,
                                      struct cx_ctx *ctx) {
  if (!name) name = "<entry>";
  struct cx_istream *in = in_new(name, ctx);
  if (!in) return NULL;
  in->read_fn = fn;
  in->read_user = user;
  return start_source(in) ? in : NULL;
}

struct cx_istream *cx_istream_open_mem(const void *data, size_t len, const char *name,
                                       struct cx_ctx *ctx) {
  if (!name) name = "<memory>";
  struct cx_istream *in = in_new(name, ctx);
  if (!in) return NULL;
  if (!data) len = 0;
  if (is_gzip_magic(data, len)) {
    in->raw = data;
    in->raw_end = len;
    in->raw_eof = true;
    in->out = malloc(IN_BLOCK);
    if (!in->out || !gz_start(in)) {
      cx_istream_close(in);
      stream_error(ctx, name, false, CX_FATAL, 0, "out of memory");
      return NULL;
    }
    in->out_owned = true;
    in->out_cap = IN_BLOCK;
  } else {
    in->out = (unsigned char *)(uintptr_t)data; /* never written: out_owned is false */
    in->end = in->out_cap = len;
    in->done = true;
  }
  return in;
}

void cx_istream_close(struct cx_istream *in) {
  if (!in) return;
  release_name(in->ctx, in->name);
  cx_inflate_free(in->dec);
  if (in->close_fd && in->fd >= 0) close(in->fd);
  free(in->raw_buf);
  if (in->out_owned) free(in->out);
  free(in->name);
  free(in);
}

long cx_istream_read(struct cx_istream *in, void *buf, size_t n) {
  if (n > LONG_MAX) n = LONG_MAX;
  if (n == 0) return 0;
  if (in->pos == in->end) {
    if (n >= DIRECT_MIN && in->out_owned) {
      /* Large reads skip the copy through out[]. */
      long r = produce(in, buf, n);
      if (r < 0) return in_surface(in);
      return r;
    }
    fill(in, 1);
    if (in->pos == in->end) return in->pending ? in_surface(in) : 0;
  }
  size_t k = in->end - in->pos;
  if (k > n) k = n;
  memcpy(buf, in->out + in->pos, k);
  in->pos += k;
  return (long)k;
}

size_t cx_istream_peek(struct cx_istream *in, const unsigned char **head, size_t n) {
  fill(in, n);
  size_t k = in->end - in->pos;
  *head = in->out ? in->out + in->pos : (const unsigned char *)"";
  return k < n ? k : n;
}

bool cx_istream_view(struct cx_istream *in, const char **data, size_t *len) {
  if (in->out_owned || in->gzip || in->pending) return false;
  *data = in->out ? (const char *)in->out + in->pos : "";
  *len = in->end - in->pos;
  return true;
}

void cx_istream_skip(struct cx_istream *in, size_t n) {
  if (in->out_owned || in->gzip) return;
  in->pos += n < in->end - in->pos ? n : in->end - in->pos;
}

int cx_istream_getline(struct cx_istream *in, struct cx_buf *line) {
  size_t start = line->len;
  bool any = false, too_long = false;
  size_t skipped = 0; /* of a line too long to keep */
  for (;;) {
    if (in->pos == in->end) {
      fill(in, 1);
      if (in->pos == in->end) {
        if (in->pending) {
          if (line->data) line->data[line->len = start] = '\0';
          return in_surface(in);
        }
        if (!any) return CX_EOF;
        break; /* last line without '\n' */
      }
    }
    any = true;
    const unsigned char *p = in->out + in->pos;
    const unsigned char *nl = memchr(p, '\n', in->end - in->pos);
    size_t n = nl ? (size_t)(nl - p) + 1 : in->end - in->pos;
    if (!too_long) {
      int rc = cx_buf_add(line, p, n);
      if (rc == CX_FATAL) {
        if (line->data) line->data[line->len = start] = '\0';
        return stream_error(in->ctx, in->name, true, CX_FATAL, in->lines + 1, "out of memory");
      }
      if (rc != CX_OK) {
        too_long = true; /* keep consuming up to the '\n', keep nothing */
        if (line->data) line->data[line->len = start] = '\0';
      }
    }
    in->pos += n;
    if (nl) break;
    if (too_long && (skipped += n) > CX_SKIP_MAX)
      return in_fail(in, CX_FATAL,
                     "line %lu is longer than %zu bytes and has no end within %zu MiB more: "
                     "rest of the input not read",
                     in->lines + 1, buf_limit(line), CX_SKIP_MAX >> 20);
  }
  in->lines++;
  if (too_long)
    return stream_error(in->ctx, in->name, true, CX_FAILED, in->lines,
                        "line longer than %zu bytes skipped", buf_limit(line));
  return CX_OK;
}

int cx_istream_read_all(struct cx_istream *in, struct cx_buf *all) {
  size_t start = all->len;
  int rc = CX_OK;
  if (in->pos < in->end) {
    rc = cx_buf_add(all, in->out + in->pos, in->end - in->pos);
    if (rc != CX_OK) goto fail;
    in->pos = in->end;
  }
  for (;;) {
    size_t room = buf_limit(all) - all->len;
    if (room == 0) {
      /* Full: an error only if something is left. */
      fill(in, 1);
      if (in->pos < in->end) {
        rc = CX_FAILED;
        goto fail;
      }
      break;
    }
    size_t chunk = all->len > IN_BLOCK ? all->len : IN_BLOCK; /* grows geometrically */
    if (chunk > room) chunk = room;
    rc = buf_reserve(all, chunk);
    if (rc != CX_OK) goto fail;
    all->data[all->len] = '\0'; /* as promised even when nothing comes */
    long r = produce(in, (unsigned char *)all->data + all->len, all->cap - all->len - 1);
    if (r < 0) {
      if (all->data) all->data[all->len = start] = '\0';
      return in_surface(in);
    }
    if (r == 0) break;
    all->len += (size_t)r;
    all->data[all->len] = '\0';
  }
  if (in->pending) { /* raised during the final fill above */
    if (all->data) all->data[all->len = start] = '\0';
    return in_surface(in);
  }
  return CX_OK;
fail:
  if (all->data) all->data[all->len = start] = '\0';
  if (rc == CX_FAILED)
    return stream_error(in->ctx, in->name, true, CX_FAILED, 0, "input larger than %zu bytes",
                        buf_limit(all));
  return stream_error(in->ctx, in->name, true, rc, 0, "out of memory");
}

unsigned long cx_istream_line(const struct cx_istream *in) {
  return in->lines;
}

const char *cx_istream_name(const struct cx_istream *in) {
  return in->name;
}

bool cx_istream_is_gzip(const struct cx_istream *in) {
  return in->gzip;
}

int cx_istream_seekable_fd(const struct cx_istream *in) {
  struct stat st;
  if (in->fd < 0 || in->read_fn || in->gzip || fstat(in->fd, &st) != 0 || !S_ISREG(st.st_mode))
    return -1;
  return in->fd;
}

long long cx_istream_source_offset(const struct cx_istream *in) {
  if (in->fd < 0 || in->read_fn) return -1;
  off_t off = lseek(in->fd, 0, SEEK_CUR);
  return off < 0 ? -1 : (long long)off;
}

/* ------------------------------------------------------------------ */
/* output                                                               */
/* ------------------------------------------------------------------ */

#define OUT_BLOCK ((size_t)128 << 10)

struct cx_ostream {
  struct cx_ctx *ctx;
  char *name;   /* as given */
  char *target; /* what is renamed onto (name, or where its symlink points) */
  char *tmp;    /* the temporary file, NULL when writing directly */
  int fd;
  bool close_fd;
  mode_t mode; /* for the finished file */
  bool gzip;
  struct cx_deflate *enc; /* ISA-L or zlib (deflate.h), when gzip */
  unsigned char *zin;     /* gzip: small writes gather here, OUT_BLOCK bytes */
  size_t zin_len;
  struct cx_xfilter *xf; /* xz, bzip2, zstd ... (xfilter.h), by the name */
  unsigned char *buf;
  size_t len;
  int err;            /* sticky: once a write failed nothing more is written */
  struct cx_buf *mem; /* a memory output: bytes go here, no fd, no buf */
};

/* The temporary files being written, for cx_ostream_remove_temps(): a few
 * slots read by a signal handler, cleared before a name is freed. */
#define TEMP_SLOTS 16
static const char *volatile temp_slot[TEMP_SLOTS];

static void temp_track(const char *tmp) {
  for (size_t i = 0; i < TEMP_SLOTS; i++)
    if (!temp_slot[i]) {
      temp_slot[i] = tmp;
      return;
    }
}

static void temp_untrack(const char *tmp) {
  for (size_t i = 0; i < TEMP_SLOTS; i++)
    if (temp_slot[i] == tmp) temp_slot[i] = NULL;
}

void cx_ostream_remove_temps(void) {
  for (size_t i = 0; i < TEMP_SLOTS; i++) {
    const char *t = temp_slot[i];
    if (t) unlink(t);
  }
}

static int out_fail(struct cx_ostream *out, int code, const char *fmt, ...) CX_PRINTF(3, 4);
static int out_fail(struct cx_ostream *out, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  out->err = code;
  code = stream_verror(out->ctx, out->name, true, code, 0, fmt, ap);
  va_end(ap);
  return code;
}

static int fd_write_all(struct cx_ostream *out, const unsigned char *p, size_t n) {
  while (n) {
    ssize_t w = write(out->fd, p, n > (size_t)SSIZE_MAX ? (size_t)SSIZE_MAX : n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return out_fail(out, CX_FATAL, "write error: %s", strerror(errno));
    }
    if (w == 0) return out_fail(out, CX_FATAL, "write error: nothing written");
    p += w;
    n -= (size_t)w;
  }
  return CX_OK;
}

static int xf_sink(void *user, const void *p, size_t n) {
  return fd_write_all(user, p, n) == CX_OK ? 0 : -1;
}

/* Plain bytes to the file: through the compressor when there is one. */
static int out_emit(struct cx_ostream *out, const unsigned char *p, size_t n) {
  if (!out->xf) return fd_write_all(out, p, n);
  const char *why = NULL;
  if (cx_xfilter_write(out->xf, p, n, &why) == 0) return CX_OK;
  return why ? out_fail(out, CX_FATAL, "compression failed: %s", why) : out->err;
}

static int out_flush(struct cx_ostream *out) {
  int rc = out->gzip ? fd_write_all(out, out->buf, out->len) : out_emit(out, out->buf, out->len);
  out->len = 0;
  return rc;
}

/* Compresses p[0..len) into buf, writing buf out as it fills; finish ends
 * the gzip member (trailer included). */
static int gz_deflate(struct cx_ostream *out, const unsigned char *p, size_t len, bool finish) {
  for (;;) {
    if (out->len == OUT_BLOCK) {
      int rc = out_flush(out);
      if (rc != CX_OK) return rc;
    }
    size_t used, made;
    const char *why = "compression failed";
    int r = cx_deflate_run(out->enc, p, len, &used, out->buf + out->len, OUT_BLOCK - out->len,
                           &made, finish, &why);
    out->len += made;
    p += used;
    len -= used;
    if (r == CX_DEFLATE_ERROR) return out_fail(out, CX_FATAL, "gzip: %s", why);
    if (r == CX_DEFLATE_END) return CX_OK;
    /* Without finish, done once all input is taken and output had room. */
    if (!finish && !len && out->len < OUT_BLOCK) return CX_OK;
    if (!used && !made) {
      /* Too little room for what the encoder has to write next: make
       * room; with a whole empty block it is stuck. */
      if (!out->len) return out_fail(out, CX_FATAL, "gzip: compression made no progress");
      int rc = out_flush(out);
      if (rc != CX_OK) return rc;
    }
  }
}

/* Writers hand over a line or a field at a time: gather them so that the
 * encoder sees large blocks (a call into ISA-L per few bytes costs more
 * than the compression), and always the same blocks, OUT_BLOCK bytes
 * each: ISA-L's output depends on how its input is sliced, and the same
 * bytes must give the same file however they were written. */
static int gz_write(struct cx_ostream *out, const void *data, size_t len) {
  const unsigned char *p = data;
  while (len) {
    size_t n = OUT_BLOCK - out->zin_len;
    if (n > len) n = len;
    memcpy(out->zin + out->zin_len, p, n);
    out->zin_len += n;
    p += n;
    len -= n;
    if (out->zin_len == OUT_BLOCK) {
      out->zin_len = 0;
      int rc = gz_deflate(out, out->zin, OUT_BLOCK, false);
      if (rc != CX_OK) return rc;
    }
  }
  return CX_OK;
}

int cx_ostream_write(struct cx_ostream *out, const void *data, size_t len) {
  if (out->err) return out->err;
  if (len == 0) return CX_OK;
  if (out->mem) {
    int rc = cx_buf_add(out->mem, data, len);
    if (rc == CX_FAILED)
      return out_fail(out, CX_FAILED, "output larger than %zu bytes", out->mem->max);
    if (rc != CX_OK) return out_fail(out, CX_FATAL, "out of memory");
    return CX_OK;
  }
  if (out->gzip) return gz_write(out, data, len);
  if (len > OUT_BLOCK - out->len) {
    int rc = out_flush(out);
    if (rc != CX_OK) return rc;
    if (len >= OUT_BLOCK) return out_emit(out, data, len);
  }
  memcpy(out->buf + out->len, data, len);
  out->len += len;
  return CX_OK;
}

int cx_ostream_puts(struct cx_ostream *out, const char *s) {
  return cx_ostream_write(out, s, strlen(s));
}

int cx_ostream_gzip(struct cx_ostream *out) {
  if (out->err) return out->err;
  if (out->mem || out->gzip || out->len) return CX_FAILED;
  if (!(out->zin = malloc(OUT_BLOCK)) || !(out->enc = cx_deflate_new())) {
    free(out->zin);
    out->zin = NULL;
    return CX_FATAL;
  }
  out->gzip = true;
  return CX_OK;
}

const char *cx_ostream_name(const struct cx_ostream *out) {
  return out->name;
}

/* The process umask without changing it where /proc tells it. */
static mode_t current_umask(void) {
  FILE *f = fopen("/proc/self/status", "re");
  if (f) {
    char line[256];
    unsigned m;
    while (fgets(line, sizeof line, f)) {
      if (sscanf(line, "Umask: %o", &m) == 1) {
        fclose(f);
        return (mode_t)m;
      }
    }
    fclose(f);
  }
  mode_t m = umask(022);
  umask(m);
  return m;
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void out_free(struct cx_ostream *out) {
  release_name(out->ctx, out->name);
  if (out->tmp) temp_untrack(out->tmp);
  cx_deflate_free(out->enc);
  cx_xfilter_free(out->xf);
  free(out->zin);
  free(out->buf);
  free(out->tmp);
  free(out->target);
  free(out->name);
  free(out);
}

/* Creates the temporary file ".BASE.XXXXXX" beside target. */
static int make_temp(struct cx_ostream *out) {
  const char *slash = strrchr(out->target, '/');
  size_t dirlen = slash ? (size_t)(slash - out->target) + 1 : 0;
  const char *base = out->target + dirlen;
  size_t n = dirlen + 1 + strlen(base) + 8;
  out->tmp = malloc(n);
  if (!out->tmp) return CX_FATAL;
  snprintf(out->tmp, n, "%.*s.%s.XXXXXX", (int)dirlen, out->target, base);
  /* No signal between creating the file and tracking it, or a run killed
   * right then would leave the file behind. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  out->fd = mkstemp(out->tmp);
  int e = errno;
  if (out->fd >= 0) temp_track(out->tmp);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (out->fd < 0) {
    free(out->tmp);
    out->tmp = NULL;
    errno = e;
    return CX_FAILED;
  }
  fcntl(out->fd, F_SETFD, FD_CLOEXEC);
  out->close_fd = true;
  return CX_OK;
}

struct cx_ostream *cx_ostream_open_mem(struct cx_buf *dst, const char *name, struct cx_ctx *ctx) {
  if (!name) name = "<memory>";
  struct cx_ostream *out = calloc(1, sizeof *out);
  if (!out || !(out->name = strdup(name))) {
    free(out);
    stream_error(ctx, name, false, CX_FATAL, 0, "out of memory");
    return NULL;
  }
  out->ctx = ctx;
  out->fd = -1;
  out->mem = dst;
  return out;
}

static struct cx_ostream *open_out(const char *path, struct cx_ctx *ctx, bool allow_gzip);

/* Puts the compressor the name asks for on an opened output; on failure
 * aborts it (the temporary file goes) and returns NULL. */
static struct cx_ostream *xf_start(struct cx_ostream *out, const char *filter) {
  const char *why = NULL;
  out->xf = cx_xfilter_new(filter, xf_sink, out, &why);
  if (out->xf) return out;
  if (why) stream_error(out->ctx, out->name, false, CX_FATAL, 0, "cannot compress: %s", why);
  cx_ostream_abort(out);
  return NULL;
}

struct cx_ostream *cx_ostream_open(const char *path, struct cx_ctx *ctx) {
  return open_out(path, ctx, true);
}

struct cx_ostream *cx_ostream_open_plain(const char *path, struct cx_ctx *ctx) {
  return open_out(path, ctx, false);
}

static struct cx_ostream *open_out(const char *path, struct cx_ctx *ctx, bool allow_gzip) {
  if (!path) path = "-";
  struct cx_ostream *out = calloc(1, sizeof *out);
  if (!out || !(out->name = strdup(path)) || !(out->buf = malloc(OUT_BLOCK))) {
    if (out) out_free(out);
    stream_error(ctx, path, false, CX_FATAL, 0, "out of memory");
    return NULL;
  }
  out->ctx = ctx;
  out->fd = -1;
  if (strcmp(path, "-") == 0) {
    fflush(stdout); /* whatever stdio holds goes first */
    out->fd = STDOUT_FILENO;
    return out;
  }
  out->gzip = allow_gzip && ends_with(path, ".gz");
  if (out->gzip && (!(out->zin = malloc(OUT_BLOCK)) || !(out->enc = cx_deflate_new()))) goto oom;
  bool unsupported;
  const char *xname = allow_gzip ? cx_xfilter_for_name(path, &unsupported) : NULL;
  if (xname && unsupported) {
    /* Never plain bytes under a compressed name. */
    out_free(out);
    stream_error(ctx, path, false, CX_FATAL, 0,
                 "this build cannot write %s-compressed output: use another name (.gz, .xz, "
                 ".bz2, .zst ...)",
                 xname);
    return NULL;
  }
  /* Writing through a symlink replaces the file it points to, not the link. */
  struct stat st;
  if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) out->target = realpath(path, NULL);
  if (!out->target) out->target = strdup(path);
  if (!out->target) goto oom;
  if (stat(out->target, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      out_free(out);
      stream_error(ctx, path, false, CX_FATAL, 0, "cannot write: is a directory");
      return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
      /* A device or a pipe (/dev/null, a FIFO): write to it as it is; a
       * rename would replace the node itself. */
      out->fd = open(out->target, O_WRONLY | O_CLOEXEC);
      if (out->fd < 0) {
        stream_error(ctx, path, false, CX_FATAL, 0, "cannot open: %s", strerror(errno));
        out_free(out);
        return NULL;
      }
      out->close_fd = true;
      return xname ? xf_start(out, xname) : out;
    }
    out->mode = st.st_mode & 07777; /* rewriting a file keeps its mode */
  } else {
    out->mode = 0666 & ~current_umask();
  }
  int rc = make_temp(out);
  if (rc == CX_FATAL) goto oom;
  if (rc != CX_OK) {
    int e = errno;
    stream_error(ctx, path, false, CX_FATAL, 0, "cannot create a temporary file beside it: %s",
                 strerror(e));
    out_free(out);
    return NULL;
  }
  return xname ? xf_start(out, xname) : out;
oom:
  out_free(out);
  stream_error(ctx, path, false, CX_FATAL, 0, "out of memory");
  return NULL;
}

int cx_ostream_commit(struct cx_ostream *out) {
  if (!out) return CX_FATAL;
  int rc = out->err;
  if (out->mem) {
    out_free(out);
    return rc;
  }
  if (!rc && out->gzip) rc = gz_deflate(out, out->zin, out->zin_len, true);
  if (!rc) rc = out_flush(out);
  if (!rc && out->xf) {
    const char *why = NULL;
    if (cx_xfilter_finish(out->xf, &why) != 0)
      rc = why ? out_fail(out, CX_FATAL, "compression failed: %s", why) : out->err;
  }
  /* From here the stream is going away: messages carry the name. */
  release_name(out->ctx, out->name);
  if (out->tmp) {
    if (!rc && fchmod(out->fd, out->mode) != 0 && errno != EPERM)
      rc = stream_error(out->ctx, out->name, false, CX_FATAL, 0, "cannot set mode: %s",
                        strerror(errno));
    if (close(out->fd) != 0 && !rc)
      rc =
          stream_error(out->ctx, out->name, false, CX_FATAL, 0, "write error: %s", strerror(errno));
    if (!rc && rename(out->tmp, out->target) != 0)
      rc = stream_error(out->ctx, out->name, false, CX_FATAL, 0, "cannot rename %s into place: %s",
                        out->tmp, strerror(errno));
    if (rc) unlink(out->tmp);
  } else if (out->close_fd) {
    if (close(out->fd) != 0 && !rc)
      rc =
          stream_error(out->ctx, out->name, false, CX_FATAL, 0, "write error: %s", strerror(errno));
  }
  out_free(out);
  return rc;
}

const char *cx_ostream_file(const struct cx_ostream *out) {
  if (!out || !out->tmp || out->gzip || out->len || lseek(out->fd, 0, SEEK_CUR) != 0) return NULL;
  return out->tmp;
}

const char *cx_ostream_in_place(struct cx_ostream *out) {
  if (!cx_ostream_file(out)) return NULL;
  temp_untrack(out->tmp);
  close(out->fd);
  unlink(out->tmp);
  free(out->tmp);
  out->tmp = NULL;
  out->fd = -1;
  out->close_fd = false;
  return out->target;
}

void cx_ostream_abort(struct cx_ostream *out) {
  if (!out) return;
  if (out->close_fd) close(out->fd);
  if (out->tmp) unlink(out->tmp);
  out_free(out);
}
