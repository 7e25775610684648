/* csv_reader.c - reads cables.csv rows (formats/csv.md): the leaked layout
 * (no header row, eight quoted fields, \" \' \\ escapes), or RFC 4180 when
 * the first line is the header row the writer writes.
 *
 * Streaming: a row is collected line by line into a bounded buffer
 * (max-cable-size, else CX_DEFAULT_CABLE_MAX), so memory stays flat
 * whatever the file's size.  A quote state machine runs over each line as
 * it arrives, so a newline inside a field continues the row.  A broken row
 * (a quote that is not closed or not escaped, a wrong number of fields, a
 * row too large) is CX_FAILED naming its line, and reading resumes at the
 * next line that starts a row ("<digits>","), so one bad row costs one
 * cable, not the rest of the file.
 *
 * The header and body fields, joined by a blank line, go through the shared
 * telegram parser after the row's id, date, origin and classification are
 * set.  What the model has no field for stays in extra (csv_sequence,
 * csv_references), and so does whatever the writer would not give back
 * byte for byte (csv_verbatim, csv_filled).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_plugin.h"

enum scan_state {
  S_FIELD, /* before a field */
  S_IN,    /* inside a quoted field */
  S_ESC,   /* after a backslash (cablegate) */
  S_QUOTE, /* after a quote inside a quoted field (rfc4180: "" or the end) */
  S_AFTER, /* after the closing quote */
  S_BARE,  /* inside an unquoted field (rfc4180) */
  S_END    /* the row has ended */
};

struct span {
  size_t start, end;  /* raw bytes in rec, quotes left out */
  unsigned long line; /* input line where the field starts */
  bool quoted;
};

struct csv_reader {
  /* lr.rec: the raw row; lr.rl.lines: lines read so far (the number of
   * lr.line); lr.rl.gave_up: no row started within CX_SKIP_MAX */
  struct cx_line_reader lr;
  enum csvp_dialect dialect;
  struct cx_buf dec;  /* decoded short fields */
  struct cx_buf tel;  /* header + separator + body */
  bool pending;       /* line holds a row start not yet used */
  bool line_too_long; /* line is the part kept of an overlong line */

  /* the row being scanned */
  enum scan_state st;
  int nf; /* fields completed */
  struct span f[CSVP_NFIELDS];
  size_t eol_start;
  unsigned long row_line;
  unsigned long bad_utf8, bad_utf8_line, nul_line;
  char head[160]; /* the first bytes of a line that may start a row */
  size_t head_len;
};

int csvp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  int rc = cx_line_reader_open(sizeof(struct csv_reader), in, opts, ctx, state);
  if (rc != CX_OK) return rc;
  struct csv_reader *r = *state;
  r->dialect = CSVP_CABLEGATE; /* an RFC 4180 header row switches it */
  cx_buf_init(&r->dec, r->lr.max + 64);
  cx_buf_init(&r->tel, r->lr.max + 8);
  return CX_OK;
}

void csvp_reader_close(void *state) {
  struct csv_reader *r = state;
  if (r) {
    cx_buf_free(&r->dec);
    cx_buf_free(&r->tel);
  }
  cx_line_reader_close(r);
}

/* The next line into r->lr.line: CX_OK, CX_EOF, or a stream error.  An overlong
 * line is CX_OK with line_too_long set. */
static int next_line(struct csv_reader *r) {
  if (r->pending) {
    r->pending = false;
    return CX_OK;
  }
  cx_buf_reset(&r->lr.line);
  r->line_too_long = false;
  int rc = cx_istream_getline(r->lr.in, &r->lr.line);
  if (rc == CX_EOF) {
    r->lr.eof = true;
    return CX_EOF;
  }
  r->lr.rl.lines++;
  if (rc == CX_FAILED) {
    r->line_too_long = true;
    return CX_OK;
  }
  if (rc < 0) return rc;
  if (r->lr.first) {
    r->lr.first = false;
    if (r->lr.line.len >= 3 && !memcmp(r->lr.line.data, "\xef\xbb\xbf", 3)) {
      memmove(r->lr.line.data, r->lr.line.data + 3, r->lr.line.len - 2);
      r->lr.line.len -= 3;
    }
    if (csvp_is_header_row(r->lr.line.data, r->lr.line.len)) {
      r->dialect = CSVP_RFC4180;
      return next_line(r);
    }
  }
  return CX_OK;
}

static bool line_starts_row(const struct csv_reader *r) {
  return !r->line_too_long && csvp_starts_row(r->lr.line.data, r->lr.line.len, r->dialect);
}

static bool line_is_blank(const struct csv_reader *r) {
  return !r->line_too_long && strspn(r->lr.line.data, "\r\n") == r->lr.line.len;
}

/* Skips lines up to the next row start (left pending).  *at is that line's
 * number, 0 at the end of the input.  Gives up (rest not read) after
 * CX_SKIP_MAX bytes without one. */
static int resync(struct csv_reader *r, unsigned long *at) {
  size_t skipped = 0;
  *at = 0;
  for (;;) {
    int rc = next_line(r);
    if (rc == CX_EOF) return CX_OK;
    if (rc < 0) return rc;
    if (line_starts_row(r)) {
      r->pending = true;
      *at = r->lr.rl.lines;
      return CX_OK;
    }
    skipped += r->line_too_long ? r->lr.max : r->lr.line.len;
    if (skipped > CX_SKIP_MAX) {
      r->lr.eof = r->lr.rl.gave_up = true;
      return CX_OK;
    }
  }
}

/* An id as messages show it: [p, end) up to a quote or comma, at most 40
 * bytes, every byte other than A-Z a-z 0-9 . _ - as '?'. */
static void show_id(const char *p, const char *end, char *id, size_t size) {
  size_t k = 0;
  for (; p && p < end && *p != '"' && *p != ',' && k + 1 < size && k < 40; p++)
    id[k++] = (isalnum((unsigned char)*p) || strchr("._-", *p)) ? *p : '?';
  id[k] = '\0';
}

/* Fails the current row: the message, then where reading goes on. */
static int broken(struct csv_reader *r, struct cx_ctx *ctx, unsigned long line, bool skip,
                  const char *fmt, const char *what) {
  /* the row's id once its field is read whole (the first line has it) */
  char id[48] = "";
  if (r->nf > CSVP_ID) {
    const char *rec = r->lr.rec.data;
    show_id(rec + r->f[CSVP_ID].start, rec + r->f[CSVP_ID].end, id, sizeof id);
  }
  unsigned long at = 0;
  if (skip) {
    int rc = resync(r, &at);
    if (rc < 0) return rc;
  }
  char where[96];
  if (!skip)
    where[0] = '\0';
  else if (at)
    snprintf(where, sizeof where, "; reading resumes at line %lu", at + ctx->line0);
  else if (r->lr.rl.gave_up)
    snprintf(where, sizeof where, "; no row starts within %zu MiB: rest of the input not read",
             CX_SKIP_MAX >> 20);
  else
    snprintf(where, sizeof where, "; no row follows");
  char msg[256];
  snprintf(msg, sizeof msg, fmt, what);
  return cx_error(ctx, CX_FAILED, line, "csv: row%s%s starting on line %lu: %s%s", *id ? " " : "",
                  id, r->row_line + ctx->line0, msg, where);
}

static const char *field_name(int nf) {
  return nf < CSVP_NFIELDS ? csvp_field_names[nf] : "beyond the eighth";
}

/* Runs the quote state machine over rec[from..].  Returns 1 when the row
 * ended, 0 when it goes on, -1 on a stray quote or byte (*bad set). */
static int scan(struct csv_reader *r, size_t from, const char **bad) {
  const char *s = r->lr.rec.data;
  size_t n = r->lr.rec.len;
  bool rfc = r->dialect == CSVP_RFC4180;
  size_t quote = 0; /* where the next quote is, once searched */
  bool searched = false;
  for (size_t i = from; i < n; i++) {
    char c = s[i];
    switch (r->st) {
    case S_FIELD:
      if (r->nf < CSVP_NFIELDS) r->f[r->nf].line = r->lr.rl.lines;
      if (c == '"') {
        if (r->nf < CSVP_NFIELDS) r->f[r->nf] = (struct span){i + 1, i + 1, r->lr.rl.lines, true};
        r->st = S_IN;
        break;
      }
      if (!rfc) {
        *bad = "field %s does not start with a quote";
        return -1;
      }
      if (r->nf < CSVP_NFIELDS) r->f[r->nf] = (struct span){i, i, r->lr.rl.lines, false};
      r->st = S_BARE;
      i--; /* the byte belongs to the field */
      break;
    case S_IN:
      /* plain bytes need no look: jump to the next quote or backslash
       * (memchr; the next quote is remembered, so that many backslashes
       * before it do not search the same bytes again) */
      if (!searched || quote < i) {
        searched = true;
        const char *q = memchr(s + i, '"', n - i);
        quote = q ? (size_t)(q - s) : n;
      }
      if (!rfc) {
        const char *b = memchr(s + i, '\\', quote - i);
        i = b ? (size_t)(b - s) : quote;
      } else {
        i = quote;
      }
      if (i == n) return 0;
      if (s[i] == '\\') {
        r->st = S_ESC;
      } else if (rfc) {
        r->st = S_QUOTE;
      } else {
        if (r->nf < CSVP_NFIELDS) r->f[r->nf].end = i;
        r->st = S_AFTER;
      }
      break;
    case S_ESC:
      r->st = S_IN;
      break;
    case S_QUOTE:
      if (c == '"') {
        r->st = S_IN;
        break;
      }
      if (r->nf < CSVP_NFIELDS) r->f[r->nf].end = i - 1;
      r->st = S_AFTER;
      i--;
      break;
    case S_AFTER:
    case S_BARE:
      if (r->st == S_BARE && c != ',' && c != '\r' && c != '\n') {
        if (c == '"') {
          *bad = "a quote inside the unquoted field %s";
          return -1;
        }
        break;
      }
      if (r->st == S_BARE && r->nf < CSVP_NFIELDS) r->f[r->nf].end = i;
      if (c == ',') {
        r->nf++;
        r->st = S_FIELD;
      } else if (c == '\n' || (c == '\r' && i + 1 < n && s[i + 1] == '\n')) {
        r->nf++;
        r->eol_start = i;
        r->st = S_END;
        return 1;
      } else {
        *bad = "a quote that is not escaped ends field %s too early (the byte after it is "
               "not a comma or the row end)";
        return -1;
      }
      break;
    case S_END:
      return 1;
    }
  }
  return 0;
}

/* Keeps the first bytes of the next line, which getline drops when the
 * line is longer than max-cable-size: a row that large is then reported
 * with its id, not as lines that start no row. */
static void keep_head(struct csv_reader *r) {
  const unsigned char *h;
  size_t n = r->pending ? 0 : cx_istream_peek(r->lr.in, &h, sizeof r->head - 1);
  if (n) memcpy(r->head, h, n);
  r->head_len = n;
  r->head[n] = '\0';
}

/* The id of the row whose first bytes are head (its third field); "" when
 * unknown. */
static void head_id(const struct csv_reader *r, char *id, size_t size) {
  const char *p = r->head, *end = r->head + r->head_len;
  for (int f = 0; f < 2 && p; f++) {
    p = memchr(p, ',', (size_t)(end - p));
    if (p) p++;
  }
  if (p && p < end && *p == '"') p++;
  show_id(p, end, id, size);
}

/* Collects one row into r->lr.rec with its field spans.  CX_OK, CX_EOF,
 * CX_FAILED (message on ctx) or a stream error. */
static int collect(struct csv_reader *r, struct cx_ctx *ctx) {
  /* a line that starts a row; blank lines between rows are nothing */
  unsigned long junk = 0, junk_line = 0;
  for (;;) {
    keep_head(r);
    int rc = next_line(r);
    if (rc == CX_EOF) {
      if (junk)
        return cx_error(ctx, CX_FAILED, junk_line,
                        "csv: %lu line%s that start no row (\"<digits>\",\"...) skipped", junk,
                        junk == 1 ? "" : "s");
      return CX_EOF;
    }
    if (rc < 0) return rc;
    if (line_starts_row(r)) break;
    if (r->line_too_long && !junk && csvp_starts_row(r->head, r->head_len, r->dialect)) {
      char id[48];
      head_id(r, id, sizeof id);
      r->row_line = r->lr.rl.lines;
      return cx_error(ctx, CX_FAILED, r->lr.rl.lines,
                      "csv: row%s%s starting on line %lu is larger than max-cable-size (%zu "
                      "bytes): its first line alone is longer; not converted",
                      *id ? " " : "", id, r->lr.rl.lines, r->lr.max);
    }
    if (line_is_blank(r)) continue;
    if (!junk++) junk_line = r->lr.rl.lines;
  }
  if (junk) {
    r->pending = true;
    return cx_error(ctx, CX_FAILED, junk_line,
                    "csv: %lu line%s that start no row (\"<digits>\",\"...) skipped up to line %lu",
                    junk, junk == 1 ? "" : "s", r->lr.rl.lines - 1 + ctx->line0);
  }

  cx_buf_reset(&r->lr.rec);
  r->st = S_FIELD;
  r->nf = 0;
  r->row_line = r->lr.rl.lines;
  r->bad_utf8 = r->bad_utf8_line = r->nul_line = 0;
  memset(r->f, 0, sizeof r->f);
  for (bool first = true;; first = false) {
    if (!first) {
      int rc = next_line(r);
      if (rc == CX_EOF) {
        if (r->st == S_AFTER || r->st == S_BARE || r->st == S_QUOTE) {
          /* the last row may lack its line end */
          if (r->st != S_AFTER && r->nf < CSVP_NFIELDS) r->f[r->nf].end = r->lr.rec.len;
          if (r->st == S_QUOTE && r->nf < CSVP_NFIELDS) r->f[r->nf].end = r->lr.rec.len - 1;
          r->nf++;
          r->eol_start = r->lr.rec.len;
          r->st = S_END;
          break;
        }
        return broken(r, ctx, r->lr.rl.lines, false,
                      "unbalanced quote: field %s is not closed at the end of the input",
                      field_name(r->nf));
      }
      if (rc < 0) return rc;
      if (r->st == S_IN && line_starts_row(r)) {
        /* a bare quote at a line start inside a field cannot be data */
        r->pending = true;
        char what[64];
        snprintf(what, sizeof what, "%s (opened on line %lu)", field_name(r->nf),
                 r->f[r->nf < CSVP_NFIELDS ? r->nf : 0].line + ctx->line0);
        return broken(r, ctx, r->lr.rl.lines - 1, false,
                      "unbalanced quote: field %s is not closed before the next row", what);
      }
    }
    if (r->line_too_long)
      return broken(r, ctx, r->lr.rl.lines, true, "%s",
                    "a line longer than max-cable-size: the row is too large");
    if (memchr(r->lr.line.data, '\0', r->lr.line.len) && !r->nul_line) r->nul_line = r->lr.rl.lines;
    unsigned long bl;
    size_t bad = cx_buf_fix_utf8(&r->lr.line, &bl);
    if (bad == (size_t)-1)
      return broken(r, ctx, r->lr.rl.lines, true, "%s",
                    "too large for max-cable-size once invalid UTF-8 is replaced");
    if (bad && !r->bad_utf8) r->bad_utf8_line = r->lr.rl.lines;
    r->bad_utf8 += bad;
    size_t from = r->lr.rec.len;
    if (cx_buf_add(&r->lr.rec, r->lr.line.data, r->lr.line.len) != CX_OK) {
      char what[64];
      snprintf(what, sizeof what, "larger than max-cable-size (%zu bytes)", r->lr.max);
      return broken(r, ctx, r->row_line, true, "%s", what);
    }
    const char *bad_msg = NULL;
    int sr = scan(r, from, &bad_msg);
    if (sr < 0) return broken(r, ctx, r->lr.rl.lines, true, bad_msg, field_name(r->nf));
    if (sr == 1) break;
  }
  if (r->nf != CSVP_NFIELDS) {
    char what[64];
    snprintf(what, sizeof what, "%d field%s, not %d", r->nf, r->nf == 1 ? "" : "s", CSVP_NFIELDS);
    return broken(r, ctx, r->row_line, false, "%s", what);
  }
  if (r->nul_line) return broken(r, ctx, r->nul_line, false, "%s", "a NUL byte: not cable text");
  return CX_OK;
}

/* ---- the cable ---- */

static int put_text(struct cx_value *obj, const char *key, const char *s, size_t n) {
  struct cx_value *v = cx_value_put(obj, key);
  return v ? cx_value_set_text(v, CX_VALUE_STRING, s, n) : CX_FATAL;
}

/* An object in extra under key, created on first use. */
static struct cx_value *extra_object(struct cx_cable *c, const char *key) {
  const struct cx_value *have = cx_value_get(&c->extra, key);
  if (have) return (struct cx_value *)have;
  struct cx_value *v = cx_value_put(&c->extra, key);
  if (v) v->kind = CX_VALUE_OBJECT;
  return v;
}

static const char *raw_of(const struct csv_reader *r, int f, size_t *n) {
  *n = r->f[f].end - r->f[f].start;
  return r->lr.rec.data + r->f[f].start;
}

/* Decodes field f into r->dec; *off is where it starts there. */
static int decode(struct csv_reader *r, int f, size_t *off, size_t *len, bool *canonical) {
  size_t n;
  const char *s = raw_of(r, f, &n);
  *off = r->dec.len;
  enum csvp_dialect d = r->f[f].quoted ? r->dialect : CSVP_RFC4180;
  if (!r->f[f].quoted) {
    if (cx_buf_add(&r->dec, s, n)) return CX_FAILED;
    *canonical = false;
  } else if (csvp_unescape(&r->dec, s, n, d, canonical)) {
    return CX_FAILED;
  }
  *len = r->dec.len - *off;
  return cx_buf_addc(&r->dec, '\0');
}

/* Makes extra's verbatim object (in verb) when first needed. */
#define VERBATIM()                                                                                 \
  do {                                                                                             \
    if (!verb && !(verb = extra_object(c, CSVP_EXTRA_VERBATIM))) return CX_FATAL;                  \
  } while (0)

/* The row's sequence (a JSON number unless a leading zero would make it
 * invalid) and references (split on |, "" is none) into extra. */
static int put_sequence_refs(struct cx_cable *c, const char *d, const size_t *off,
                             const size_t *len) {
  struct cx_value *seq = cx_value_put(&c->extra, CSVP_EXTRA_SEQUENCE);
  const char *sq = d + off[CSVP_SEQUENCE];
  bool number = len[CSVP_SEQUENCE] > 0 && strspn(sq, "0123456789") == len[CSVP_SEQUENCE] &&
                (sq[0] != '0' || len[CSVP_SEQUENCE] == 1);
  if (!seq ||
      cx_value_set_text(seq, number ? CX_VALUE_NUMBER : CX_VALUE_STRING, sq, len[CSVP_SEQUENCE]))
    return CX_FATAL;

  struct cx_value *refs = cx_value_put(&c->extra, CSVP_EXTRA_REFERENCES);
  if (!refs) return CX_FATAL;
  refs->kind = CX_VALUE_ARRAY;
  const char *rs = d + off[CSVP_REFERENCES], *re = rs + len[CSVP_REFERENCES];
  while (rs < re) {
    const char *bar = memchr(rs, '|', (size_t)(re - rs));
    const char *e = bar ? bar : re;
    struct cx_value *it = cx_value_append(refs);
    if (!it || cx_value_set_text(it, CX_VALUE_STRING, rs, (size_t)(e - rs))) return CX_FATAL;
    rs = e + 1;
    if (bar && rs == re) { /* a trailing | is an empty last id */
      it = cx_value_append(refs);
      if (!it || cx_value_set_text(it, CX_VALUE_STRING, "", 0)) return CX_FATAL;
    }
  }
  return CX_OK;
}

/* A cablegate row's fields the writer would not give back byte for byte,
 * into extra's verbatim object (*verb, made when first needed). */
static int cablegate_verbatim(struct csv_reader *r, struct cx_cable *c, const bool *canon,
                              bool hcanon, bool bcanon, struct cx_value **verbp) {
  struct cx_value *verb = *verbp;
  size_t hn, bn;
  const char *hs = raw_of(r, CSVP_HEADER, &hn), *bs = raw_of(r, CSVP_BODY, &bn);
  static const int text_f[] = {CSVP_ID, CSVP_ORIGIN, CSVP_CLASSIFICATION, CSVP_REFERENCES};
  for (int k = 0; k < 4; k++) {
    int f = text_f[k];
    if (canon[f] || !r->f[f].quoted) continue;
    size_t n;
    const char *s = raw_of(r, f, &n);
    VERBATIM();
    if (put_text(verb, csvp_field_names[f], s, n)) return CX_FATAL;
  }
  if (!hcanon) {
    VERBATIM();
    if (put_text(verb, "header", hs, hn)) return CX_FATAL;
  }
  if (!bcanon) {
    VERBATIM();
    if (put_text(verb, "body", bs, bn)) return CX_FATAL;
  }
  const char *eol = r->lr.rec.data + r->eol_start;
  size_t eoln = r->lr.rec.len - r->eol_start;
  const char *want = csvp_default_eol(c->header_text, c->body);
  if (eoln != strlen(want) || memcmp(eol, want, eoln)) {
    VERBATIM();
    if (put_text(verb, "eol", eol, eoln)) return CX_FATAL;
  }
  *verbp = verb;
  return CX_OK;
}

/* Fills c from the row.  CX_OK/CX_WARN, CX_FAILED or CX_FATAL. */
static int build(struct csv_reader *r, struct cx_cable *c, struct cx_ctx *ctx) {
  int result = CX_OK;
  size_t off[CSVP_NFIELDS], len[CSVP_NFIELDS];
  bool canon[CSVP_NFIELDS];
  cx_buf_reset(&r->dec);
  for (int f = 0; f < CSVP_NFIELDS; f++) {
    if (f == CSVP_HEADER || f == CSVP_BODY) continue;
    if (decode(r, f, &off[f], &len[f], &canon[f]) != CX_OK)
      return cx_error(ctx, CX_FAILED, r->row_line, "csv: row too large");
  }
  const char *d = r->dec.data; /* stable from here: dec no longer grows */
  bool cablegate = r->dialect == CSVP_CABLEGATE;
  struct cx_value *verb = NULL;

  if (put_sequence_refs(c, d, off, len)) return CX_FATAL;

  /* id, origin, classification: "" is absent */
  static const int meta[] = {CSVP_ID, CSVP_ORIGIN, CSVP_CLASSIFICATION};
  char **dst[] = {&c->id, &c->origin, &c->classification};
  for (int k = 0; k < 3; k++)
    if (len[meta[k]] && cx_set_n(dst[k], d + off[meta[k]], len[meta[k]])) return CX_FATAL;

  /* date */
  const char *ds = d + off[CSVP_DATE];
  char iso[20];
  if (len[CSVP_DATE]) {
    if (csvp_date_to_iso(ds, len[CSVP_DATE], iso)) {
      if (cx_set(&c->created, iso)) return CX_FATAL;
    } else {
      result = cx_warn(ctx, r->f[CSVP_DATE].line,
                       "csv: row starting on line %lu: date \"%.40s\" is not M/D/YYYY H:MM",
                       r->row_line + ctx->line0, ds);
    }
  }

  /* the telegram: header field, a blank line, body field */
  cx_buf_reset(&r->tel);
  size_t hn, bn;
  const char *hs = raw_of(r, CSVP_HEADER, &hn), *bs = raw_of(r, CSVP_BODY, &bn);
  bool hcanon = false, bcanon = false;
  enum csvp_dialect hd = r->f[CSVP_HEADER].quoted ? r->dialect : CSVP_RFC4180;
  enum csvp_dialect bd = r->f[CSVP_BODY].quoted ? r->dialect : CSVP_RFC4180;
  if (hn && !r->f[CSVP_HEADER].quoted && cx_buf_add(&r->tel, hs, hn))
    return cx_error(ctx, CX_FAILED, r->row_line, "csv: row too large");
  if (hn && r->f[CSVP_HEADER].quoted && csvp_unescape(&r->tel, hs, hn, hd, &hcanon))
    return cx_error(ctx, CX_FAILED, r->row_line, "csv: row too large");
  size_t hlen = r->tel.len;
  if (hlen && cx_buf_adds(&r->tel, csvp_telegram_separator(r->tel.data, hlen)))
    return cx_error(ctx, CX_FAILED, r->row_line, "csv: row too large");
  size_t tlen = r->tel.len;
  if (!r->f[CSVP_BODY].quoted ? cx_buf_add(&r->tel, bs, bn)
                              : csvp_unescape(&r->tel, bs, bn, bd, &bcanon))
    return cx_error(ctx, CX_FAILED, r->row_line, "csv: row too large");
  if (!hn) hcanon = r->f[CSVP_HEADER].quoted;
  if (!bn) bcanon = r->f[CSVP_BODY].quoted;

  bool had_id = c->id, had_created = c->created, had_class = c->classification,
       had_origin = c->origin;
  const char *text = r->tel.data ? r->tel.data : "";
  unsigned long tel_line = hn ? r->f[CSVP_HEADER].line : r->f[CSVP_BODY].line;
  int rc = cx_telegram_parse(c, text, r->tel.len, tel_line, ctx);
  if (rc == CX_FAILED || rc == CX_FATAL) return rc;
  if (rc == CX_WARN) result = CX_WARN;
  /* the fields of the row are the split, whatever the parser found */
  if (strlen(c->header_text) != tlen) {
    if (cx_set_n(&c->header_text, text, tlen) || cx_set_n(&c->body, text + tlen, r->tel.len - tlen))
      return CX_FATAL;
  }

  /* what the telegram filled in where the row was empty */
  struct cx_value *filled = NULL;
  const char *fill_v[] = {had_id ? NULL : c->id, had_created ? NULL : c->created,
                          had_class ? NULL : c->classification, had_origin ? NULL : c->origin};
  static const int fill_f[] = {CSVP_ID, CSVP_DATE, CSVP_CLASSIFICATION, CSVP_ORIGIN};
  for (int k = 0; k < 4; k++) {
    if (!fill_v[k]) continue;
    if (!filled && !(filled = extra_object(c, CSVP_EXTRA_FILLED))) return CX_FATAL;
    if (put_text(filled, csvp_field_names[fill_f[k]], fill_v[k], strlen(fill_v[k])))
      return CX_FATAL;
  }

  /* what the writer would not give back byte for byte */
  if (len[CSVP_DATE]) {
    struct cx_buf back;
    cx_buf_init(&back, 64);
    bool same = c->created && had_created && csvp_date_render(&back, c->created) == CX_OK &&
                back.len == len[CSVP_DATE] && !memcmp(back.data, ds, back.len);
    cx_buf_free(&back);
    if (!same) {
      VERBATIM();
      if (put_text(verb, "date", ds, len[CSVP_DATE])) return CX_FATAL;
    }
  }
  if (cablegate && cablegate_verbatim(r, c, canon, hcanon, bcanon, &verb)) return CX_FATAL;
#undef VERBATIM
  if (r->bad_utf8)
    result = cx_warn(ctx, r->bad_utf8_line,
                     "csv: %lu byte%s of invalid UTF-8 replaced by U+FFFD (first on this line)",
                     r->bad_utf8, r->bad_utf8 == 1 ? "" : "s");
  return result;
}

int csvp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct csv_reader *r = state;
  *cable = NULL;
  if (r->lr.eof && !r->pending) return CX_EOF;
  int rc = collect(r, ctx);
  if (rc != CX_OK) return rc;
  struct cx_cable *c = cx_cable_new();
  if (!c) return cx_error(ctx, CX_FATAL, r->row_line, "out of memory");
  rc = build(r, c, ctx);
  if (rc == CX_FATAL && ctx->code != CX_FATAL)
    cx_error(ctx, CX_FATAL, r->row_line, "out of memory");
  if (rc == CX_FAILED || rc == CX_FATAL) {
    cx_cable_free(c);
    return rc;
  }
  *cable = c;
  return rc;
}
