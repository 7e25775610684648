/* raw_reader.c - reads raw cables (formats/raw.md): one cable per input,
 * or several separated by form-feed lines; each one optionally starts with
 * the web-page metadata block, then the telegram goes to the shared parser.
 *
 * Over memory (every unit a worker parses) a cable is found in place, with
 * one memchr pass for the form feeds, and parsed where it lies; it is
 * copied once only when the byte after it is not known to be readable (the
 * last cable of a memory not opened by cx_istream_open_memz, which the run
 * uses for its units) or its invalid UTF-8 must be replaced.  Other
 * streams, and a cable larger than the limit, are collected line by line
 * in a bounded buffer (max-cable-size, else CX_DEFAULT_CABLE_MAX): a larger
 * one is CX_FAILED with its size, and reading goes on after the next
 * separator, unless none comes within CX_SKIP_MAX bytes past the limit:
 * then the rest of the input is not read.
 */
#include <stdlib.h>
#include <string.h>

#include "raw_plugin.h"

/* The reader's state is a struct cx_line_reader as it is: rec holds the
 * cable when it is collected line by line or copied. */

#define RAW_PRESIZE ((size_t)32 << 10)

static void presize(struct cx_buf *b, size_t size) {
  b->data = malloc(size + 1);
  if (!b->data) return; /* it grows as usual */
  b->data[0] = '\0';
  b->cap = size + 1;
}

int rawp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  int rc = cx_line_reader_open(sizeof(struct cx_line_reader), in, opts, ctx, state);
  if (rc != CX_OK) return rc;
  struct cx_line_reader *r = *state;
  /* Room for a typical cable from the start: a reader is opened for each
   * small file, and growing from 64 bytes cost a dozen reallocs a cable.
   * The limits stay those of max (cx_buf checks them, not cap). */
  const char *view;
  size_t n;
  if (cx_istream_view(in, &view, &n) && cx_istream_nul_after(in))
    return CX_OK; /* cables are parsed in place: rec and line are rarely used */
  presize(&r->rec, RAW_PRESIZE < r->max ? RAW_PRESIZE : r->max);
  presize(&r->line, 256);
  return CX_OK;
}

void rawp_reader_close(void *state) {
  cx_line_reader_close(state);
}

static bool is_separator(const struct cx_buf *l) {
  return (l->len == 2 && !memcmp(l->data, "\f\n", 2)) ||
         (l->len == 3 && !memcmp(l->data, "\f\r\n", 3)) || (l->len == 1 && l->data[0] == '\f');
}

static bool is_blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!strchr(" \t\r\n", s[i])) return false;
  return true;
}

/* The next separator line in [p, end): its first byte (*sep, NULL when
 * there is none) and the end of the line (*after; end when none). */
static void find_separator(const char *p, const char *end, const char **sep, const char **after) {
  const char *base = p;
  *sep = NULL;
  *after = end;
  for (; (p = memchr(p, '\f', (size_t)(end - p))); p++) {
    if (p != base && p[-1] != '\n') continue;
    size_t left = (size_t)(end - p);
    size_t n = left == 1 ? 1 : p[1] == '\n' ? 2 : left >= 3 && p[1] == '\r' && p[2] == '\n' ? 3 : 0;
    if (n) {
      *sep = p;
      *after = p + n;
      return;
    }
  }
}

#define RAW_SLOW 1 /* collect_view: this cable takes the line-by-line path */

/* The in-place path over memory: the next cable's text, in the stream's
 * memory, or in r->rec when the byte after it is not known.  Returns
 * CX_OK, CX_EOF, RAW_SLOW (not memory, or a cable over the limit: nothing
 * consumed) or CX_FATAL. */
static int collect_view(struct cx_line_reader *r, unsigned long *start, const char **text,
                        size_t *len) {
  for (;;) {
    const char *base;
    size_t n;
    if (!cx_istream_view(r->in, &base, &n)) return RAW_SLOW;
    if (n == 0) {
      r->eof = true;
      return CX_EOF;
    }
    const char *end = base + n, *sep, *after;
    find_separator(base, end, &sep, &after);
    size_t total = (size_t)((sep ? sep : end) - base);
    if (total > r->max) return RAW_SLOW;
    *start = r->rl.lines + 1;
    /* only a cable after this one needs its lines counted: the last one's
     * are never asked for (nothing is read after it) */
    if (sep) r->rl.lines += cx_count_newlines(base, after);
    cx_istream_skip(r->in, (size_t)(after - base));
    size_t keep = total;
    if (sep && keep) { /* the newline before the form feed belongs to the separator */
      keep--;
      if (after - sep == 3 && keep && base[keep - 1] == '\r') keep--;
    }
    if (total && !is_blank(base, keep)) {
      *text = base;
      *len = keep;
      if (sep) return CX_OK; /* base[keep] is the separator's '\n' or '\r' */
      if (cx_istream_nul_after(r->in)) return CX_OK; /* the NUL after the memory */
      cx_buf_reset(&r->rec);
      if (cx_buf_add(&r->rec, base, keep) != CX_OK) return CX_FATAL;
      *text = r->rec.data;
      return CX_OK;
    }
    if (!sep) {
      r->eof = true;
      return CX_EOF;
    }
  }
}

/* Collects the next cable's bytes into r->rec.  Returns CX_OK, CX_EOF,
 * CX_FAILED (too big: *size holds the bytes seen, *cut is set when a line
 * too long to keep made that a lower bound) or a stream error. */
static int collect(struct cx_line_reader *r, unsigned long *start, size_t *size, bool *cut) {
  struct cx_rec_lines *st = &r->rl;
  for (;;) {
    cx_rec_lines_start(st);
    cx_buf_reset(&r->rec);
    *start = st->lines + 1;
    for (;;) {
      int rc = cx_rec_lines_next(r->in, st, &r->line);
      if (rc == CX_EOF) {
        r->eof = true;
        break;
      }
      if (rc < 0) return rc;
      if (is_separator(&r->line)) {
        /* the newline before the form feed belongs to the separator */
        if (r->rec.len && r->rec.data[r->rec.len - 1] == '\n') {
          r->rec.len--;
          if (r->line.len == 3 && r->rec.len && r->rec.data[r->rec.len - 1] == '\r') r->rec.len--;
          r->rec.data[r->rec.len] = '\0';
        }
        break;
      }
      cx_rec_lines_add(st, &r->rec, &r->line);
    }
    *size = st->total;
    *cut = st->cut;
    if (st->overflow) return CX_FAILED;
    /* nothing but blanks between separators (or at the end): no cable */
    if (st->any && !is_blank(r->rec.data, r->rec.len)) return CX_OK;
    if (r->eof) return CX_EOF;
  }
}

/* Puts text[0..len) in r->rec (it may already lie there, after a BOM) and
 * replaces its invalid UTF-8.  Returns the bytes replaced, (size_t)-1 when
 * that outgrows the limit, (size_t)-2 when memory runs out. */
static size_t fix_copy(struct cx_line_reader *r, const char *text, size_t len,
                       unsigned long *bad_line) {
  if (r->rec.data && text >= r->rec.data && text <= r->rec.data + r->rec.len) {
    memmove(r->rec.data, text, len);
    r->rec.len = len;
    r->rec.data[len] = '\0';
  } else {
    cx_buf_reset(&r->rec);
    if (cx_buf_add(&r->rec, text, len) != CX_OK) return (size_t)-2;
  }
  return cx_buf_fix_utf8(&r->rec, bad_line);
}

/* The next cable's text by either path: CX_OK with *text, *len and
 * *start, CX_EOF, or an error on ctx. */
static int next_text(struct cx_line_reader *r, struct cx_ctx *ctx, const char **text, size_t *len,
                     unsigned long *start) {
  size_t size = 0;
  bool cut = false;
  int rc = collect_view(r, start, text, len);
  if (rc == CX_FATAL) return cx_error(ctx, CX_FATAL, *start, "out of memory");
  if (rc != RAW_SLOW) return rc;
  rc = collect(r, start, &size, &cut);
  if (rc == CX_EOF) return CX_EOF;
  if (rc == CX_FAILED && r->rl.gave_up)
    return cx_error(ctx, CX_FAILED, *start,
                    "raw: cable of at least %zu bytes is larger than max-cable-size (%zu bytes) "
                    "and has no separator within %zu MiB more: rest of the input not read",
                    size, r->max, CX_SKIP_MAX >> 20);
  if (rc == CX_FAILED)
    return cx_error(ctx, CX_FAILED, *start,
                    "raw: cable of %s%zu bytes is larger than max-cable-size (%zu bytes)",
                    cut ? "at least " : "", size, r->max);
  if (rc < 0) return rc;
  *text = r->rec.data;
  *len = r->rec.len;
  return CX_OK;
}

static int read_one(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct cx_line_reader *r = state;
  unsigned long start = 0;
  const char *text = NULL;
  size_t len = 0;
  *cable = NULL;
  if (r->eof) return CX_EOF;
  int rc = next_text(r, ctx, &text, &len, &start);
  if (rc != CX_OK) return rc;

  int result = CX_OK;
  /* a UTF-8 byte order mark is not part of the cable */
  if (r->first && len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
    text += 3;
    len -= 3;
  }
  r->first = false;
  const char *nul = memchr(text, '\0', len);
  if (nul) {
    unsigned long line = start;
    for (const char *p = text; p < nul; p++)
      if (*p == '\n') line++;
    return cx_error(ctx, CX_FAILED, line, "raw: NUL byte in the text: not a cable");
  }
  unsigned long bad_line;
  size_t bad = cx_utf8_count_bad(text, len, &bad_line);
  if (bad) {
    bad = fix_copy(r, text, len, &bad_line);
    if (bad == (size_t)-1)
      return cx_error(ctx, CX_FAILED, start,
                      "raw: cable too large for max-cable-size (%zu bytes) once its invalid "
                      "UTF-8 bytes are replaced",
                      r->max);
    if (bad == (size_t)-2) return cx_error(ctx, CX_FATAL, start, "out of memory");
    result = cx_warn(ctx, start + bad_line - 1,
                     "raw: %zu byte%s of invalid UTF-8 replaced by U+FFFD (first on this line)",
                     bad, bad == 1 ? "" : "s");
    text = r->rec.data;
    len = r->rec.len;
  }

  struct cx_cable *c = cx_cable_new();
  if (!c) return cx_error(ctx, CX_FATAL, start, "out of memory");
  /* the page's metadata, set first, wins over what the telegram says */
  struct rawp page;
  int pr = rawp_parse(text, len, &page, c);
  if (pr == CX_FATAL) {
    cx_cable_free(c);
    return cx_error(ctx, CX_FATAL, start, "out of memory");
  }
  size_t skip = 0;
  unsigned long tel_line = start;
  if (pr == 1) {
    if (page.created_bad)
      result = cx_warn(ctx, start + 5, "raw: Created value is not a date (YYYY-MM-DD HH:MM:SS)");
    struct cx_value *v = cx_value_put(&c->extra, "raw_page");
    if (!v || cx_value_set_text(v, CX_VALUE_STRING, text, page.len)) {
      cx_cable_free(c);
      return cx_error(ctx, CX_FATAL, start, "out of memory");
    }
    skip = page.len;
    tel_line = start + page.lines;
  }
  rc = cx_telegram_parse(c, text + skip, len - skip, tel_line, ctx);
  if (rc == CX_FAILED || rc == CX_FATAL) {
    cx_cable_free(c);
    return rc;
  }
  if (rc == CX_WARN) result = CX_WARN;
  /* no page block and none of a cable's anatomy (the tail of an
   * upper-case telegram with its signer's line still has some) */
  if (pr != 1 && !cx_cable_has_anatomy(c)) {
    cx_cable_free(c);
    cx_warn(ctx, start,
            "raw: not a cable (no page block, banner, DTG, header, captions or marked "
            "paragraphs): skipped");
    return CX_SKIPPED;
  }
  *cable = c;
  return result;
}

int rawp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  return cx_read_skipping(read_one, state, ctx, cable);
}
