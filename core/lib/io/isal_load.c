/* isal_load.c - opens ISA-L on first use (see isal_load.h).
 *
 * Ownership: as in isal_load.h.
 */
#include "isal_load.h"

#ifdef CX_HAVE_ISAL
#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

struct cx_isal_api cx_isal;
static pthread_once_t isal_once = PTHREAD_ONCE_INIT;
static bool isal_ok;

static void isal_open(void) {
  void *h = dlopen(CX_ISAL_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) return;
  void *sym;
#define CX_ISAL_SYM(name)                                                                          \
  if (!(sym = dlsym(h, #name))) return;                                                            \
  memcpy(&cx_isal.name, &sym, sizeof sym);
  CX_ISAL_FUNCS(CX_ISAL_SYM)
#undef CX_ISAL_SYM
  isal_ok = true; /* h stays open for the life of the process */
}

bool cx_isal_open(void) {
  pthread_once(&isal_once, isal_open);
  return isal_ok;
}
#endif
