/* telegram_signer.c - the signer under the text.
 *
 *   signer = a line of one to three name words at the end, below noise
 *            ("NNNN", "BT", page furniture, the post's web site), or a name
 *            ending the last sentence's line
 *   "ORDWAY", "DE PREE", "O'DONOHUE", "Stapleton", "WITHERS II",
 *   "... MINIMIZE CONSIDERED. EAGLETON", "End comment. SOBEL"; after
 *   "UNQUOTE" on its line, the quoted cable's signer before it is not the
 *   sender's ("CLINTON UNQUOTE CLINTON")
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

/* How many lines from the end the signer may be. */
#define SIGNER_LINES 16

static bool is_noise_line(const char *p, const char *le) {
  p = skip_hspace(p, le);
  while (le > p && is_space((unsigned char)le[-1]))
    le--;
  if (p >= le) return true;
  bool alnum = false;
  for (const char *q = p; q < le; q++)
    if (is_alnum((unsigned char)*q)) alnum = true;
  if (!alnum) return true; /* ".", "-", ">", "#" */
  if (is_furniture_line(p, le)) return true;
  static const char *const starts[] = {
      "NNN",          "NOTE BY", "NOTE:",          "DECLASSIFIED/RELEASED", "REVIEW ",
      "GP-",          "SIPDIS",  "C O N F",        "S E C R E T",           "U N C L A S",
      "BT",           "#",       "END CABLE TEXT", "SYSTEMATIC REVIEW",     "ID:",
      "TRACK IMPRESI"};
  for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
    if (has_prefix_ci(p, le, starts[i]) &&
        (strlen(starts[i]) != 2 || p + 2 >= le || !is_alpha((unsigned char)p[2])))
      return true;
  /* "2002ROME01748 - Classification: SECRET" */
  if (count_digits(p, le) == 4 && is_upper((unsigned char)p[4])) return true;
  /* a line cut short on the page ("DANIEL ORTEGA AN...") */
  if (le - p > 3 && le[-1] == '.' && le[-2] == '.' && le[-3] == '.') return true;
  /* boilerplate under the signature: the post's classified web site, the
   * tracking lines of a newspaper's copy ("EPET @ EL PAIS") */
  const char *w = p;
  while (w < le && (*w == '"' || *w == '\''))
    w++;
  if (has_prefix_ci(w, le, "VISIT ") || has_prefix_ci(w, le, "PLEASE VISIT") ||
      has_prefix_ci(w, le, "HTTP"))
    return true;
  static const char *const inside[] = {"SGOV.GOV", "PORTAL:", " @ "};
  for (size_t i = 0; i < sizeof inside / sizeof *inside; i++)
    if (find_ci(p, p, le, inside[i], false)) return true;
  return false;
}

/* A signer: one to three upper-case words ("ORDWAY", "DE PREE",
 * "O'DONOHUE"), maybe followed by '.', '#' or '"'. */
static bool signer_words(const char *p, const char *e, bool title, const char **ne) {
  while (e > p && (is_space((unsigned char)e[-1]) || e[-1] == '.' || e[-1] == '#' || e[-1] == '"'))
    e--;
  p = skip_hspace(p, e);
  if (p >= e || e - p > 32) return false;
  int words = 0;
  const char *first_end = NULL;
  for (const char *q = p; q < e;) {
    const char *s = q;
    /* "Timken jr", "WITHERS II" */
    if (words && (has_word_ci(q, e, "JR") || has_word_ci(q, e, "JR.") || has_word_ci(q, e, "SR"))) {
      q += 2;
      if (q < e && *q == '.') q++;
    } else if (title) { /* "Stapleton", "McCaw", "Van Voorst", "O'Donohue" */
      if (q >= e || !is_upper((unsigned char)*q)) return false;
      q++;
      bool lower = false;
      while (q < e && (is_alpha((unsigned char)*q) || *q == '\'' || *q == '-')) {
        if (is_lower((unsigned char)*q)) lower = true;
        q++;
      }
      if (!lower) return false;
    } else {
      while (q < e && (is_upper((unsigned char)*q) || *q == '\'' || *q == '-'))
        q++;
      if (q == s || !is_upper((unsigned char)*s)) return false;
    }
    words++;
    if (!first_end) first_end = q;
    if (q < e && *q != ' ') return false;
    q = skip_hspace(q, e);
  }
  if (words < 1 || words > 3) return false;
  static const char *const not_names[] = {
      "END",          "TEXT",       "COMMENT",      "SUMMARY", "QUOTE",  "UNQUOTE",
      "MINIMIZE",     "CONSIDERED", "SIPDIS",       "NOFORN",  "BT",     "NNNN",
      "CONFIDENTIAL", "SECRET",     "UNCLASSIFIED", "ACTION",  "INFO",   "END TEXT",
      "END COMMENT",  "NONE",       "SENSITIVE",    "THANKS",  "REGARDS"};
  for (size_t i = 0; i < sizeof not_names / sizeof *not_names; i++)
    if ((size_t)(e - p) == strlen(not_names[i]) && has_prefix_ci(p, e, not_names[i])) return false;
  if (words > 1 && (has_prefix_ci(p, e, "END ") || has_prefix_ci(p, e, "SEE "))) return false;
  /* "KUBISKE KUBISKE": the name printed twice */
  if (words == 2 && first_end && (size_t)(e - p) == 2 * (size_t)(first_end - p) + 1 &&
      !strncmp(p, first_end + 1, (size_t)(first_end - p)))
    e = first_end;
  *ne = e;
  return true;
}

/* The last non-blank line above ls, or NULL; blank lines between are
 * reported through *gap. */
static const char *line_above(const struct body *b, const char *ls, const char **end, bool *gap) {
  *gap = false;
  while (ls > b->t) {
    const char *pe = ls - 1, *ps = line_start(b->t, pe);
    while (pe > ps && is_space((unsigned char)pe[-1]))
      pe--;
    if (pe > ps) {
      *end = pe;
      return ps;
    }
    *gap = true;
    ls = ps;
  }
  return NULL;
}

/* May the line at ls stand as a signature after the line above it?  Not
 * when it goes on an upper-case sentence ("...TRINIDAD'S\nASSISTANCE.");
 * a mixed-case name ("Stapleton") needs the text above to have ended. */
static bool signature_place(const struct body *b, const char *ls, bool title) {
  const char *pe, *ps;
  bool gap;
  if (!(ps = line_above(b, ls, &pe, &gap)) || gap) return true;
  if (is_noise_line(ps, pe)) return true;
  unsigned char last = (unsigned char)pe[-1];
  /* after "END COMMENT", "UNQUOTE" */
  const char *w = skip_hspace(ps, pe);
  if (has_prefix_ci(w, pe, "END ") || has_word_ci(w, pe, "UNQUOTE")) return true;
  if (title) return strchr(".!?\"')*:", last) != NULL;
  if (!is_alpha(last) && last != ',' && last != '\'') return true;
  for (const char *q = ps; q < pe; q++)
    if (is_lower((unsigned char)*q)) return true; /* "City\nARREAGA": another register */
  return false;
}

/* Finds the signer in the last lines after `from`; returns where the
 * message text ends (the signer's line start) or e when there is none. */
const char *body_signer(struct body *b, const char *from) {
  const char *e = b->end, *p = e;
  for (int i = 0; i < SIGNER_LINES && p > from; i++) {
    const char *le = p;
    if (le > from && le[-1] == '\n') le--;
    const char *ls = line_start(b->t, le);
    if (ls < from) ls = from;
    p = ls;
    if (is_noise_line(ls, le)) continue;
    const char *ne;
    const char *s = skip_hspace(ls, le);
    /* "Huntsman\nhuntsman": a lower-case repeat under the name */
    const char *x = s;
    while (x < le && is_lower((unsigned char)*x))
      x++;
    if (x > s && skip_space(x, le) >= le && i < SIGNER_LINES - 1 && p > from) continue;
    /* "CLINTON UNQUOTE CLINTON": a quoted cable's signer, the end of the
     * quote, then the sender's signer on one line */
    for (const char *u = find_ci(b->t, s, le, "UNQUOTE", true); u;
         u = find_ci(b->t, u + 7, le, "UNQUOTE", true))
      if (u + 7 < le && is_space((unsigned char)u[7])) s = skip_hspace(u + 7, le);
    if ((signer_words(s, le, false, &ne) && signature_place(b, ls, false)) ||
        (signer_words(s, le, true, &ne) && signature_place(b, ls, true))) {
      body_set_field(b, &b->c->signer, s, (size_t)(ne - s));
      return ls;
    }
    /* The name ends the last sentence's line: "... MINIMIZE CONSIDERED.
     * EAGLETON", "End comment. SOBEL", "...into Europe. Edelman". */
    const char *q = le;
    while (q > ls && is_space((unsigned char)q[-1]))
      q--;
    while (q > ls && (q[-1] == '.' || q[-1] == '#'))
      q--;
    const char *w = q;
    while (w > ls && (is_alpha((unsigned char)w[-1]) || w[-1] == '\''))
      w--;
    const char *g = w;
    while (g > ls && g[-1] == ' ')
      g--;
    /* after a closing quote, also a typographic one (U+201D, U+2019) */
    bool quote = g - ls >= 3 && (unsigned char)g[-3] == 0xE2 && (unsigned char)g[-2] == 0x80 &&
                 ((unsigned char)g[-1] == 0x9D || (unsigned char)g[-1] == 0x99);
    if (w < q && g < w && g > ls && (strchr(".*\"')", g[-1]) || quote) && w - ls >= 3) {
      bool caps = signer_words(w, q, false, &ne) && q - w >= 3;
      bool title = !caps && signer_words(w, q, true, &ne) && (g[-1] == '.' || quote);
      if (caps || title) {
        body_set_field(b, &b->c->signer, w, (size_t)(ne - w));
        return le;
      }
    }
    return e;
  }
  return e;
}
