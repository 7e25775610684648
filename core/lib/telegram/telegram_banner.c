/* telegram_banner.c - the banner, SECTION n OF m and the SIPDIS caption.
 *
 *   banner   = classification [ "SECTION" n "OF" m ] [ station serial ]
 *   classification = a word spaced out or not, "//NOFORN" or a NOFORN caption
 *              line under it, "SENSITIVE" on the line below for UNCLAS
 *   "C O N F I D E N T I A L SECTION 01 OF 02 BERN 000881"
 *   "UNCLAS SECTION 01 OF 03 STATE 012345" / "SENSITIVE" (next line)
 *   "S E C R E T NOFORN", "SIPDIS", "S I P D I S" (anywhere)
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
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Copies line [p,e) to o with spaced-out letters joined ("S E C R E T"). */
static void join_spaced_letters(struct body *b, struct cx_buf *o, const char *p, const char *e) {
  while (p < e) {
    if (is_alpha((unsigned char)*p) && at_word_start(b->t, p) && p + 2 < e && p[1] == ' ' &&
        is_alpha((unsigned char)p[2]) && (p + 3 >= e || !is_alnum((unsigned char)p[3]))) {
      while (p < e && is_alpha((unsigned char)*p) &&
             (p + 1 >= e || !is_alnum((unsigned char)p[1]))) {
        if (cx_buf_addc(o, (char)to_upper((unsigned char)*p)) != CX_OK) body_fail_oom(b);
        if (p + 2 < e && p[1] == ' ' && is_alpha((unsigned char)p[2]) &&
            (p + 3 >= e || !is_alnum((unsigned char)p[3])))
          p += 2;
        else {
          p++;
          break;
        }
      }
      continue;
    }
    if (cx_buf_addc(o, (char)to_upper((unsigned char)*p)) != CX_OK) body_fail_oom(b);
    p++;
  }
}

/* The classification a banner line (joined, upper case) begins with. */
static const char *banner_class(const char *s, const char *se) {
  s = skip_hspace(s, se);
  if (has_word_ci(s, se, "TOP SECRET")) return "TOP SECRET";
  if (has_word_ci(s, se, "SECRET")) return "SECRET";
  if (has_word_ci(s, se, "CONFIDENTIAL")) return "CONFIDENTIAL";
  if (has_word_ci(s, se, "LIMITED OFFICIAL USE")) return "UNCLASSIFIED//FOR OFFICIAL USE ONLY";
  if (has_word_ci(s, se, "SENSITIVE BUT UNCLASSIFIED"))
    return "UNCLASSIFIED//FOR OFFICIAL USE ONLY";
  if (has_word_ci(s, se, "UNCLASSIFIED") || has_word_ci(s, se, "UNCLAS")) {
    const char *q = s;
    while (q < se && is_alpha((unsigned char)*q))
      q++;
    q = skip_hspace(q, se);
    return has_word_ci(q, se, "SENSITIVE") || has_word_ci(q, se, "EFTO") ||
                   has_word_ci(q, se, "E F T O")
               ? "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
               : "UNCLASSIFIED";
  }
  return NULL;
}

/* Sets sections from "SECTION n OF m" on the line [p,le); true if found. */
static bool banner_sections(struct body *b, const char *p, const char *le) {
  const char *s = find_ci(b->t, p, le, "SECTION", true);
  if (!s) return false;
  const char *q = skip_hspace(s + 7, le);
  size_t d1 = count_digits(q, le);
  if (!d1 || d1 > 3) return false;
  long n = strtol(q, NULL, 10);
  q = skip_hspace(q + d1, le);
  if (!has_word_ci(q, le, "OF")) return false;
  q = skip_hspace(q + 2, le);
  size_t d2 = count_digits(q, le);
  if (!d2 || d2 > 3) return false;
  long m = strtol(q, NULL, 10);
  if (m <= 0) return false;
  b->c->sections = (int)m;
  if (n > m || n < 1)
    b->rc = cx_warn(b->ctx, line_number(b, s), "banner says SECTION %ld OF %ld", n, m);
  if (le > b->hdr_end) b->hdr_end = le;
  return true;
}

void body_banner(struct body *b) {
  const char *p = b->t, *e = b->end;
  const char *lines[6];
  int nl = 0;
  for (int guard = 0; p < e && nl < 6 && guard < 20; guard++) {
    const char *le = line_end(p, e);
    if (!is_blank(p, le)) lines[nl++] = p;
    p = le < e ? le + 1 : le;
  }
  /* The banner is the first line opening with a classification (spaced out
   * or not); partial extracts put a date or page furniture before it. */
  struct cx_buf *o = &b->tmp;
  const char *cls = NULL;
  int bi = -1;
  for (int i = 0; i < nl && bi < 0; i++) {
    const char *le = line_end(lines[i], e);
    if (le - lines[i] > 400) le = lines[i] + 400;
    cx_buf_reset(o);
    join_spaced_letters(b, o, lines[i], le);
    if (b->rc == CX_FATAL || !o->data) return;
    if ((cls = banner_class(o->data, o->data + o->len))) bi = i;
  }
  /* SECTION n OF m, on the banner or the line after it. */
  int from = bi < 0 ? 0 : bi;
  for (int i = from; i < nl && i < from + 2; i++)
    if (banner_sections(b, lines[i], line_end(lines[i], e))) break;
  if (!cls || b->c->classification) return;
  /* "UNCLAS" with the SENSITIVE caption on a line below */
  if (!strcmp(cls, "UNCLASSIFIED"))
    for (int i = bi + 1; i < nl && i < bi + 3; i++)
      if (has_word_ci(skip_hspace(lines[i], e), e, "SENSITIVE"))
        cls = "UNCLASSIFIED//FOR OFFICIAL USE ONLY";
  /* NOFORN on the banner or on the caption line under it */
  bool noforn = false;
  for (int i = bi; i < nl && i < bi + 3; i++) {
    const char *le = line_end(lines[i], e);
    if (le - lines[i] > 400) le = lines[i] + 400;
    if (find_ci(b->t, lines[i], le, "NOFORN", true)) noforn = true;
  }
  char buf[64];
  size_t n = strlen(cls);
  memcpy(buf, cls, n);
  if (noforn &&
      (!strcmp(cls, "SECRET") || !strcmp(cls, "CONFIDENTIAL") || !strcmp(cls, "TOP SECRET"))) {
    memcpy(buf + n, "//NOFORN", 8);
    n += 8;
  }
  body_set_field(b, &b->c->classification, buf, n);
}

/* ------------------------------------------------------------------ */
/* SIPDIS caption, also spaced out or glued to other text. */

/* The first place in [p,e) where "SIP" or "S I" may start (case folded as
 * scan_prefix_ci does; the caller checks each place), e when none.  Three
 * bytes, not two: "S " alone starts every plural's gap. */
static const char *scan_sipdis(const char *p, const char *e) {
#if defined(__SSE2__)
  const __m128i fold = _mm_set1_epi8(0x20), s = _mm_set1_epi8('s');
  const __m128i i = _mm_set1_epi8('i'), sp = _mm_set1_epi8(' '), pp = _mm_set1_epi8('p');
  while (e - p >= 18) {
    __m128i a = fold_eq16(p, fold, s);
    __m128i n = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + 1)), fold);
    __m128i n2 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + 2)), fold);
    __m128i hit =
        _mm_and_si128(a, _mm_or_si128(_mm_and_si128(_mm_cmpeq_epi8(n, i), _mm_cmpeq_epi8(n2, pp)),
                                      _mm_and_si128(_mm_cmpeq_epi8(n, sp), _mm_cmpeq_epi8(n2, i))));
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    if (m) return p + __builtin_ctz(m);
    p += 16;
  }
#endif
  for (; e - p >= 3; p++)
    if ((p[0] | 0x20) == 's' && (((p[1] | 0x20) == 'i' && (p[2] | 0x20) == 'p') ||
                                 ((p[1] | 0x20) == ' ' && (p[2] | 0x20) == 'i')))
      return p;
  return e;
}

void body_sipdis(struct body *b) {
  /* either spelling anywhere: one scan for both, each place checked */
  for (const char *p = scan_sipdis(b->t, b->end); p < b->end; p = scan_sipdis(p + 1, b->end))
    if (has_prefix_ci(p, b->end, "SIPDIS") || has_prefix_ci(p, b->end, "S I P D I S")) {
      b->c->sipdis = true;
      return;
    }
}
