/* telegram_declassify.c - the E.O. line: the executive order and the
 * declassification date.
 *
 *   line = ("E.O." | "EO" | "E.0.") number [":"] [ "DECL:" ] ( date | code | "N/A" )
 *   date = M/D/YYYY | M/D/YY | YYYY/M/D  (also with "-" or "."; D/M/Y when M > 12)
 *   "E.O. 12958: DECL: 08/28/2016", "EO 12958 DECL: 1.6X6",
 *   "E.O.12958: N/A", "E.0. 13526: DECL: 2020/02/23"
 *
 * Ownership: the body text is borrowed; what is kept is copied into the
 * cable (see telegram_internal.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telegram_internal.h"
#include "text.h"

/* An executive order reference at p: returns the end of its number. */
static const char *eo_number_end(const char *t, const char *p, const char *e) {
  if (!at_word_start(t, p) || to_upper((unsigned char)*p) != 'E') return NULL;
  const char *q = p + 1;
  if (q < e && *q == '.') q++;
  q = skip_hspace(q, e);
  if (q >= e || (to_upper((unsigned char)*q) != 'O' && *q != '0')) return NULL;
  q++;
  if (q < e && *q == '.') q++;
  if (q < e && is_alpha((unsigned char)*q)) return NULL; /* "EON", "EOS" */
  q = skip_hspace(q, e);
  size_t d = count_digits(q, e);
  if (d < 4 || d > 5 || *q != '1') return NULL;
  return q + d;
}

static int days_in_month(int y, int m) {
  static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return dm[m - 1];
}

/* A date at p: M/D/YYYY, M/D/YY, YYYY/M/D (also with - or .); D/M/Y when the
 * first number cannot be a month.  Writes "YYYY-MM-DD" to out[11]. */
static bool parse_date(const char *p, const char *e, char out[11]) {
  long f[3];
  size_t len[3];
  char sep = 0;
  for (int i = 0; i < 3; i++) {
    size_t d = count_digits(p, e);
    if (!d || d > 4) return false;
    f[i] = strtol(p, NULL, 10);
    len[i] = d;
    p += d;
    if (i < 2) {
      if (p >= e || (*p != '/' && *p != '-' && *p != '.')) return false;
      if (sep && *p != sep) return false;
      sep = *p++;
    }
  }
  if (p < e && is_digit((unsigned char)*p)) return false;
  long y, m, d;
  if (len[0] == 4) {
    y = f[0], m = f[1], d = f[2];
  } else {
    if (len[2] != 2 && len[2] != 4) return false;
    m = f[0], d = f[1], y = f[2];
    if (m > 12 && d <= 12) {
      long x = m;
      m = d;
      d = x;
    }
    if (len[2] == 2) y += y < 70 ? 2000 : 1900;
  }
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month((int)y, (int)m))
    return false;
  out[0] = (char)('0' + y / 1000);
  out[1] = (char)('0' + y / 100 % 10);
  out[2] = (char)('0' + y / 10 % 10);
  out[3] = (char)('0' + y % 10);
  out[4] = '-';
  out[5] = (char)('0' + m / 10);
  out[6] = (char)('0' + m % 10);
  out[7] = '-';
  out[8] = (char)('0' + d / 10);
  out[9] = (char)('0' + d % 10);
  out[10] = '\0';
  return true;
}

void body_declassify(struct body *b) {
  const char *p, *num = NULL;
  for (p = b->t; p < b->hdr_lim; p++)
    if ((num = eo_number_end(b->t, p, b->end))) break;
  if (!num) return;
  const char *le = line_end(p, b->end);
  if (le - p > 300) le = p + 300; /* a body on one line */
  /* The line may go on with TAGS or SUBJECT ("E.o. 12958: decl: 01/07/2014 Tags: prel"). */
  static const char *const stops[] = {"TAGS", "TAG:", "SUBJECT", "SUBJ:"};
  const char *te = le;
  for (size_t i = 0; i < sizeof stops / sizeof *stops; i++) {
    const char *s = find_ci(b->t, num, te, stops[i], true);
    if (s) te = s;
  }
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  fold_spaces(b, o, p, te, false);
  trim_end(o, " ,;");
  if (b->rc == CX_FATAL) return;
  b->c->has_declassify = true;
  body_set_field(b, &b->c->declassify.text, o->data ? o->data : "", o->len);
  if (le > b->hdr_end) b->hdr_end = le;
  /* The date follows DECL, or stands alone after the order number. */
  const char *d = find_ci(b->t, num, te, "DECL", true);
  const char *q = d ? d + 4 : num;
  for (; q < te; q++) {
    char iso[11];
    if (is_digit((unsigned char)*q) && !is_alnum((unsigned char)q[-1]) && parse_date(q, te, iso)) {
      body_set_field(b, &b->c->declassify.date, iso, 10);
      return;
    }
    /* A date-like token that is no valid date: say so once. */
    if (d && is_digit((unsigned char)*q) && count_digits(q, te) <= 2 &&
        q + count_digits(q, te) < te && q[count_digits(q, te)] == '/') {
      b->rc = cx_warn(b->ctx, line_number(b, q), "E.O. line has no valid date");
      return;
    }
  }
}
