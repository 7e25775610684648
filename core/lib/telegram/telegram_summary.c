/* telegram_summary.c - the summary.
 *
 *   summary = head text ( end | blank line | "----" )
 *   end     = "END" [ "OF" | word "AND" ] "SUMMARY" ("END COMMENT AND SUMMARY"); a
 *             heading underline "----" line before it ends the section first
 *   head    = "SUMMARY" [ ("AND" | "&" | "/") word{1,4} ] (":" | "." | "-" | line end)
 *             at a line or paragraph start ("AND COMMENT", "AND KEY THEMES")
 *   text    = lines; a line-start number is a paragraph number (dropped) when
 *             it has a marking, or follows a blank line or a finished sentence,
 *             or is "N." not after a month ("October\n16." is a date); a
 *             line-start "(C)" marking is dropped, an acronym "(AKP)" kept;
 *             after a heading, paragraph 1's own "Summary:" label is dropped
 *   "1. (C) Summary: The minister said ... End Summary."
 *   "SUMMARY AND COMMENT: ... END SUMMARY AND COMMENT."
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

/* The words a heading joins to "SUMMARY" ("AND COMMENT", "/COMMENT", "AND
 * KEY THEMES", "AND TABLE OF CONTENTS"): one to four words after "AND", "&"
 * or "/" that end at ":", ".", "-" or the line end.  Returns where they end,
 * or q when there are none. */
static const char *summary_head_words(const char *q, const char *e) {
  const char *r = q;
  if (has_prefix_ci(r, e, " AND "))
    r += 5;
  else if (has_prefix_ci(r, e, " & "))
    r += 3;
  else if (r < e && *r == '/')
    r++;
  else
    return q;
  for (int w = 0; w < 4; w++) {
    r = skip_hspace(r, e);
    const char *we = r;
    while (we < e && is_alpha((unsigned char)*we))
      we++;
    if (we - r < 2) return q;
    r = we;
    const char *c = skip_hspace(r, e);
    if (c >= e || *c == ':' || *c == '.' || *c == '-' || *c == '\n') return r;
  }
  return q;
}

/* "SUMMARY", "SUMMAY", with the words a heading joins to it and the
 * punctuation after it. */
static const char *summary_head(const char *t, const char *p, const char *e, bool strict) {
  if (!at_word_start(t, p)) return NULL;
  const char *q;
  if (has_prefix_ci(p, e, "SUMMARY"))
    q = p + 7;
  else if (has_prefix_ci(p, e, "SUMMAY"))
    q = p + 6;
  else
    return NULL;
  if (q < e && is_alpha((unsigned char)*q)) return NULL;
  q = summary_head_words(q, e);
  const char *r = q;
  while (r < e && (*r == ' ' || *r == '-' || *r == '\n' || *r == ':' || *r == '.' || *r == '\t'))
    r++;
  if (strict) {
    /* Without "END SUMMARY" only a heading counts: "SUMMARY:", or the word
     * opening a line or a paragraph ("1. (C) Summary.") -- not "a summary
     * of the talks" inside a sentence. */
    if (r == q) return NULL;
    const char *c = skip_hspace(q, e);
    struct para pa;
    const char *ls = near_line_start(t, p, 24);
    if (!(c < e && *c == ':') && !first_on_line(t, p) &&
        !(ls && paragraph_at(ls, p + 1, &pa) && pa.text == p))
      return NULL;
  }
  return r;
}

/* Is the inside of a marking a classification ("C", "SBU", "S/NF", "C -
 * ENTIRE TEXT"), not a bracketed acronym of the text ("AKP", "PRT")? */
bool is_classification_marking(const char *in, const char *in_end) {
  static const char *const levels[] = {"U", "C", "S", "TS", "SBU", "LOU", "FOUO"};
  const char *w = in;
  while (w < in_end && is_upper((unsigned char)*w))
    w++;
  if (w < in_end && *w != '/' && *w != ' ') return false;
  for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
    if ((size_t)(w - in) == strlen(levels[i]) && !memcmp(in, levels[i], (size_t)(w - in)))
      return true;
  return false;
}

/* Is [s, s+n) a month name, whole or cut short ("October", "OCT", "Sept")? */
static bool is_month_word(const char *s, size_t n) {
  static const char *const names[] = {"JANUARY",   "FEBRUARY", "MARCH",    "APRIL",
                                      "MAY",       "JUNE",     "JULY",     "AUGUST",
                                      "SEPTEMBER", "OCTOBER",  "NOVEMBER", "DECEMBER"};
  if (n < 3) return false;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (n <= strlen(names[i]) && (n == 3 || n == strlen(names[i]) || (n == 4 && i == 8))) {
      size_t k = 0;
      while (k < n && to_upper((unsigned char)s[k]) == names[i][k])
        k++;
      if (k == n) return true;
    }
  return false;
}

/* Does the number at the start of the next line (of the marking-less
 * paragraph start pa) open a paragraph, after the summary text so far
 * [s, s+n)?  Not after a month ("on October\n16. The minister"), and a
 * number with ")" only after a blank line or a finished sentence
 * ("(paragraphs 53-\n63)" goes on). */
static bool opens_paragraph(const char *s, size_t n, const struct para *pa) {
  int newlines = 0;
  while (n && is_space((unsigned char)s[n - 1])) {
    newlines += s[n - 1] == '\n';
    n--;
  }
  if (!n || newlines >= 2) return true;
  size_t w = n - (s[n - 1] == '.');
  size_t ws = w;
  while (ws && is_alpha((unsigned char)s[ws - 1]))
    ws--;
  if (is_month_word(s + ws, w - ws)) return false;
  return *pa->num_end == '.' || strchr(".:;?!\"')", s[n - 1]);
}

void body_summary(struct body *b) {
  const char *t = b->t, *e = b->end;
  const char *from = b->subj_end ? b->subj_end : t;
  const char *end = NULL;
  for (const char *p = scan_next_ci(from, e, "END"); p < e; p = scan_next_ci(p + 1, e, "END"))
    if (at_word_start(t, p) && has_prefix_ci(p, e, "END")) {
      const char *q = p + 3;
      if (has_prefix_ci(q, e, " OF")) q += 3;
      const char *r = skip_space(q, e), *w = r;
      /* "END COMMENT AND SUMMARY" */
      while (w < e && is_alpha((unsigned char)*w) && w - r < 12)
        w++;
      const char *a = skip_space(w, e), *sm = a + 3 < e ? skip_space(a + 3, e) : e;
      if (w > r && a > w && has_word_ci(a, e, "AND") && sm > a + 3 &&
          has_prefix_ci(sm, e, "SUMMAR"))
        r = sm;
      if (r > q && has_prefix_ci(r, e, "SUMMAR")) {
        end = p;
        break;
      }
    }
  const char *s = NULL, *se = NULL;
  if (end) {
    for (const char *p = scan_next_ci(from, end, "SUMMA"); p < end && !s;
         p = scan_next_ci(p + 1, end, "SUMMA"))
      s = summary_head(t, p, end, false);
    if (!s) { /* "End Summary" without a start: paragraph 1 is the summary */
      const char *ls = from;
      if (ls > t && ls[-1] != '\n') ls = line_end(ls, end) + 1;
      for (; ls < end; ls = line_end(ls, end) + 1) {
        struct para pa;
        if (paragraph_at(ls, line_end(ls, e), &pa) && pa.n == 1) {
          s = pa.text;
          break;
        }
      }
    }
    se = end;
    /* a heading's underline before the END closes this section: that END
     * ends a later summary ("SUMMARY AND OBJECTIVES\n----\n2. ...\n----\n
     * BACKGROUND ... SUMMARY ... END SUMMARY") */
    for (const char *q = s; s && q < end; q = line_end(q, end) + 1) {
      const char *d = skip_hspace(q, end);
      if (d > s && d + 3 < end && !memcmp(d, "----", 4)) {
        se = q;
        break;
      }
    }
  } else {
    for (const char *p = scan_next_ci(from, e, "SUMMA"); p < e && !s;
         p = scan_next_ci(p + 1, e, "SUMMA"))
      s = summary_head(t, p, e, true);
    if (!s) return;
    for (se = s; se < e; se++) {
      if (*se == '\n' && is_blank(se + 1, line_end(se + 1, e))) break;
      if (*se == '-' && se + 3 < e && se[1] == '-' && se[2] == '-' && se[3] == '-') break;
      if (se - s > 8000) break;
    }
  }
  if (!s || s >= se) return;
  /* Clean: paragraph numbers and markings at line starts, dashes, the marking
   * right after "Summary:". */
  struct cx_buf raw;
  cx_buf_init(&raw, b->cap);
  const char *p = s;
  bool line_start = true;
  while (p < se) {
    if (line_start) {
      const char *q = skip_hspace(p, se);
      struct para pa;
      if (paragraph_at(q, line_end(q, se), &pa) && pa.n <= 99 &&
          (pa.mark || opens_paragraph(raw.data, raw.len, &pa)))
        q = pa.text;
      const char *in, *in_end;
      const char *m = paragraph_marking(q, se, &in, &in_end);
      if (m && is_classification_marking(in, in_end)) q = skip_hspace(m, se);
      /* a heading then paragraph 1 with its own label: "Summary and
       * Comment\n----\n1. (C) Summary: The ..." -- the label goes too */
      const char *lab = !raw.len && q < se ? summary_head(t, q, se, false) : NULL;
      if (lab && lab > q) q = lab;
      p = q;
      line_start = false;
      continue;
    }
    if (*p == '-' && p + 2 < se && p[1] == '-' && p[2] == '-') {
      while (p < se && *p == '-')
        p++;
      continue;
    }
    /* up to the next line end or dash, at once */
    const char *q = p + 1;
    if (*p == '\n')
      line_start = true;
    else
      q = find_either(q, se, '\n', '-');
    if (cx_buf_add(&raw, p, (size_t)(q - p)) != CX_OK) body_fail_oom(b);
    p = q;
  }
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  if (raw.data) fold_spaces(b, o, raw.data, raw.data + raw.len, false);
  cx_buf_free(&raw);
  trim_end(o, " ");
  if (b->rc != CX_FATAL && o->len) body_set_field(b, &b->c->summary, o->data, o->len);
}
