/* ostream.c - output byte streams: files written to a temporary name and
 * renamed on commit, memory, gzip (deflate.h) and other filters (xfilter.h).
 *
 * Ownership: as in cablex/stream.h.  A stream owns a copy of its name, its
 * buffers and its file descriptor (never stdout); the ctx is borrowed.
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
#include <sys/uio.h>
#include <unistd.h>
/* ------------------------------------------------------------------ */
/* output                                                               */
/* ------------------------------------------------------------------ */

#define OUT_BLOCK ((size_t)128 << 10)
/* Writes of this much or more skip the buffer (one writev with it). */
#define OUT_DIRECT ((size_t)16 << 10)

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

/* The buffered bytes a[0..an) then b[0..bn), in as few system calls as
 * the kernel takes them. */
static int fd_write2_all(struct cx_ostream *out, const unsigned char *a, size_t an,
                         const unsigned char *b, size_t bn) {
  while (an) {
    struct iovec iov[2] = {{(void *)(uintptr_t)a, an}, {(void *)(uintptr_t)b, bn}};
    if (an + bn > (size_t)SSIZE_MAX) iov[1].iov_len = (size_t)SSIZE_MAX - an;
    ssize_t w = writev(out->fd, iov, 2);
    if (w < 0) {
      if (errno == EINTR) continue;
      return out_fail(out, CX_FATAL, "write error: %s", strerror(errno));
    }
    if (w == 0) return out_fail(out, CX_FATAL, "write error: nothing written");
    size_t done = (size_t)w;
    if (done >= an) {
      done -= an;
      an = 0;
      b += done;
      bn -= done;
    } else {
      a += done;
      an -= done;
    }
  }
  return fd_write_all(out, b, bn);
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
  if (len >= OUT_DIRECT && !out->xf) {
    /* A whole record or more (a writer's 64 KiB block, a job's cable):
     * written where it lies, after what is buffered, not copied first. */
    int rc = fd_write2_all(out, out->buf, out->len, data, len);
    out->len = 0;
    return rc;
  }
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
  if (out->gzip && !(out->zin = malloc(OUT_BLOCK))) goto oom;
  if (out->gzip && !(out->enc = cx_deflate_new())) {
    out_free(out);
    stream_error(ctx, path, false, CX_FATAL, 0, "%s", cx_gzip_fail_why());
    return NULL;
  }
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
