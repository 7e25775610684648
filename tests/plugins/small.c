/* small.c - a test plugin whose descriptor claims fewer bytes than ABI 1.0
 * has: must be refused.  Ownership: static data only. */
#include <stddef.h>

#include "cablex/plugin.h"

CX_PLUGIN_EXPORT const struct cx_plugin cablex_plugin_v1 = {
    .abi_major = CX_ABI_MAJOR,
    .abi_minor = CX_ABI_MINOR,
    .struct_size = offsetof(struct cx_plugin, probe),
    .name = "small",
    .version = "1",
    .kinds = CX_KIND_INPUT,
};
