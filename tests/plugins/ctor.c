/* ctor.c - a module whose constructor leaves a mark: it creates the file
 * that CX_TEST_CTOR_FILE names, when loading runs it.  No descriptor: once
 * opened it is refused, but by then its constructor has run, which is what
 * a refusal for a world-writable place must prevent (hostile_plugins_unsafe).
 * Ownership: nothing kept. */
#include <stdio.h>
#include <stdlib.h>

#include "cablex/plugin.h"

__attribute__((constructor)) static void leave_mark(void) {
  const char *path = getenv("CX_TEST_CTOR_FILE");
  FILE *f = path ? fopen(path, "w") : NULL;
  if (f) fclose(f);
}

CX_PLUGIN_EXPORT int cablex_test_ctor(void);
CX_PLUGIN_EXPORT int cablex_test_ctor(void) {
  return 1;
}
