/* stream.c - input byte streams with transparent gzip, and the error
 * helpers both stream directions share (stream_private.h).
 *
 * Ownership: as in cablex/stream.h.  A stream owns a copy of its name, its
 * buffers and its file descriptor (never stdin/stdout); the ctx is borrowed.
 */
#include "cablex/stream.h"
#include "deflate.h"
#include "gzip_libs.h"
#include "inflate.h"
#include "stream_private.h"
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

int stream_verror(struct cx_ctx *ctx, const char *name, bool keep, int code, unsigned long line,
                  const char *fmt, va_list ap) {
  if (!ctx) return code;
  if (keep && !ctx->file) ctx->file = name;
  char msg[CX_MSG_MAX];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (ctx->file && strcmp(ctx->file, name) == 0) return cx_error(ctx, code, line, "%s", msg);
  const char *dots, *tail = name_tail(name, &dots);
  return cx_error(ctx, code, line, "%s%s: %s", dots, tail, msg);
}

int stream_error(struct cx_ctx *ctx, const char *name, bool keep, int code, unsigned long line,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  code = stream_verror(ctx, name, keep, code, line, fmt, ap);
  va_end(ap);
  return code;
}

/* Stops ctx->file from pointing at a name that is about to be freed; a
 * message recorded with that name as its place gets the name put in front. */
void release_name(struct cx_ctx *ctx, const char *name) {
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
  bool nul_after; /* cx_istream_open_memz: out[end] is a readable NUL */
  size_t pos, end, out_cap;

  bool gzip, member_done;
  struct cx_inflate *dec; /* ISA-L or zlib (inflate.h) */

  bool done;   /* no more decoded bytes will come */
  int pending; /* a sticky error (< 0), handed out once out[] is drained */
  unsigned long lines;
  /* last: in_new zeroes what comes before it (it is read only once
   * in_fail has written it) */
  char pending_msg[CX_MSG_MAX];
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
  /* not calloc: a stream is opened for every entry and unit, and its
   * message buffer needs no zeroing */
  struct cx_istream *in = malloc(sizeof *in);
  if (!in) goto oom;
  memset(in, 0, offsetof(struct cx_istream, pending_msg));
  in->pending_msg[0] = '\0';
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
    if (!in->out) goto oom;
    if (!gz_start(in)) {
      stream_error(in->ctx, in->name, false, CX_FATAL, 0, "%s", cx_gzip_fail_why());
      cx_istream_close(in);
      return false;
    }
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
      const char *why = in->out ? cx_gzip_fail_why() : "out of memory";
      cx_istream_close(in);
      stream_error(ctx, name, false, CX_FATAL, 0, "%s", why);
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

struct cx_istream *cx_istream_open_memz(const void *data, size_t len, const char *name,
                                        struct cx_ctx *ctx) {
  struct cx_istream *in = cx_istream_open_mem(data, len, name, ctx);
  if (in && data && !in->out_owned) in->nul_after = true;
  return in;
}

bool cx_istream_nul_after(const struct cx_istream *in) {
  return in->nul_after;
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
