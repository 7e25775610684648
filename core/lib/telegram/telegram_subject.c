/* telegram_subject.c - the SUBJECT line.
 *
 *   line = ("SUBJECT" | "SUBJ" | "UBJECT") (":" | blanks) text
 *          (the key in any case before a colon, in capitals before blanks)
 *   text runs over lines to a blank line, a REF, E.O., TAGS or Classified
 *        By line, paragraph 1 (marked or not: "1. C - ENTIRE TEXT."), or
 *        new-style page furniture; old page breaks
 *        inside it are skipped; a marking "(U) " before and " (C)" after is
 *        dropped
 *   "SUBJECT: (C) ZIMBABWE: OPPOSITION LEADER ...", "SUBJ: US- LATIN AMERICA"
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

/* Where the subject text ends, scanning from p. */
static const char *subject_end(const struct body *b, const char *p, const char *e) {
  const char *t = b->t;
  for (const char *q = p; q < e; q++) {
    unsigned char ch = (unsigned char)*q;
    if (q - p > 1500) return q;
    if (ch == '\n') {
      const char *r = skip_hspace(q + 1, e);
      if (r >= e || *r == '\n') return q; /* blank line */
      /* paragraph 1 on the next line, marked or not: "1. C - ENTIRE TEXT." */
      struct para pa;
      const char *nle = line_end(q + 1, e);
      if (paragraph_at(q + 1, nle, &pa) && pa.n == 1 && !pa.sub && pa.text < nle &&
          !is_lower((unsigned char)*pa.text))
        return q;
      /* REF on the next line */
      if (has_prefix_ci(r, e, "REF") &&
          (r + 3 >= e || !is_alpha((unsigned char)r[3]) || to_upper((unsigned char)r[3]) == 'S' ||
           to_upper((unsigned char)r[3]) == 'T'))
        return q;
      /* another field of the header on the next line: "E.O. 12958: N/A", "TAGS: PREL" */
      if (has_prefix_ci(r, e, "E.O.") || has_prefix_ci(r, e, "EO 1") ||
          (has_prefix_ci(r, e, "TAGS") && r + 4 < e && (r[4] == ':' || r[4] == ' ')))
        return q;
      continue;
    }
    if (is_hspace(ch)) {
      const char *r = skip_hspace(q, e);
      if (has_prefix_ci(r, e, "REFS:") || has_prefix_ci(r, e, "REF:")) return q;
      continue;
    }
    if (to_upper(ch) == 'R' && (has_prefix_ci(q, e, "REF:") || has_prefix_ci(q, e, "REF(S)"))) {
      if (has_prefix_ci(q, e, "REF(S)") || (q + 4 < e && is_space((unsigned char)q[4]))) return q;
    }
    if (to_upper(ch) == 'C' && has_prefix_ci(q, e, "CLASSIFIED") && q + 10 < e &&
        is_space((unsigned char)q[10]))
      return q;
    if (ch == 'C' && has_prefix_ci(q, e, "C O N") && at_word_start(t, q)) return q;
    if (to_upper(ch) == 'S' && at_word_start(t, q) &&
        (has_prefix_ci(q, e, "SENSITIVE BUT") || has_prefix_ci(q, e, "SENSTIVE BUT")))
      return q;
    if (is_digit(ch) && at_word_start(t, q) && ch != '0') {
      const char *r = q + 1;
      if (r < e && *r == '.') r++;
      const char *s2 = skip_hspace(r, e);
      if (has_prefix_ci(s2, e, "CLASSIFIED BY") && s2 > r) return q;
      if (paragraph_marking(s2, e, NULL, NULL) && (s2 > r || r > q + 1)) return q;
      if (ch == '1' && has_prefix_ci(s2, e, "SUMMARY") && s2 > r) return q;
    }
    /* An old page break inside the subject ("ZIMBABWE\n CONFIDENTIAL\nPAGE 02
     * HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER"): skipped, the
     * subject goes on after it.  A new-style marker ends it. */
    if (to_upper(ch) == 'P' && at_word_start(t, q) && has_prefix_ci(q, e, "PAGE")) {
      const char *m = page_marker(q, e, false, 1);
      if (m) {
        q = m - 1;
        continue;
      }
    }
    if (is_upper(ch) && at_word_start(t, q) && page_marker(q, e, true, first_on_line(t, q) ? 4 : 1))
      return q;
    if (ch == '-' && q + 3 < e && q[1] == '-' && q[2] == '-' && q[3] == '-') return q;
    if (to_upper(ch) == 'P' && at_word_start(t, q) && has_prefix_ci(q, e, "PAGE ") && q + 5 < e &&
        is_digit((unsigned char)q[5]))
      return q;
    if (to_upper(ch) == 'T' && at_word_start(t, q) &&
        (has_prefix_ci(q, e, "THIS IS AN ACTION REQ") ||
         has_prefix_ci(q, e, "THIS IS A ACTION REQ")))
      return q;
  }
  return e;
}

/* The subject key at p ("SUBJECT:", "SUBJ ", "UBJECT:"): where its text
 * begins, or NULL. */
static const char *subject_key(const char *t, const char *p, const char *e) {
  int ch = to_upper((unsigned char)*p);
  if (ch != 'S' && ch != 'U') return NULL;
  const char *q = p;
  if (ch == 'S')
    q++;
  else if (!(p == t || !is_alpha((unsigned char)p[-1])))
    return NULL; /* "UBJECT" only alone */
  if (!has_prefix_ci(q, e, "UBJ")) return NULL;
  if (p > t && (is_alpha((unsigned char)p[-1]) || p[-1] == '(' || p[-1] == '/')) return NULL;
  q += 3;
  if (has_prefix_ci(q, e, "ECT")) q += 3;
  if (q < e && is_alpha((unsigned char)*q)) return NULL; /* SUBJECTS, SUBJECTED */
  const char *r = q;
  if (r < e && *r == ':')
    r = skip_space(r + 1, e);
  else {
    const char *s = skip_hspace(r, e);
    if (s == r) return NULL; /* needs ':' or a space */
    /* without a colon the key is written in capitals: "on this subject
     * [...]" is prose */
    for (const char *c = p; c < q; c++)
      if (is_lower((unsigned char)*c)) return NULL;
    r = s;
  }
  if (has_prefix_ci(r, e, "LINE")) return NULL; /* "CORRECTED COPY//SUBJECT LINE" */
  return r;
}

void body_subject(struct body *b) {
  const char *t = b->t, *e = b->end;
  const char *lim = b->hdr_lim;
  const char *v = NULL;
  /* Every key has "UBJ" at u, the key starting at u - 1 (SUBJ) or at u
   * (UBJECT): the places before lim, in order, are those of each u. */
  const char *stop = e - lim > 3 ? lim + 3 : e;
  for (const char *u = scan_next_ci(t, stop, "UBJ"); u < stop && !v;
       u = scan_next_ci(u + 1, stop, "UBJ"))
    for (const char *p = u > t ? u - 1 : u; p <= u && p < lim && !v; p++)
      v = subject_key(t, p, e);
  if (!v) return;
  const char *se = subject_end(b, v, e);
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  /* the text without the page breaks subject_end stepped over */
  struct cx_buf raw;
  cx_buf_init(&raw, b->cap);
  for (const char *l = v; l < se;) {
    const char *le = line_end(l, se);
    const char *ls = skip_hspace(l, le);
    if (ls < le && is_furniture_line(ls, le)) {
      l = le;
      continue;
    }
    const char *m = has_prefix_ci(ls, le, "PAGE") ? page_marker(ls, le, false, 1) : NULL;
    const char *from = m ? m : l;
    if (cx_buf_add(&raw, from, (size_t)(le - from)) != CX_OK ||
        (le < se && cx_buf_addc(&raw, '\n') != CX_OK))
      body_fail_oom(b);
    l = le < se ? le + 1 : le;
  }
  if (raw.data) fold_spaces(b, o, raw.data, raw.data + raw.len, true);
  cx_buf_free(&raw);
  if (b->rc == CX_FATAL) return;
  b->subj_end = se;
  if (se > b->hdr_end) b->hdr_end = se;
  if (!o->len) return;
  const char *s = o->data, *end = o->data + o->len;
  /* The paragraph marking cablemap strips: "(U) ", "(S/NF) ", and a
   * trailing " (C)". */
  const char *m = paragraph_marking(s, end, NULL, NULL);
  if (!m && s + 4 < end && s[0] == '(' && (s[2] == ')' || s[3] == ')' || s[4] == ')')) {
    m = memchr(s, ')', 5); /* "(s) germany ...", "(sbu) ..." */
    for (const char *q = s + 1; m && q < m; q++)
      if (!is_alpha((unsigned char)*q) && *q != '/') m = NULL;
    if (m) m++;
  }
  if (m && m < end && *m == ' ') s = m + 1;
  if (end - s > 4 && end[-1] == ')') {
    const char *q = end - 2;
    while (q > s && is_upper((unsigned char)*q))
      q--;
    if (*q == '(' && q > s && q[-1] == ' ' && end - q - 2 <= 4) end = q - 1;
  }
  if (end > s) body_set_field(b, &b->c->subject, s, (size_t)(end - s));
}
