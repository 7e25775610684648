/* floor.c - the floor of a conversion, for bench/: reads its input once
 * (standard input, or a file), makes one memchr pass over every block (as
 * any reader must find its lines), and writes BYTES bytes of output (what
 * the conversion being compared writes).  Run as `igzip -dc X.gz | floor
 * BYTES > OUT`, that is the least work any converter of X can do.
 *
 * usage: floor BYTES [FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (1 << 17)

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: floor BYTES [FILE]\n", stderr);
    return 2;
  }
  unsigned long long left = strtoull(argv[1], NULL, 10), lines = 0;
  FILE *in = argc > 2 ? fopen(argv[2], "rb") : stdin;
  if (!in) {
    perror(argv[2]);
    return 1;
  }
  static char buf[BLOCK], out[BLOCK];
  memset(out, 'x', sizeof out);
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    for (const char *p = buf, *e = buf + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
      lines++;
    /* the output goes out as the input comes in, as a converter's does */
    size_t k = left < n ? (size_t)left : n;
    if (k && fwrite(out, 1, k, stdout) != k) return 1;
    left -= k;
  }
  while (left) {
    size_t k = left < sizeof out ? (size_t)left : sizeof out;
    if (fwrite(out, 1, k, stdout) != k) return 1;
    left -= k;
  }
  fprintf(stderr, "%llu lines\n", lines);
  return fflush(stdout) != 0;
}
