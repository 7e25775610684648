/* telegram_paragraphs.c - the numbered paragraphs of the text.
 *
 *   paragraph = number ( ("." | ")") [ letter "." ] [ marking ] | marking ) text
 *   marking   = "(" classification [ "/" caveat ] ")"
 *   "1. (C) Summary: ...", "2.(SBU) ...", "3.A. ...", "12. TEXT", "4 (C) ..."
 *   "(C)", "(SBU)", "(S/NF)", "(C - ENTIRE TEXT)"
 *
 * A numbered line opens a paragraph when a marking follows its number, when
 * a blank line, a rule or a page break comes before it, or when its number
 * goes on from the last one.  The numbers are kept as written: a gap
 * ("8." then "10."), a repeat ("3." twice), a number going back ("14." then
 * "12.") each open a paragraph of their own.
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

/* A marking in parentheses: "(C)", "(SBU)", "(S/NF)", "(C - ENTIRE TEXT)". */
const char *paragraph_marking(const char *p, const char *e, const char **in, const char **in_end) {
  if (p >= e || *p != '(') return NULL;
  const char *q = p + 1, *s = q;
  while (q < e && q - s <= 24 &&
         (is_upper((unsigned char)*q) || *q == '/' || *q == ' ' || *q == '-'))
    q++;
  if (q == s || q >= e || *q != ')' || !is_upper((unsigned char)*s)) return NULL;
  if (in) {
    *in = s;
    *in_end = q;
  }
  return q + 1;
}

/* Parses a paragraph start at the line [ls,le): a number of one to three
 * digits, then "." or ")" (with a sub-paragraph letter: "3.A."), or blanks
 * and a marking ("4 (C)"). */
bool paragraph_parse(const char *ls, const char *le, struct para *pa) {
  const char *p = skip_hspace(ls, le);
  size_t d = count_digits(p, le);
  if (d < 1 || d > 3) return false;
  const char *num = p;
  /* The number as strtol reads it.  When a non-digit ends it before le
   * (nearly always), that is the d digits, read without the call; digits
   * that run on to le may go on past it, and strtol reads those too. */
  long n = 0;
  if (p + d < le)
    for (size_t i = 0; i < d; i++)
      n = n * 10 + (p[i] - '0');
  else
    n = strtol(p, NULL, 10);
  pa->sub = false;
  p += d;
  /* "3.A." / "3.a)" sub-paragraph, "3)" */
  if (p < le && (*p == '.' || *p == ')')) {
    const char *q = p + 1;
    if (*p == '.' && q + 1 < le && is_alpha((unsigned char)*q) && (q[1] == '.' || q[1] == ')') &&
        (q + 2 >= le || is_space((unsigned char)q[2]))) {
      p = q + 2;
      pa->num_end = q + 1;
      pa->sub = true;
    } else {
      pa->num_end = p;
      p = q;
    }
  } else if (p < le && is_hspace((unsigned char)*p) &&
             paragraph_marking(skip_hspace(p, le), le, NULL, NULL)) {
    pa->num_end = p; /* "4 (C) Text": the period left out */
  } else {
    return false;
  }
  if (p < le && !is_space((unsigned char)*p) && *p != '(' && !is_upper((unsigned char)*p))
    return false;
  /* "1.5 (D)" is a reason, "1.4" a section number: a digit must not follow. */
  pa->start = ls;
  pa->num = num;
  pa->n = n;
  pa->mark = pa->mark_end = NULL;
  const char *q = skip_hspace(p, le);
  const char *m = paragraph_marking(q, le, &pa->mark, &pa->mark_end);
  pa->text = m ? skip_hspace(m, le) : q;
  return true;
}

/* Appends s[0..n) to o, which has room for it (para_text made it). */
static inline void para_put(struct cx_buf *o, const char *s, size_t n) {
  memcpy(o->data + o->len, s, n);
  o->len += n;
}

/* The ends of a paragraph's first lines, as body_paragraphs found them:
 * para_text then looks for no line end it was given. */
#define PARA_ENDS 256
struct line_ends {
  const char *le[PARA_ENDS];
  size_t n;
};

/* Appends the lines of [p,e) to o, page furniture dropped, trailing blanks
 * trimmed, runs of blank lines made one.  The ends of the first lines are
 * in ends (NULL: none). */
static void para_text(struct body *b, struct cx_buf *o, const char *p, const char *e,
                      const struct line_ends *ends) {
  /* The blank lines around a page break belong to it, not to the text:
   * "resolve the\n\nALMATY 00003065 002 OF 004\n\nissue" is one sentence. */
  bool gap_pending = false, page_break = false, page_number = false;
  /* The text is never longer than [p,e) (a "\n\n" stands for two newlines
   * at least): room for it is made at once and the lines are written in
   * place (o's limit, b->cap, is above any text's).  Kept lines are
   * gathered as a run [rs,re) of the source while each follows the last
   * with one newline and nothing trimmed between. */
  if (cx_buf_reserve(o, (size_t)(e - p) + 2) != CX_OK) {
    body_fail_oom(b);
    return;
  }
  const char *rs = NULL, *re = NULL;
  bool any = o->len != 0;
  size_t nends = ends ? ends->n : 0;
  for (size_t i = 0; p < e; i++) {
    const char *le = i < nends && ends->le[i] <= e ? ends->le[i] : line_end(p, e), *te = le;
    while (te > p && is_space((unsigned char)te[-1]))
      te--;
    const char *ls = skip_hspace(p, te), *tail;
    if (te == p || te == ls) {
      if (any && !page_break) gap_pending = true;
    } else if ((may_be_furniture(ls, te) && is_furniture_line(p, te)) ||
               (page_number && (tail = page_tail(ls, te, false)) && skip_hspace(tail, te) >= te)) {
      /* "PAGE 02" alone, then its station and serial: "STATE 297216" */
      page_number = is_page_number_line(p, te);
      gap_pending = false;
      page_break = true;
    } else {
      bool gap = gap_pending;
      gap_pending = page_break = page_number = false;
      /* a page header with the text going on after it on its line */
      const char *m = has_word_ci(ls, te, "PAGE") ? page_marker(ls, te, false, 4) : NULL;
      if (m && skip_hspace(m, te) < te) p = skip_hspace(m, te);
      const char *s = any ? p : skip_hspace(p, te);
      if (rs && !gap && s == re + 1) { /* re is the newline before s */
        re = te;
      } else {
        if (rs) para_put(o, rs, (size_t)(re - rs));
        if (any) para_put(o, "\n\n", gap ? 2 : 1);
        rs = s;
        re = te;
      }
      any = true;
    }
    p = le < e ? le + 1 : le;
  }
  if (rs) para_put(o, rs, (size_t)(re - rs));
  o->data[o->len] = '\0';
}

static void add_para(struct body *b, const struct para *pa, const char *p, const char *e,
                     const struct line_ends *ends) {
  struct cx_paragraph *x = cx_paragraphs_add(&b->c->paragraphs);
  if (!x) {
    body_fail_oom(b);
    return;
  }
  if (pa) {
    /* "3.A" */
    char num[16];
    size_t n = 0;
    for (const char *q = pa->num; q < pa->num_end && n + 1 < sizeof num; q++)
      num[n++] = (char)to_upper((unsigned char)*q);
    while (n && (num[n - 1] == '.' || num[n - 1] == ')'))
      n--;
    body_set_field(b, &x->number, num, n);
    if (pa->mark) body_set_field(b, &x->marking, pa->mark, (size_t)(pa->mark_end - pa->mark));
  }
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  para_text(b, o, p, e, ends);
  body_set_field(b, &x->text, o->data ? o->data : "", o->len);
}

/* Is the line [p,le) one a paragraph may follow without a number in
 * sequence: blank, a rule ("-----", "====="), or page furniture? */
static bool is_break_line(const char *p, const char *le) {
  p = skip_hspace(p, le);
  while (le > p && is_space((unsigned char)le[-1]))
    le--;
  if (p >= le) return true;
  const char *q = p;
  while (q < le && (*q == '-' || *q == '=' || *q == '_'))
    q++;
  return q >= le || is_furniture_line(p, le);
}

/* Does the numbered line pa open a paragraph?  Its number needs no place in
 * a sequence when a marking follows it or a break comes before it (numbers
 * repeat, jump and go back as written); otherwise it must go on from the
 * last one and start with no lower-case word, as a wrapped line starting
 * with a number would not ("... rose by\n12. percent"). */
static bool opens_paragraph(const struct para *pa, const char *le, long last, bool have,
                            const char *prev, const char *prev_end) {
  /* the line before is looked at only when the number alone does not say */
  bool continues =
      pa->n == last + 1 || (pa->sub && pa->n == last) || (!have && pa->n >= 1 && pa->n <= 3);
  bool after_break = false;
  if (!(continues && (pa->mark || pa->text >= le || !is_lower((unsigned char)*pa->text))) &&
      !pa->sub)
    after_break = !prev || is_break_line(prev, prev_end);
  if (!pa->mark && !after_break && pa->text < le && is_lower((unsigned char)*pa->text))
    return false;
  if (continues) return true;
  return pa->mark || after_break;
}

void body_paragraphs(struct body *b) {
  const char *t = b->t, *e = b->end;
  struct para cur, pa;
  bool have = false;
  long last = 0;
  const char *prev = NULL, *prev_end = NULL;
  struct line_ends ends; /* of the lines from cur's on */
  ends.n = 0;
  for (const char *p = t; p < e;) {
    const char *le = line_end(p, e);
    if (paragraph_at(p, le, &pa) && opens_paragraph(&pa, le, last, have, prev, prev_end)) {
      if (have) add_para(b, &cur, cur.text, p, &ends);
      cur = pa;
      have = true;
      last = pa.n;
      ends.n = 0;
    }
    if (have && ends.n < PARA_ENDS) ends.le[ends.n++] = le;
    prev = p;
    prev_end = le;
    p = le < e ? le + 1 : le;
    if (b->rc == CX_FATAL) return;
  }
  const char *from = have ? cur.text : (b->hdr_end > t ? b->hdr_end : t);
  const char *stop = body_signer(b, from);
  if (have)
    add_para(b, &cur, cur.text, stop, &ends);
  else if (!is_blank(from, stop))
    add_para(b, NULL, from, stop, NULL);
}
