/* csv_split.c - record_split for the csv reader (ABI 1.1): where a large
 * cablegate-layout file can be cut so that each part, read on its own,
 * gives the same cables and the same messages as the whole file read in
 * one go.
 *
 * One pass over the bytes runs the reader's quote state machine (quoted
 * fields, backslash escapes, a row-start line inside a field breaking the
 * row, as csv_reader.c does), jumping from quote to backslash to newline
 * with memchr.  A cut goes only after a row that ended well (eight fields,
 * nothing stray; a wrong number of fields fails that row alone) and before a line that starts a
 * row: there the reader starts afresh whatever came before.  After a broken row the pass goes on
 * from the line where the reader resumes.  A file that starts with the
 * RFC 4180 header row is never cut (each part would have to know the
 * dialect that row sets), nor is a row larger than SPLIT_ROW_MAX followed
 * by a cut, so that with the default max-cable-size no row before a cut is
 * one the reader refuses (its message would say what follows it).
 */
#include <string.h>

#include "csv_plugin.h"

#define SPLIT_ROW_MAX ((size_t)4 << 20)

struct cut_scan {
  const char *end;
};

static bool at_row_start(const struct cut_scan *c, const char *p) {
  return csvp_starts_row(p, (size_t)(c->end - p), CSVP_CABLEGATE);
}

/* The line after p's line, or NULL when it does not end within the data. */
static const char *next_line(const struct cut_scan *c, const char *p) {
  const char *nl = memchr(p, '\n', (size_t)(c->end - p));
  return nl ? nl + 1 : NULL;
}

/* The next line at or after p that starts a row (where the reader resumes
 * after a broken row), or NULL when none is known within the data. */
static const char *resync(const struct cut_scan *c, const char *p) {
  while (p && p < c->end && !at_row_start(c, p))
    p = next_line(c, p);
  return p && p < c->end ? p : NULL;
}

enum row_end { ROW_OK, ROW_BAD, ROW_MORE };

/* The next byte c at or after p, or end: remembered in *at, so that many
 * lines or escapes before it do not search the same bytes again. */
static const char *next_of(const struct cut_scan *c, const char *p, int ch, const char **at) {
  if (!*at || *at < p) {
    const char *f = memchr(p, ch, (size_t)(c->end - p));
    *at = f ? f : c->end;
  }
  return *at;
}

/* Reads the quoted field that starts after the quote at p.  Returns the
 * closing quote, or NULL with *resume set: at a line that starts a row
 * inside the field (the reader breaks the row there), or NULL too when the
 * data ends first. */
static const char *quoted_field(const struct cut_scan *c, const char *p, const char **resume) {
  const char *q = NULL, *b = NULL;
  *resume = NULL;
  for (;;) {
    const char *lim = next_of(c, p, '"', &q);
    if (next_of(c, p, '\\', &b) < lim) lim = b;
    const char *nl = memchr(p, '\n', (size_t)(lim - p));
    if (nl) { /* a line inside the field: a row start there breaks the row */
      p = nl + 1;
      if (p < c->end && at_row_start(c, p)) {
        *resume = p;
        return NULL;
      }
      continue;
    }
    if (lim == c->end) return NULL;
    if (lim == q) return q;
    if (b + 1 >= c->end) return NULL;
    p = b + 2; /* the escaped byte; an escaped newline still ends a line */
    if (b[1] == '\n' && p < c->end && at_row_start(c, p)) {
      *resume = p;
      return NULL;
    }
  }
}

/* Reads the row at p (a line that starts a row).  ROW_OK: *next is the
 * line after it; ROW_BAD: *next is where the reader resumes (NULL: not
 * within the data); ROW_MORE: the data ends inside it. */
static enum row_end read_row(const struct cut_scan *c, const char *p, const char **next) {
  *next = NULL;
  for (;;) {
    if (p >= c->end) return ROW_MORE;
    if (*p != '"') { /* a field that does not start with a quote */
      *next = resync(c, next_line(c, p));
      return ROW_BAD;
    }
    const char *resume;
    const char *q = quoted_field(c, p + 1, &resume);
    if (!q) {
      *next = resume;
      return resume ? ROW_BAD : ROW_MORE;
    }
    p = q + 1;
    if (p >= c->end) return ROW_MORE;
    if (*p == ',') {
      p++;
      continue;
    }
    bool crlf = *p == '\r' && p + 1 < c->end && p[1] == '\n';
    if (*p == '\n' || crlf) {
      /* a wrong count fails only this row, whatever follows: the reader
       * goes on at the next line as after a good one */
      *next = p + (crlf ? 2 : 1);
      return ROW_OK;
    }
    if (*p == '\r' && p + 1 >= c->end) return ROW_MORE;
    /* a stray byte after a closing quote */
    *next = resync(c, next_line(c, p));
    return ROW_BAD;
  }
}

size_t csvp_split(const char *data, size_t len) {
  struct cut_scan c = {data + len};
  const char *p = data;
  if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) p += 3;
  const char *nl = memchr(p, '\n', (size_t)(c.end - p));
  if (!nl || csvp_is_header_row(p, (size_t)(nl - p + 1))) return 0;
  size_t cut = 0;
  p = resync(&c, p);
  while (p) {
    const char *next;
    enum row_end e = read_row(&c, p, &next);
    if (e == ROW_MORE) break;
    if (e == ROW_OK && next && (size_t)(next - p) <= SPLIT_ROW_MAX && next < c.end &&
        at_row_start(&c, next) && next_line(&c, next))
      cut = (size_t)(next - data);
    p = resync(&c, next);
  }
  return cut;
}
