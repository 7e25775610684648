/* cablex/stream.h - bounded buffers and byte streams (transparent gzip).
 *
 * Ownership: a cx_buf owns its bytes until cx_buf_free() or until
 * cx_buf_detach() hands them to the caller.  Streams are created and
 * destroyed by the core; plugins only borrow them between open and close
 * and never free them, except the entry streams a bundle reader opens with
 * cx_istream_open_fn(), which it closes itself.
 */
#ifndef CABLEX_STREAM_H
#define CABLEX_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "cablex/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A growable byte buffer with a hard limit (curl's dynbuf idea): growing
 * past `max` fails with CX_FAILED instead of allocating whatever an input
 * claims.  data is always NUL-terminated (data[len] == 0) once allocated. */
struct cx_buf {
  char *data;
  size_t len, cap, max;
};

#define CX_DEFAULT_CABLE_MAX ((size_t)16 << 20) /* 16 MiB; largest real cable ~70 KB */
/* How far past its limit a reader looks for the end of an oversized line or
 * cable before it gives up on the rest of the input (a decompression bomb
 * or a binary file is not read to its end). */
#define CX_SKIP_MAX ((size_t)64 << 20)

CX_API void cx_buf_init(struct cx_buf *b, size_t max);
CX_API void cx_buf_free(struct cx_buf *b);
CX_API void cx_buf_reset(struct cx_buf *b); /* len = 0, keeps memory */
/* CX_OK, or CX_FAILED when the limit would be passed (b unchanged). */
CX_API int cx_buf_add(struct cx_buf *b, const void *data, size_t len);
/* Makes room for extra more bytes (and the NUL) after len, for a caller
 * that writes them in place: CX_FAILED past max, CX_FATAL out of memory. */
CX_API int cx_buf_reserve(struct cx_buf *b, size_t extra);
CX_API int cx_buf_addc(struct cx_buf *b, char c);
CX_API int cx_buf_adds(struct cx_buf *b, const char *s);
CX_API int cx_buf_printf(struct cx_buf *b, const char *fmt, ...) CX_PRINTF(2, 3);
/* Returns the bytes (caller frees) and leaves b empty. */
CX_API char *cx_buf_detach(struct cx_buf *b, size_t *len);
/* Replaces every byte that is not part of valid UTF-8 (overlong forms and
 * surrogates included) by U+FFFD.  Returns the number of bytes replaced (0:
 * b untouched) and the 1-based line of the first one in *first_line, or
 * (size_t)-1 when b would outgrow its max. */
CX_API size_t cx_buf_fix_utf8(struct cx_buf *b, unsigned long *first_line);
/* The same count for text[0..len) without changing it (text need not be
 * NUL-terminated): the bytes that are not part of valid UTF-8, and the
 * 1-based line of the first one in *first_line (0 when there is none). */
CX_API size_t cx_utf8_count_bad(const char *text, size_t len, unsigned long *first_line);
/* Checks the UTF-8 sequence at p (Unicode 3.9, table 3-7: no overlong
 * forms, no surrogates, nothing above U+10FFFF).  Returns its length with
 * *ok set, or, with *ok false, the length of the maximal ill-formed subpart,
 * which becomes one U+FFFD as Unicode recommends.  Never reads past a NUL,
 * so p must be NUL-terminated. */
CX_API size_t cx_utf8_check(const unsigned char *p, bool *ok);

/* The length of the valid UTF-8 sequence at s[0, n) (the same rules), or 0
 * when it is not one or is cut at n; reads nothing past s[n - 1], so the
 * text need not end in a NUL.  n must be at least 1. */
CX_API size_t cx_utf8_len(const unsigned char *s, size_t n);

/* The first byte in [p, e) that JSON string text cannot copy as it is: '"',
 * '\\', a control character, or a non-ASCII byte (to be checked); e when
 * there is none.  SSE2 or 8 bytes at a time. */
CX_API const char *cx_json_plain_end(const char *p, const char *e);
/* The same for other text: the first byte in [p, e) below 0x20, non-ASCII,
 * or one of stop[0..3] (repeat one to look for fewer); e when there is
 * none.  The XML writer's text is cx_scan_plain(p, e, "&<>>"). */
CX_API const char *cx_scan_plain(const char *p, const char *e, const char stop[4]);
/* The first byte in [p, e) that is a, b or c; e when there is none (SSE2 or
 * 8 bytes at a time). */
CX_API const char *cx_scan_any3(const char *p, const char *e, char a, char b, char c);
/* The newlines in [p, e): 16 bytes at a time with SSE2, not a memchr call
 * per line (cables have short lines). */
CX_API unsigned long cx_count_newlines(const char *p, const char *e);

/* ASCII letters in any case (no locale): does s[0, n) start with the
 * NUL-terminated w, and where does w first start in s[from, n) ((size_t)-1
 * when nowhere)? */
CX_API bool cx_starts_ci(const char *s, size_t n, const char *w);
CX_API size_t cx_find_ci(const char *s, size_t n, size_t from, const char *w);
/* The same in exact case: where w first starts in s[from, n). */
CX_API size_t cx_find(const char *s, size_t n, size_t from, const char *w);
/* Where a probe's text starts in head[0, len): after a UTF-8 byte order
 * mark (when bom) and blanks (space, tab, CR, LF); len when nothing is left. */
CX_API size_t cx_text_start(const unsigned char *head, size_t len, bool bom);
/* The entity of a character markup must escape: "&amp;", "&lt;", "&gt;",
 * "&quot;" for & < > "; NULL for any other. */
CX_API const char *cx_xml_entity(int c);

/* Room for one more item in the array *(T **)v of *cap items of size bytes
 * with n in use: when it is full, doubles it (first items the first time).
 * CX_OK, or CX_FATAL when out of memory (the array unchanged). */
CX_API int cx_grow(void *v, size_t *cap, size_t n, size_t size, size_t first);

/* A temporary file STEM.XXXXXX in $TMPDIR (else /tmp) for a plugin's spool:
 * its descriptor, its name in path[size] and its directory in *dir (for
 * messages); -1 with errno (ENAMETOOLONG: TMPDIR is too long).  The
 * caller unlinks it. */
CX_API int cx_temp_file(const char *stem, char *path, size_t size, const char **dir);
/* cx_temp_file with its failure said on ctx: "WHO: cannot create a
 * temporary file in DIR: why" or "WHO: TMPDIR is too long (N bytes)"
 * ("WHO: " left out when who is NULL).
 * Returns the descriptor, or code (< 0: CX_FAILED or CX_FATAL, as the
 * caller grades it) with no file made. */
CX_API int cx_temp_open(const char *who, const char *stem, char *path, size_t size, int code,
                        struct cx_ctx *ctx);
/* Writes the n bytes at p to fd whole, again after a signal or a short
 * write.  0, or -1 with errno (EIO when the kernel took nothing). */
CX_API int cx_write_full(int fd, const void *p, size_t n);

/* Writes code point cp (at most U+10FFFF) as UTF-8; returns its length. */
CX_API size_t cx_utf8_put(char out[4], unsigned long cp);

/* ---- a writer's output buffer and text escaping ---- */

#define CX_EMIT_BUF (64 * 1024)

/* Bytes a writer produces, gathered into large writes: to the stream out,
 * or, when out is NULL, appended to dst (writer_encode's record).  The first
 * error sticks in err (a stream's message is on the ctx it was opened
 * with; CX_FAILED when dst would pass its max); what comes after it is
 * dropped.  Set out, dst, err = 0 and len = 0 before use. */
struct cx_emitter {
  struct cx_ostream *out;
  struct cx_buf *dst;
  int err;
  size_t len;
  char buf[CX_EMIT_BUF];
};

/* Writes what is gathered; cx_emit_slow is cx_emit when it does not fit. */
CX_API void cx_emit_flush(struct cx_emitter *e);
CX_API void cx_emit_slow(struct cx_emitter *e, const void *p, size_t n);

/* Inline, so that short literals and escapes become plain stores. */
static inline void cx_emit(struct cx_emitter *e, const void *p, size_t n) {
  if (n > CX_EMIT_BUF - e->len) {
    cx_emit_slow(e, p, n);
    return;
  }
  memcpy(e->buf + e->len, p, n);
  e->len += n;
}
static inline void cx_emitc(struct cx_emitter *e, char c) {
  if (e->len == CX_EMIT_BUF) cx_emit_flush(e);
  e->buf[e->len++] = c;
}
static inline void cx_emits(struct cx_emitter *e, const char *s) {
  cx_emit(e, s, strlen(s));
}

/* How a format escapes text (JSON strings, XML content ...): the bytes
 * below 0x20 and those in stop (ASCII, repeat one for fewer than four) go
 * to esc, which writes their replacement to out and returns its length, or
 * 0 to keep the byte, the same for the same c (cx_emit_text reuses an
 * answer within a text).  With nonchars U+FFFE and U+FFFF go to esc too (c
 * is the code point). */
struct cx_escaper {
  char stop[4];
  bool nonchars;
  size_t (*esc)(unsigned long c, char out[32]);
};

/* Writes the NUL-terminated s to e escaped by x; a byte sequence that is
 * not UTF-8 becomes one U+FFFD for each maximal ill-formed subpart.
 * Returns the number of U+FFFD so written. */
CX_API size_t cx_emit_text(struct cx_emitter *e, const struct cx_escaper *x, const char *s);

/* ---- input ---- */
struct cx_istream;

/* Reads up to n bytes; returns the count, 0 at end, or a CX_* code < 0 with
 * the message on the stream's ctx (a truncated or corrupt gzip member is
 * CX_FATAL). */
CX_API long cx_istream_read(struct cx_istream *in, void *buf, size_t n);
/* Looks at the first bytes without consuming them (for probe()).  *head
 * stays valid until the next read.  Returns the number available (<= n). */
CX_API size_t cx_istream_peek(struct cx_istream *in, const unsigned char **head, size_t n);
/* Appends one line (with its '\n', if any) to line.  Returns CX_OK, CX_EOF
 * when nothing was left, CX_FAILED when the line exceeds line->max (the rest
 * of that line is skipped, so the next call starts on the next line), or
 * CX_FATAL when it has not ended CX_SKIP_MAX bytes past line->max (the rest
 * of the input is not read). */
CX_API int cx_istream_getline(struct cx_istream *in, struct cx_buf *line);
/* A record (one cable) collected line by line under a limit, as the line
 * readers do: cx_rec_lines_next hands out its lines and skips (and counts)
 * those over line->max, cx_rec_lines_add keeps a line while the record
 * fits.  Once an oversized record has gone CX_SKIP_MAX bytes past max
 * without ending, next gives up on the input (a decompression bomb is not
 * read to its end).  The caller owns the struct and the buffers. */
struct cx_rec_lines {
  size_t max;          /* the record's limit (set by the caller) */
  unsigned long lines; /* lines consumed from the input */
  size_t total;        /* bytes of the record seen: a lower bound when cut */
  bool any;            /* a line of the record was read */
  bool overflow;       /* the record passed max: it is not kept */
  bool cut;            /* a line over the limit was skipped */
  bool gave_up;        /* no end within CX_SKIP_MAX past max: input given up */
};
/* Starts a new record: total, any, overflow and cut cleared. */
CX_API void cx_rec_lines_start(struct cx_rec_lines *st);
/* The next line of in, in line (reset first): CX_OK; CX_EOF at the end of
 * the input, or when it gives up (gave_up set); or a stream error. */
CX_API int cx_rec_lines_next(struct cx_istream *in, struct cx_rec_lines *st, struct cx_buf *line);
/* Counts line into the record and appends it to rec while the record fits. */
CX_API void cx_rec_lines_add(struct cx_rec_lines *st, struct cx_buf *rec,
                             const struct cx_buf *line);
/* Appends everything left to all; CX_FAILED when it exceeds all->max. */
CX_API int cx_istream_read_all(struct cx_istream *in, struct cx_buf *all);
/* Zero-copy reading of a stream over plain memory (cx_istream_open_mem,
 * not gzip): points *data at the bytes not consumed yet and their count in
 * *len, without consuming them (data[*len] may not be readable).  false for
 * any other stream.  cx_istream_skip() then consumes n of them (a no-op on
 * other streams); neither counts lines. */
CX_API bool cx_istream_view(struct cx_istream *in, const char **data, size_t *len);
CX_API void cx_istream_skip(struct cx_istream *in, size_t n);
/* Whether the memory of a stream opened by cx_istream_open_memz has a
 * readable NUL after its last byte (data[*len] of a view that reaches the
 * end): a reader may then parse its last record in place. */
CX_API bool cx_istream_nul_after(const struct cx_istream *in);
/* The number of lines getline has returned so far: right after a getline,
 * the 1-based number of the line it returned (0 before the first). */
CX_API unsigned long cx_istream_line(const struct cx_istream *in);
CX_API const char *cx_istream_name(const struct cx_istream *in);
CX_API bool cx_istream_is_gzip(const struct cx_istream *in);
/* The descriptor under in when it reads a regular file as it is (no gzip),
 * for a bundle reader that must seek (zip, 7z): it dup()s it, seeks the
 * duplicate itself and no longer reads in.  Never close the one returned.
 * -1 for pipes, terminals, memory, callback streams and gzip. */
CX_API int cx_istream_seekable_fd(const struct cx_istream *in);

/* ---- output ---- */
struct cx_ostream;

CX_API int cx_ostream_write(struct cx_ostream *out, const void *data, size_t len);
CX_API int cx_ostream_puts(struct cx_ostream *out, const char *s);
CX_API const char *cx_ostream_name(const struct cx_ostream *out);
/* From now on the bytes written to out are gzip-compressed with the
 * core's encoder (ISA-L when built in; CABLEX_GZIP, CABLEX_GZIP_LEVEL), one
 * member ended by cx_ostream_commit().  For a writer that compresses its
 * whole output (a tar.gz bundle).  Only before the first write; CX_OK, or
 * CX_FAILED when out cannot (a memory stream, already gzip, written to),
 * CX_FATAL when memory runs out. */
CX_API int cx_ostream_gzip(struct cx_ostream *out);

/* For a writer that writes its file by name itself (a database engine):
 * the temporary file that commit renames onto the output's name, or NULL
 * when the output is not a plain file (stdout, a device, ".gz", memory) or
 * has been written to.  The writer then writes nothing through out. */
CX_API const char *cx_ostream_file(const struct cx_ostream *out);
/* For such a writer that updates the file already at the output's name in
 * place, in a transaction of its own (a database appended to): removes the
 * temporary file, so that commit and abort leave the file at the name as
 * the writer left it.  Returns the path to update (a symlink followed), or
 * NULL as cx_ostream_file() does (then nothing changed). */
CX_API const char *cx_ostream_in_place(struct cx_ostream *out);

/* ---- used by the core and by tests ---- */
/* Opens path ("-" = stdin).  gzip is recognised by its magic bytes and
 * undone transparently.  The ctx is borrowed for error messages and must
 * outlive the stream.  Returns NULL with the reason on ctx. */
CX_API struct cx_istream *cx_istream_open(const char *path, struct cx_ctx *ctx);
/* A stream over memory (not copied: data must outlive the stream). */
CX_API struct cx_istream *cx_istream_open_mem(const void *data, size_t len, const char *name,
                                              struct cx_ctx *ctx);
/* The same, where data[len] is a NUL that stays readable as long. */
CX_API struct cx_istream *cx_istream_open_memz(const void *data, size_t len, const char *name,
                                               struct cx_ctx *ctx);
/* A stream over a source the caller reads, such as an archive entry:
 * fn(user, buf, n) returns the count, 0 at end, or a CX_* code < 0 after
 * putting its message on ctx.  gzip is undone as for files.  The one who
 * opens it closes it (a bundle reader closes its entry streams itself). */
typedef long (*cx_read_fn)(void *user, void *buf, size_t n);
CX_API struct cx_istream *cx_istream_open_fn(cx_read_fn fn, void *user, const char *name,
                                             struct cx_ctx *ctx);
CX_API void cx_istream_close(struct cx_istream *in);

/* Opens path for writing ("-" = stdout).  A file is written to a temporary
 * file in the same directory and only renamed onto path by
 * cx_ostream_commit(); a name ending in ".gz" is gzip-compressed. */
CX_API struct cx_ostream *cx_ostream_open(const char *path, struct cx_ctx *ctx);
/* Finishes and renames into place; frees out.  Returns CX_OK or an error
 * (then nothing is left at path that was not there before). */
CX_API int cx_ostream_commit(struct cx_ostream *out);
/* Throws the output away (removes the temporary file); frees out. */
CX_API void cx_ostream_abort(struct cx_ostream *out);
/* Removes the temporary files of every output still open.  Async-signal-
 * safe: for a handler of SIGINT/SIGTERM, which then dies, so that a killed
 * run leaves no ".NAME.XXXXXX" behind. */
CX_API void cx_ostream_remove_temps(void);

/* An output appending to dst (bounded by dst->max: a write past it fails
 * with CX_FAILED and the message on ctx).  name is for messages.  Commit
 * and abort only free the stream: the bytes stay in dst. */
CX_API struct cx_ostream *cx_ostream_open_mem(struct cx_buf *dst, const char *name,
                                              struct cx_ctx *ctx);
/* cx_ostream_open() without the gzip a ".gz" name asks for: for bundle
 * writers, which compress themselves ("tar.gz"). */
CX_API struct cx_ostream *cx_ostream_open_plain(const char *path, struct cx_ctx *ctx);
/* Bytes read so far from the file under in (compressed bytes for gzip), or
 * -1 when it is not a file that can tell (stdin pipe, memory, callback). */
CX_API long long cx_istream_source_offset(const struct cx_istream *in);

#ifdef __cplusplus
}
#endif
#endif
