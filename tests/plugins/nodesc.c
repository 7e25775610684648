/* nodesc.c - a shared module without the cablex_plugin_v1 descriptor: must
 * be refused.  Ownership: static data only. */
#include "cablex/plugin.h"

CX_PLUGIN_EXPORT int cablex_something_else(void);
CX_PLUGIN_EXPORT int cablex_something_else(void) {
  return 42;
}
