/* archive_reader.c - the bundle reader: libarchive over a cx_istream.
 *
 * Streamable formats (tar, cpio, ar, and anything behind a bzip2, xz or
 * zstd filter) are read straight from the stream through a read callback.
 * zip and 7z need a file they can seek in: a regular file is read in
 * place, a pipe or a bundle inside a bundle is spooled to an unlinked
 * temporary file.  7z is read with seeks.  A zip is read in one pass like a
 * tar, in flat memory; only when an entry is corrupt (which ends a pass)
 * is it opened again through its central directory (memory for every
 * entry, ~150 bytes each) and read on from the entry after it.
 *
 * Untrusted input: entry names are only shown, escaped, never used as
 * paths; declared sizes are ignored, the bytes that actually come out of
 * the decompressor are counted against max-entry-size and max-total-size.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive_plugin.h"

#define READ_BLOCK ((size_t)256 << 10) /* what the read callback asks the stream for */

struct areader {
  struct archive *a;
  struct cx_istream *in; /* borrowed */
  struct cx_ctx *ctx;    /* of the current call: the callbacks report on it */
  unsigned char *buf;    /* read callback buffer */
  int seek_fd;           /* zip, 7z: the file or the spool; else -1 */
  bool raw;              /* libarchive's raw format on (a lone compressed file) */
  bool zip;              /* a zip: a failed pass goes on with seeks */
  bool seeking;          /* libarchive seeks (7z, or a zip after a failure) */
  unsigned long index;   /* headers read in this pass */
  char in_msg[CX_MSG_MAX];
  int in_err; /* the stream's error, kept for the message */

  struct cx_istream *entry; /* the open entry stream, or NULL */
  char *name;               /* its escaped name */
  bool entry_over;          /* the entry passed max-entry-size */
  uint64_t entry_bytes, total_bytes, max_entry, max_total;
  int fatal; /* set once nothing more can be read */
  char fatal_msg[CX_MSG_MAX];
  bool known;    /* the head is a bundle's or a compressor's magic */
  locale_t utf8; /* headers are read under it, or (locale_t)0 */
};

/* libarchive turns a pax header's UTF-8 names into the locale's charset,
 * and cablex never calls setlocale(): under "C" every non-ASCII name would
 * be warned about.  Headers are read under a UTF-8 locale, for this thread
 * only and for the call only (names are shown escaped anyway). */
static int next_header(struct areader *st, struct archive_entry **e) {
  locale_t old = st->utf8 ? uselocale(st->utf8) : (locale_t)0;
  int r = archive_read_next_header(st->a, e);
  if (st->utf8) uselocale(old);
  return r;
}

/* ---- the bundle's bytes ---- */

static la_ssize_t stream_read_cb(struct archive *a, void *user, const void **buf) {
  struct areader *st = user;
  long r = cx_istream_read(st->in, st->buf, READ_BLOCK);
  if (r < 0) {
    st->in_err = (int)r;
    snprintf(st->in_msg, sizeof st->in_msg, "%s",
             st->ctx && st->ctx->msg[0] ? st->ctx->msg : "read error");
    archive_set_error(a, EIO, "%s", st->in_msg);
    return -1;
  }
  *buf = st->buf;
  return (la_ssize_t)r;
}

/* The file or spool, in one pass (a zip before any failure). */
static la_ssize_t fd_read_cb(struct archive *a, void *user, const void **buf) {
  struct areader *st = user;
  for (;;) {
    ssize_t r = read(st->seek_fd, st->buf, READ_BLOCK);
    if (r >= 0) {
      *buf = st->buf;
      return (la_ssize_t)r;
    }
    if (errno != EINTR) {
      archive_set_error(a, errno, "read error: %s", strerror(errno));
      return -1;
    }
  }
}

/* Copies the whole stream into an unlinked temporary file (at most
 * max_total bytes, so that an endless pipe cannot fill the disk). */
static int spool(struct areader *st, struct cx_ctx *ctx) {
  char path[4096];
  int fd = cx_temp_open(NULL, "cablex-spool", path, sizeof path, CX_FATAL, ctx);
  if (fd < 0) return fd;
  unlink(path); /* gone when closed, whatever happens */
  st->seek_fd = fd;
  uint64_t total = 0;
  for (;;) {
    long r = cx_istream_read(st->in, st->buf, READ_BLOCK);
    if (r < 0) return (int)r; /* the stream put its message on ctx */
    if (r == 0) break;
    total += (uint64_t)r;
    if (total > st->max_total)
      return cx_error(ctx, CX_FATAL, 0,
                      "bundle larger than max-total-size (%llu bytes) while spooling it",
                      (unsigned long long)st->max_total);
    if (cx_write_full(fd, st->buf, (size_t)r) != 0)
      return cx_error(ctx, CX_FATAL, 0, "cannot write the spool file %s: %s", path,
                      strerror(errno));
  }
  if (lseek(fd, 0, SEEK_SET) != 0)
    return cx_error(ctx, CX_FATAL, 0, "cannot rewind the spool file: %s", strerror(errno));
  return CX_OK;
}

static int size_option(const struct cx_options *opts, const char *name, uint64_t def, uint64_t *out,
                       struct cx_ctx *ctx) {
  const char *s = cx_options_get(opts, name);
  *out = def;
  if (!s) return CX_OK;
  size_t v;
  if (cx_parse_size(s, &v) != CX_OK)
    return cx_error(ctx, CX_FATAL, 0, "%s \"%s\" is not a size (bytes, or with K, M or G)", name,
                    s);
  *out = v;
  return CX_OK;
}

static bool head_is(const unsigned char *h, size_t n, const char *magic, size_t mlen) {
  return n >= mlen && !memcmp(h, magic, mlen);
}

/* Opens libarchive on the bundle: on the stream, or on seek_fd from its
 * start, in one pass or with seeks.  CX_OK or CX_FATAL. */
static int open_pass(struct areader *st, bool seeking, struct cx_ctx *ctx) {
  if (st->a) archive_read_free(st->a);
  st->a = archive_read_new();
  if (!st->a) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  archive_read_support_filter_all(st->a);
  archive_read_support_format_all(st->a);
  if (st->raw) archive_read_support_format_raw(st->a);
  st->seeking = seeking;
  st->index = 0;
  int ar;
  if (st->seek_fd < 0) {
    ar = archive_read_open(st->a, st, NULL, stream_read_cb, NULL);
  } else if (lseek(st->seek_fd, 0, SEEK_SET) != 0) {
    return cx_error(ctx, CX_FATAL, 0, "cannot seek in the bundle: %s", strerror(errno));
  } else if (seeking) {
    ar = archive_read_open_fd(st->a, st->seek_fd, READ_BLOCK);
  } else { /* no seek callback: libarchive reads the zip in one pass */
    ar = archive_read_open(st->a, st, NULL, fd_read_cb, NULL);
  }
  if (ar == ARCHIVE_OK) return CX_OK;
  if (st->in_err) /* the stream's own error already names it */
    return cx_error(ctx, CX_FATAL, 0, "%s", st->in_msg);
  const char *why = archive_error_string(st->a);
  if (st->known) /* its magic says what it is: it is broken, not foreign */
    return cx_error(ctx, CX_FATAL, 0, "corrupt or truncated bundle: %s",
                    why ? why : "the bundle ends early or is damaged");
  return cx_error(ctx, CX_FATAL, 0, "not a bundle cablex can read: %s",
                  why ? why : "unknown format");
}

int arcp_bundle_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  *state = NULL;
  struct areader *st = calloc(1, sizeof *st);
  if (!st) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  st->in = in;
  st->ctx = ctx;
  st->seek_fd = -1;
  int rc = size_option(opts, "max-entry-size", ARCP_DEFAULT_MAX_ENTRY, &st->max_entry, ctx);
  if (rc == CX_OK)
    rc = size_option(opts, "max-total-size", ARCP_DEFAULT_MAX_TOTAL, &st->max_total, ctx);
  if (rc != CX_OK) goto fail;
  st->buf = malloc(READ_BLOCK);
  if (!st->buf) {
    rc = cx_error(ctx, CX_FATAL, 0, "out of memory");
    goto fail;
  }
  const unsigned char *head;
  size_t n = cx_istream_peek(in, &head, 8);
  bool sevenz = head_is(head, n, "7z\xbc\xaf\x27\x1c", 6);
  st->zip = head_is(head, n, "PK\x03\x04", 4) || head_is(head, n, "PK\x05\x06", 4);
  /* A lone compressed file (cables.txt.xz) is a bundle of one entry. */
  st->raw = head_is(head, n,
                    "\xfd"
                    "7zXZ",
                    5) ||
            head_is(head, n, "\x28\xb5\x2f\xfd", 4) || head_is(head, n, "BZh", 3);
  st->known = sevenz || st->zip || st->raw || head_is(head, n, "\x1f\x8b", 2);
  st->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  if (sevenz || st->zip) {
    /* A regular file is read in place (a duplicate of its descriptor, so
     * the stream keeps its own); anything else is spooled. */
    int fd = cx_istream_seekable_fd(in);
    if (fd >= 0) {
      st->seek_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
      if (st->seek_fd < 0) {
        rc = cx_error(ctx, CX_FATAL, 0, "cannot read the bundle: %s", strerror(errno));
        goto fail;
      }
    } else {
      rc = spool(st, ctx);
      if (rc != CX_OK) goto fail;
    }
  }
  rc = open_pass(st, sevenz, ctx);
  if (rc != CX_OK) goto fail;
  *state = st;
  return CX_OK;
fail:
  arcp_bundle_close(st);
  return rc;
}

/* ---- entries ---- */

static int fail_bundle(struct areader *st, struct cx_ctx *ctx, const char *fmt, ...)
    CX_PRINTF(3, 4);
static int fail_bundle(struct areader *st, struct cx_ctx *ctx, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(st->fatal_msg, sizeof st->fatal_msg, fmt, ap);
  va_end(ap);
  st->fatal = CX_FATAL;
  return cx_error(ctx, CX_FATAL, 0, "%s", st->fatal_msg);
}

/* libarchive's message, or the stream's when the bundle's bytes failed. */
static const char *why(struct areader *st) {
  if (st->in_err) return st->in_msg;
  const char *s = archive_error_string(st->a);
  return s ? s : "the bundle ends early or is damaged (libarchive gives no reason)";
}

/* Counts n decompressed bytes of the current entry.  CX_OK, or CX_FATAL
 * when the bundle passed max-total-size: then nothing more is read, and
 * next reports it (naming the entry where it happened). */
static int count_total(struct areader *st, size_t n) {
  st->total_bytes += n;
  if (st->total_bytes <= st->max_total) return CX_OK;
  st->fatal = CX_FATAL;
  snprintf(st->fatal_msg, sizeof st->fatal_msg,
           "the bundle passed max-total-size (%llu bytes decompressed) here: rest of the bundle "
           "not read",
           (unsigned long long)st->max_total);
  return CX_FATAL;
}

static long entry_read(void *user, void *buf, size_t n) {
  struct areader *st = user;
  struct cx_ctx *ctx = st->ctx;
  if (st->fatal) return cx_error(ctx, CX_FATAL, 0, "%s", st->fatal_msg);
  if (st->entry_over) return 0;
  /* Never ask for more than one byte past either cap. */
  uint64_t room = st->max_entry - st->entry_bytes;
  if (st->max_total - st->total_bytes < room) room = st->max_total - st->total_bytes;
  if (room < n) n = (size_t)room + 1;
  la_ssize_t r = archive_read_data(st->a, buf, n);
  if (r < 0) {
    /* The entry is lost; whether the bundle is too, the next header says. */
    return cx_error(ctx, CX_FATAL, 0, "corrupt entry: %s", why(st));
  }
  st->entry_bytes += (uint64_t)r;
  if (count_total(st, (size_t)r) != CX_OK)
    return cx_error(ctx, CX_FATAL, 0, "entry cut: the bundle passed max-total-size (%llu bytes)",
                    (unsigned long long)st->max_total);
  if (st->entry_bytes > st->max_entry) {
    st->entry_over = true;
    return cx_error(ctx, CX_FATAL, 0,
                    "entry larger than max-entry-size (%llu bytes decompressed): rest of the "
                    "entry skipped",
                    (unsigned long long)st->max_entry);
  }
  return (long)r;
}

/* Finishes the current entry: closes its stream and gets past what is left
 * of its data.  A seekable bundle skips it; a stream reads through it,
 * counting the bytes against max-total-size (a bomb cannot be skipped for
 * free when its bytes must be decompressed to reach the next entry). */
static int finish_entry(struct areader *st) {
  if (!st->entry) return CX_OK;
  cx_istream_close(st->entry);
  st->entry = NULL;
  if (st->fatal) return CX_FATAL;
  if (st->seeking) return CX_OK; /* libarchive skips it by seeking */
  for (;;) {
    const void *p;
    size_t len;
    la_int64_t off;
    int r = archive_read_data_block(st->a, &p, &len, &off);
    if (r == ARCHIVE_EOF) return CX_OK;
    if (r < ARCHIVE_WARN) return CX_OK; /* the next header reports it */
    if (count_total(st, len) != CX_OK) return CX_FATAL;
  }
}

static const char *kind_name(mode_t type) {
  switch (type) {
  case AE_IFLNK:
    return "a symbolic link";
  case AE_IFCHR:
    return "a character device";
  case AE_IFBLK:
    return "a block device";
  case AE_IFIFO:
    return "a FIFO";
  case AE_IFSOCK:
    return "a socket";
  default:
    return "not a regular file";
  }
}

int arcp_bundle_next(void *state, struct cx_ctx *ctx, const char **name,
                     struct cx_istream **entry) {
  struct areader *st = state;
  *name = NULL;
  *entry = NULL;
  st->ctx = ctx;
  if (finish_entry(st) != CX_OK || st->fatal) {
    if (st->name) ctx->entry = st->name; /* where it happened */
    return cx_error(ctx, CX_FATAL, 0, "%s", st->fatal_msg);
  }
  free(st->name);
  st->name = NULL;
  for (int retries = 0;;) {
    struct archive_entry *e;
    int r = next_header(st, &e);
    if (r == ARCHIVE_EOF) return CX_EOF;
    if (r == ARCHIVE_RETRY && ++retries < 100) continue;
    const char *path = r >= ARCHIVE_FAILED ? archive_entry_pathname(e) : NULL;
    if (r >= ARCHIVE_FAILED && !path) path = archive_entry_pathname_utf8(e);
    free(st->name);
    st->name = arcp_escape_name(path);
    if (!st->name) return fail_bundle(st, ctx, "out of memory");
    if ((r < ARCHIVE_FAILED || r == ARCHIVE_RETRY) && st->zip && !st->seeking) {
      /* A corrupt entry ended the pass: on through the central directory,
       * from the entry after the last one read (or from this header). */
      unsigned long done = st->index;
      if (open_pass(st, true, ctx) != CX_OK) return fail_bundle(st, ctx, "%s", ctx->msg);
      while (st->index < done) {
        if (next_header(st, &e) < ARCHIVE_WARN)
          return fail_bundle(st, ctx, "corrupt bundle: %s", why(st));
        st->index++;
      }
      continue;
    }
    if (r < ARCHIVE_FAILED || r == ARCHIVE_RETRY)
      return fail_bundle(st, ctx, "corrupt bundle: %s", why(st));
    st->index++;
    if (r == ARCHIVE_FAILED) {
      ctx->entry = st->name; /* the core names it "file(entry)" */
      return cx_error(ctx, CX_FAILED, 0, "%s", why(st));
    }
    if (r == ARCHIVE_WARN) cx_warn(ctx, 0, "%s: %s", st->name, why(st));

    mode_t type = archive_entry_filetype(e);
    if (type == AE_IFDIR) continue;
    if (archive_entry_hardlink(e)) {
      cx_warn(ctx, 0, "%s: a hard link skipped", st->name);
      continue;
    }
    if (type != AE_IFREG && type != 0) { /* 0: formats without types (raw, ar) */
      cx_warn(ctx, 0, "%s: %s skipped", st->name, kind_name(type));
      continue;
    }
    st->entry_bytes = 0;
    st->entry_over = false;
    /* Named after the bundle, so that its messages read "file(entry): why"
     * with the entry from ctx->entry, as the core puts them. */
    st->entry = cx_istream_open_fn(entry_read, st, ctx->file ? ctx->file : st->name, ctx);
    if (!st->entry) {
      ctx->entry = st->name;
      if (st->fatal) return cx_error(ctx, CX_FATAL, 0, "%s", st->fatal_msg);
      /* Fatal for the entry's stream, but only this entry is lost. */
      char msg[CX_MSG_MAX];
      snprintf(msg, sizeof msg, "%s", ctx->msg);
      return cx_error(ctx, CX_FAILED, 0, "%s", msg);
    }
    *name = st->name;
    *entry = st->entry;
    return CX_OK;
  }
}

void arcp_bundle_close(void *state) {
  struct areader *st = state;
  if (!st) return;
  if (st->entry) cx_istream_close(st->entry);
  if (st->a) archive_read_free(st->a);
  if (st->seek_fd >= 0) close(st->seek_fd);
  if (st->utf8) freelocale(st->utf8);
  free(st->buf);
  free(st->name);
  free(st);
}
