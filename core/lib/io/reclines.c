/* reclines.c - a record collected line by line under a limit, with the
 * give-up rule every line reader shares (cablex/stream.h). */
#include "cablex/stream.h"

void cx_rec_lines_start(struct cx_rec_lines *st) {
  st->total = 0;
  st->any = st->overflow = st->cut = false;
}

int cx_rec_lines_next(struct cx_istream *in, struct cx_rec_lines *st, struct cx_buf *line) {
  for (;;) {
    if (st->overflow && st->total > st->max && st->total - st->max > CX_SKIP_MAX) {
      st->gave_up = true; /* no end in sight: the rest of the input is not read */
      return CX_EOF;
    }
    cx_buf_reset(line);
    int rc = cx_istream_getline(in, line);
    if (rc == CX_FAILED) { /* a line longer than the limit: skipped */
      st->lines++;
      st->overflow = st->any = st->cut = true;
      st->total += st->max;
      continue;
    }
    if (rc == CX_OK) st->lines++;
    return rc;
  }
}

void cx_rec_lines_add(struct cx_rec_lines *st, struct cx_buf *rec, const struct cx_buf *line) {
  st->any = true;
  st->total += line->len;
  if (!st->overflow && cx_buf_add(rec, line->data, line->len) != CX_OK) st->overflow = true;
}
