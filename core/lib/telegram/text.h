/* text.h - spans of text and the line and token scanners that telegram.c
 * and telegram_header.c share (internal, not installed).
 *
 * Ownership: a span borrows the text it points into; nothing is allocated.
 */
#ifndef CX_TEXT_H
#define CX_TEXT_H

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* A piece of the text: s[0..n), borrowed. */
struct span {
  const char *s;
  size_t n;
};

/* Blank within a line (not '\n'). */
static inline bool is_blank_char(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static inline struct span trim(struct span l) {
  while (l.n && is_blank_char(l.s[0])) {
    l.s++;
    l.n--;
  }
  while (l.n && is_blank_char(l.s[l.n - 1]))
    l.n--;
  return l;
}

/* The line starting at text[pos] (without its "\n" or "\r\n"), and the
 * offset of the next line. */
static inline struct span line_at(const char *text, size_t len, size_t pos, size_t *next) {
  const char *nl = memchr(text + pos, '\n', len - pos);
  size_t end = nl ? (size_t)(nl - text) : len;
  *next = nl ? end + 1 : len;
  struct span l = {text + pos, end - pos};
  if (l.n && l.s[l.n - 1] == '\r') l.n--;
  return l;
}

/* Splits off the next blank-separated token of *rest; false when none is
 * left. */
static inline bool next_token(struct span *rest, struct span *tok) {
  size_t i = 0;
  while (i < rest->n && is_blank_char(rest->s[i]))
    i++;
  size_t j = i;
  while (j < rest->n && !is_blank_char(rest->s[j]))
    j++;
  tok->s = rest->s + i;
  tok->n = j - i;
  rest->s += j;
  rest->n -= j;
  return tok->n > 0;
}

/* Is t the upper-case word w, in any case? */
static inline bool tok_ieq(struct span t, const char *w) {
  if (t.n != strlen(w)) return false;
  for (size_t i = 0; i < t.n; i++)
    if (toupper((unsigned char)t.s[i]) != (unsigned char)w[i]) return false;
  return true;
}

static inline bool all_digits(struct span t) {
  if (!t.n) return false;
  for (size_t i = 0; i < t.n; i++)
    if (!isdigit((unsigned char)t.s[i])) return false;
  return true;
}

#endif
