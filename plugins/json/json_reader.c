/* json_reader.c - reads cables from JSON, one record at a time.
 *
 * Accepted layouts: JSON Lines (one object per line, blank lines ignored), a
 * single object possibly spread over many lines, a sequence of such objects,
 * and top-level arrays of cable objects.  The input is never read whole: a
 * small framer finds where each record (one cable object) ends by tracking
 * brackets and strings, collects just that record in a bounded buffer
 * (option max-cable-size, default CX_DEFAULT_CABLE_MAX) and hands it to
 * jsonp_parse (json_parse.c), which builds the cable in one pass.  A record that is too big, is not
 * valid JSON or does not fit the model is CX_FAILED with its line (one that is valid JSON but no
 * object, or an object of another kind, is not a cable: skipped with a warning); the next call
 * goes on with the next record (a too big one that has not ended CX_SKIP_MAX bytes past the limit
 * ends the input instead: a decompression bomb is not inflated to its end).
 *
 * Resynchronising after a broken record: the first cable decides the
 * layout.  If it ends on its first line, or that line ends where pretty
 * JSON never breaks one (anywhere but after '{', '[', ',' or ':'), the input
 * is JSON Lines and every record ends at the end of its line at the latest,
 * so a truncated line costs only that line.  Otherwise the layout is
 * "pretty"; there a record
 * whose second line is indented deeper than its first one is cut short when
 * a '{' appears at or left of its own starting column while brackets are
 * still open, because in indented JSON that can only be the next cable.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "json_plugin.h"

#define JR_CHUNK (64 * 1024)
#define JR_KEEP ((size_t)1 << 20) /* a record buffer past this is freed after its record */

enum jr_mode { MODE_UNKNOWN, MODE_LINES, MODE_PRETTY };

struct jr {
  struct cx_istream *in;
  struct cx_buf rec; /* the current record */
  size_t max;
  unsigned char *chunk;
  size_t pos, end;
  bool eof;
  /* A stream over memory is framed where it lies (chunk points into it, in
   * windows of JR_CHUNK as reads would give) and each record parsed there,
   * not copied: it is mem[start, start + len). */
  bool mem;
  size_t mem_len, start, len;
  unsigned long line; /* 1-based line of chunk[pos] */
  size_t col;         /* 0-based byte column of chunk[pos] */
  enum jr_mode mode;
  bool in_array;
  unsigned long array_line;
  bool array_warned;            /* a value of this array was said not to be a cable */
  bool last_failed;             /* the previous record was reported as lost */
  struct jsonp_scratch scratch; /* jsonp_parse's */
};

/* Where the current record is and how it ended. */
struct frame {
  unsigned long line; /* first line */
  size_t col;         /* column of its first byte */
  bool overflow;      /* larger than max: not kept */
  bool oom;
  bool split;   /* cut short where the next cable starts */
  bool gave_up; /* oversized, and no end within CX_SKIP_MAX more */
};

int jsonp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  size_t i = 0;
  if (len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) i = 3;
  for (; i < len; i++) {
    unsigned char c = head[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[' ? 60 : 0;
  }
  return 0;
}

/* ---- framing ---- */

/* Makes chunk[pos] readable: 1, 0 at the end, or CX_FATAL (stream error,
 * message on the stream's ctx). */
/* Over memory: the next window of at most JR_CHUNK bytes, passed over in
 * the stream as a read would take it; its size (0 at the end). */
static size_t mem_window(struct jr *r) {
  size_t n = r->mem_len - r->end < JR_CHUNK ? r->mem_len - r->end : JR_CHUNK;
  cx_istream_skip(r->in, n);
  r->end += n;
  return n;
}

static int fill(struct jr *r) {
  if (r->pos < r->end) return 1;
  if (r->eof) return 0;
  if (r->mem) {
    size_t n = mem_window(r);
    if (n == 0) r->eof = true;
    return n > 0;
  }
  long n = cx_istream_read(r->in, r->chunk, JR_CHUNK);
  if (n < 0) return CX_FATAL;
  r->pos = 0;
  r->end = (size_t)n;
  if (n == 0) r->eof = true;
  return n > 0;
}

/* Appends chunk[from..pos) to the record unless it already overflowed. */
static void keep(struct jr *r, struct frame *f, size_t from) {
  if (f->overflow || f->oom || r->pos == from) return;
  if (r->mem) { /* the limit as cx_buf_add would apply it */
    size_t limit = r->max ? r->max : SIZE_MAX - 1;
    if (r->len > limit || r->pos - from > limit - r->len)
      f->overflow = true;
    else
      r->len += r->pos - from;
    return;
  }
  int rc = cx_buf_add(&r->rec, r->chunk + from, r->pos - from);
  if (rc == CX_FAILED)
    f->overflow = true;
  else if (rc < 0)
    f->oom = true;
}

static void advance(struct jr *r) {
  r->pos++;
  r->col++;
}

/* Skips the blanks between records and the punctuation of top-level
 * arrays: > 0 at the first byte of a record, 0 at the end, or an error. */
static int skip_between(struct jr *r) {
  for (;;) {
    int rc = fill(r);
    if (rc <= 0) return rc;
    unsigned char c = r->chunk[r->pos];
    if (c == '\n') {
      r->pos++;
      r->line++;
      r->col = 0;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      advance(r);
    } else if (r->in_array && (c == ',' || c == ']')) {
      if (c == ']') r->in_array = false;
      advance(r);
    } else if (!r->in_array && c == '[') {
      r->in_array = true;
      r->array_warned = false;
      r->array_line = r->line;
      advance(r);
    } else {
      return rc;
    }
  }
}

/* Byte c inside a string: true when it was consumed (a run of plain
 * string bytes at once); false at a raw newline, which JSON strings never
 * hold: the string is broken (the parser will say where) and the framing
 * goes on outside it. */
static bool string_byte(struct jr *r, unsigned char c, bool *instr, bool *esc, unsigned char *last,
                        bool *broken) {
  if (*esc) {
    *esc = false;
    if (c != '\n') {
      advance(r);
      return true;
    }
  } else if (c == '\\') {
    *esc = true;
    advance(r);
    return true;
  } else if (c == '"') {
    *instr = false;
    *last = c;
    advance(r);
    return true;
  } else if (c != '\n') {
    const char *p = (const char *)r->chunk + r->pos;
    size_t n = (size_t)(cx_scan_any3(p, (const char *)r->chunk + r->end, '"', '\\', '\n') - p);
    r->pos += n;
    r->col += n;
    return true;
  }
  *instr = false;
  *broken = true;
  return false;
}

/* Finds the next record: CX_OK (in r->rec, described by f), CX_EOF or
 * CX_FATAL. */
static int frame(struct jr *r, struct frame *f) {
  int rc = skip_between(r);
  if (rc <= 0) return rc < 0 ? rc : CX_EOF;
  memset(f, 0, sizeof *f);
  f->line = r->line;
  f->col = r->col;
  cx_buf_reset(&r->rec);
  r->start = r->pos;
  r->len = 0;
  unsigned char first = r->chunk[r->pos];
  bool scalar = first != '{' && first != '['; /* not a cable: framed to the parser's verdict */
  long depth = 0;
  bool instr = false, esc = false, line_start = false, broken_string = false;
  unsigned char last = 0; /* last non-blank byte of the line outside strings */
  size_t indent = 0;
  int indented = -1; /* is the record's second line indented past its first? */
  size_t from = r->pos;
  size_t seen = 0; /* bytes of the record before chunk[from] */
  for (;;) {
    if (r->pos == r->end) {
      keep(r, f, from);
      seen += r->pos - from;
      if (f->overflow && seen > r->max && seen - r->max > CX_SKIP_MAX) {
        /* no end in sight (a decompression bomb?): stop reading */
        f->gave_up = true;
        r->eof = true;
        return CX_OK;
      }
      rc = fill(r);
      if (rc < 0) return rc;
      if (rc == 0) return CX_OK; /* incomplete: the parser will say so */
      from = r->pos;
    }
    unsigned char c = r->chunk[r->pos];
    if (instr && string_byte(r, c, &instr, &esc, &last, &broken_string)) continue;
    if (line_start) {
      if (c == ' ' || c == '\t') {
        indent++;
        advance(r);
        continue;
      }
      line_start = false;
      if (c != '\n' && c != '\r') {
        if (indented < 0) indented = indent > f->col;
        if (r->mode == MODE_PRETTY && indented == 1 && depth > 0 && c == '{' && indent <= f->col) {
          keep(r, f, from);
          f->split = true;
          return CX_OK;
        }
      }
    }
    switch (c) {
    case '\n':
      if (scalar || (r->mode == MODE_LINES && depth > 0)) {
        keep(r, f, from);
        return CX_OK;
      }
      if (r->mode == MODE_UNKNOWN) {
        /* The first cable's first line: pretty JSON breaks lines after an
         * opening bracket, a comma or a colon, never inside a string; any
         * other line end is a JSON Lines record cut short. */
        if (!broken_string && (last == '{' || last == '[' || last == ',' || last == ':')) {
          r->mode = MODE_PRETTY;
        } else {
          r->mode = MODE_LINES;
          keep(r, f, from);
          return CX_OK;
        }
      }
      r->pos++;
      last = 0;
      r->line++;
      r->col = 0;
      line_start = true;
      indent = 0;
      continue;
    case '"':
      instr = true;
      break;
    case '{':
    case '[':
      depth++;
      break;
    case '}':
    case ']':
      if (depth > 0 && --depth == 0 && !scalar) {
        advance(r);
        keep(r, f, from);
        if (r->mode == MODE_UNKNOWN) r->mode = MODE_LINES;
        return CX_OK;
      }
      if (scalar && depth == 0 && c == ']' && r->in_array) {
        keep(r, f, from);
        return CX_OK;
      }
      break;
    case ',':
      if (scalar && depth == 0 && r->in_array) {
        keep(r, f, from);
        return CX_OK;
      }
      break;
    default:
      break;
    }
    if (c != ' ' && c != '\t' && c != '\r') last = c;
    advance(r);
  }
}

/* JSON Lines over memory: a record that is valid JSON is its whole line
 * (blanks may follow it), so the line is found with memchr and parsed at
 * once.  True when that parse found no syntax error (c and res are its
 * result, the line consumed); otherwise nothing has moved, and frame()
 * finds where the record really ends, byte by byte. */
static bool whole_line(struct jr *r, struct frame *f, struct cx_cable **c,
                       struct jsonp_result *res) {
  if (!r->mem || r->mode != MODE_LINES || r->in_array || skip_between(r) <= 0 || r->in_array ||
      r->chunk[r->pos] != '{')
    return false;
  const unsigned char *s = r->chunk + r->pos;
  const unsigned char *nl = memchr(s, '\n', r->mem_len - r->pos);
  size_t full = nl ? (size_t)(nl - s) : r->mem_len - r->pos, len = full;
  if (full > (r->max ? r->max : SIZE_MAX - 1)) return false;
  /* only what the parser takes for blanks: a NUL after the object is an error */
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
    len--;
  jsonp_parse((const char *)s, len, full, &r->scratch, c, res);
  if (res->syntax) return false;
  memset(f, 0, sizeof *f);
  f->line = r->line;
  f->col = r->col;
  r->pos += full;
  r->col += full;
  while (r->end < r->pos) /* the windows frame() would have gone through */
    mem_window(r);
  return true;
}

/* ---- the reader ---- */

int jsonp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                      void **state) {
  size_t max;
  if (cx_options_max_cable_size(opts, ctx, &max) != CX_OK) return CX_FATAL;
  struct jr *r = calloc(1, sizeof *r);
  if (r) r->chunk = malloc(JR_CHUNK);
  if (!r || !r->chunk) {
    free(r);
    return cx_error(ctx, CX_FATAL, 0, "json: out of memory");
  }
  r->in = in;
  r->max = max;
  r->line = 1;
  cx_buf_init(&r->rec, max);
  const unsigned char *head;
  if (cx_istream_peek(in, &head, 3) == 3 && !memcmp(head, "\xEF\xBB\xBF", 3)) {
    unsigned char bom[3];
    if (cx_istream_read(in, bom, 3) < 0) {
      jsonp_reader_close(r);
      return CX_FATAL;
    }
  }
  const char *data;
  if (cx_istream_view(in, &data, &r->mem_len)) {
    free(r->chunk);
    r->chunk = (unsigned char *)(uintptr_t)data; /* only read */
    r->mem = true;
  }
  *state = r;
  return CX_OK;
}

/* Keys that make an object a cable whatever else it holds: an id, or a
 * telegram. */
static bool names_a_cable(uint32_t seen) {
  static const enum cx_field_id core[] = {CX_F_CABLE_id,     CX_F_CABLE_canonical_id,
                                          CX_F_CABLE_header, CX_F_CABLE_header_text,
                                          CX_F_CABLE_body,   CX_F_CABLE_paragraphs};
  for (size_t i = 0; i < sizeof core / sizeof core[0]; i++)
    if (seen & (UINT32_C(1) << cx_fields[core[i]].index)) return true;
  return false;
}

static int read_one(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct jr *r = state;
  struct frame f;
  struct jsonp_result res;
  struct cx_cable *c = NULL;
  *cable = NULL;
  bool parsed = whole_line(r, &f, &c, &res);
  int rc = parsed ? CX_OK : frame(r, &f);
  if (rc == CX_EOF) {
    if (r->in_array) {
      r->in_array = false;
      if (!r->last_failed)
        return cx_error(ctx, CX_FAILED, r->line,
                        "json: the array opened on line %lu is not closed (truncated input?)",
                        r->array_line);
    }
    return CX_EOF;
  }
  if (rc < 0) {
    if (ctx && ctx->code != CX_FATAL) cx_error(ctx, CX_FATAL, r->line, "json: read error");
    return CX_FATAL;
  }
  r->last_failed = true;
  if (f.oom) return cx_error(ctx, CX_FATAL, f.line, "json: out of memory");
  if (f.gave_up)
    return cx_error(ctx, CX_FAILED, f.line,
                    "json: the cable starting here is larger than max-cable-size (%zu bytes) and "
                    "has no end within %zu MiB more: rest of the input not read",
                    r->max, CX_SKIP_MAX >> 20);
  if (f.overflow)
    return cx_error(ctx, CX_FAILED, f.line,
                    "json: the cable starting here is larger than max-cable-size (%zu bytes); "
                    "not converted",
                    r->max);

  /* Trailing blanks of a cut record would move the parser's "premature end"
   * past the last line that holds something. */
  if (!parsed) {
    const char *text = r->mem ? (const char *)r->chunk + r->start : r->rec.data;
    size_t full = r->mem ? r->len : r->rec.len, len = full;
    while (len && strchr(" \t\r\n", text[len - 1]))
      len--;
    jsonp_parse(text, len, full, &r->scratch, &c, &res);
  }
  /* The cable holds its own copies: one huge record's buffers are not kept
   * (with the cable) while it is written, nor for the rest of the input. */
  if (r->rec.cap > JR_KEEP) cx_buf_free(&r->rec);
  if (r->scratch.cap > JR_KEEP) {
    free(r->scratch.data);
    r->scratch.data = NULL;
    r->scratch.cap = 0;
  }
  if (!res.syntax && res.code != CX_FATAL && res.nother && !names_a_cable(res.seen)) {
    /* another kind of JSON document (a sidecar of metadata): no id, no
     * telegram, keys outside the model */
    cx_cable_free(c);
    r->last_failed = false;
    cx_warn(ctx, f.line,
            "json: not a cable (neither id nor telegram, and %zu key%s outside the model): "
            "skipped",
            res.nother, res.nother == 1 ? "" : "s");
    return CX_SKIPPED;
  }
  if (!res.syntax && res.not_object) {
    /* valid JSON, but no object ("[1,2,3]", "hello", 42): not a cable;
     * said once for an array of them */
    r->last_failed = false;
    if (r->in_array && r->array_warned) return CX_SKIPPED;
    char rest[96] = "";
    if (r->in_array) {
      r->array_warned = true;
      snprintf(rest, sizeof rest,
               ", as is any other value of the array opened on line %lu that is not an object",
               r->array_line);
    }
    cx_warn(ctx, f.line, "json: not a cable (%s, not an object): skipped%s", res.not_object, rest);
    return CX_SKIPPED;
  }
  if (res.syntax) {
    unsigned long line = f.line + res.line - 1;
    long col = res.column;
    if (res.line == 1) col += (long)f.col;
    char where[96] = "";
    if (line != f.line)
      snprintf(where, sizeof where, " (in the cable starting on line %lu)", f.line);
    return cx_error(ctx, CX_FAILED, line, "json: invalid JSON at column %ld: %s%s%s", col, res.msg,
                    where, f.split ? "; the next cable starts before this one ends" : "");
  }
  if (res.code) return cx_error(ctx, res.code, f.line, "json: %s", res.msg);
  r->last_failed = false;
  if (cx_cable_is_empty(c)) {
    /* nothing to write a cable from: a writer must not invent one */
    cx_cable_free(c);
    return cx_error(ctx, CX_FAILED, f.line,
                    "json: not a cable: an object with neither id nor telegram nor any other "
                    "field of a cable");
  }
  *cable = c;
  if (res.nmoved)
    return cx_error(ctx, CX_WARN, f.line, "json: key%s %s not in the model, kept in extra",
                    res.nmoved == 1 ? "" : "s", res.moved);
  return CX_OK;
}

int jsonp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  return cx_read_skipping(read_one, state, ctx, cable);
}

void jsonp_reader_close(void *state) {
  struct jr *r = state;
  if (!r) return;
  cx_buf_free(&r->rec);
  free(r->scratch.data);
  if (!r->mem) free(r->chunk);
  free(r);
}
