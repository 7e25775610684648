/* dl_table.c - libraries opened on first use (see dl_table.h).
 *
 * Ownership: as in dl_table.h.
 */
#include "dl_table.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

static pthread_mutex_t dl_lock = PTHREAD_MUTEX_INITIALIZER;

/* dlsym gives each function's address as a void *; it is stored in the
 * table's i-th pointer (a table holds function pointers only). */
static bool fill(struct cx_dl_lib *lib) {
  typedef void (*fn)(void);
  if (lib->size != lib->n * sizeof(fn)) return false;
  void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
  if (!h) return false;
  for (size_t i = 0; i < lib->n; i++) {
    void *sym = dlsym(h, lib->names[i]);
    if (!sym) return false; /* h stays open: another table may use it */
    memcpy((char *)lib->table + i * sizeof(fn), &sym, sizeof sym);
  }
  return true; /* h stays open for the life of the process */
}

bool cx_dl_open(struct cx_dl_lib *lib) {
  int s = __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE);
  if (!s) {
    pthread_mutex_lock(&dl_lock);
    s = lib->state;
    if (!s) {
      s = fill(lib) ? 1 : -1;
      __atomic_store_n(&lib->state, s, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&dl_lock);
  }
  return s > 0;
}
