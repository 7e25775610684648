/* heapcount.c - a malloc that counts, for tests/cli/test_bulk_memory.sh:
 * LD_PRELOAD it and it keeps the bytes of heap in use (malloc_usable_size
 * of each block, over every thread) and their peak, and writes the peak in
 * bytes to the file HEAPCOUNT_OUT names when the program exits.  Not RSS:
 * neither page faults, nor malloc's arenas and free lists, nor what else
 * runs on the machine change it.  glibc only (its __libc_* functions are
 * the real allocator); the test skips elsewhere and under sanitizers. */
#include <errno.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void *__libc_memalign(size_t align, size_t n);
extern void __libc_free(void *p);

static _Atomic long long live, peak;

static void *counted(void *p) {
  if (p) {
    long long now = atomic_fetch_add(&live, (long long)malloc_usable_size(p)) +
                    (long long)malloc_usable_size(p);
    long long top = atomic_load(&peak);
    while (now > top && !atomic_compare_exchange_weak(&peak, &top, now))
      ;
  }
  return p;
}

static void uncount(void *p) {
  if (p) atomic_fetch_sub(&live, (long long)malloc_usable_size(p));
}

__attribute__((visibility("default"))) void *malloc(size_t n) {
  return counted(__libc_malloc(n));
}

__attribute__((visibility("default"))) void *calloc(size_t n, size_t size) {
  return counted(__libc_calloc(n, size));
}

__attribute__((visibility("default"))) void *realloc(void *p, size_t n) {
  if (!p) return counted(__libc_malloc(n));
  size_t old = malloc_usable_size(p);
  void *q = __libc_realloc(p, n);
  if (!q) return NULL;
  atomic_fetch_sub(&live, (long long)old);
  return counted(q);
}

__attribute__((visibility("default"))) void free(void *p) {
  uncount(p);
  __libc_free(p);
}

__attribute__((visibility("default"))) void *memalign(size_t align, size_t n) {
  return counted(__libc_memalign(align, n));
}

__attribute__((visibility("default"))) void *aligned_alloc(size_t align, size_t n) {
  return counted(__libc_memalign(align, n));
}

__attribute__((visibility("default"))) int posix_memalign(void **out, size_t align, size_t n) {
  if (align < sizeof(void *) || (align & (align - 1))) return EINVAL;
  void *p = counted(__libc_memalign(align, n));
  if (!p && n) return ENOMEM;
  *out = p;
  return 0;
}

__attribute__((destructor)) static void report(void) {
  const char *path = getenv("HEAPCOUNT_OUT");
  if (!path) return;
  FILE *f = fopen(path, "w");
  if (!f) return;
  fprintf(f, "%lld\n", atomic_load(&peak));
  fclose(f);
}
