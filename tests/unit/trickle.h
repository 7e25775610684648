/* trickle.h - a test source for cx_istream_open_fn() that hands out a few
 * bytes at a time, as a pipe does (header-only, for the unit tests).
 *
 * Ownership: a trickle borrows its bytes; they must outlive the stream.
 */
#ifndef CX_TEST_TRICKLE_H
#define CX_TEST_TRICKLE_H

#include <stddef.h>
#include <string.h>

struct trickle {
  const char *p;
  size_t left;
  size_t step; /* most bytes per read */
};

static inline long trickle_read(void *user, void *buf, size_t n) {
  struct trickle *t = user;
  if (n > t->step) n = t->step;
  if (n > t->left) n = t->left;
  memcpy(buf, t->p, n);
  t->p += n;
  t->left -= n;
  return (long)n;
}

#endif
