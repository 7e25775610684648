/* newer.c - a test plugin built for a newer minor ABI than the core's:
 * must be refused.  Ownership: static data only. */
#include "cablex/plugin.h"

CX_PLUGIN_EXPORT const struct cx_plugin cablex_plugin_v1 = {
    .abi_major = CX_ABI_MAJOR,
    .abi_minor = CX_ABI_MINOR + 1,
    .struct_size = sizeof(struct cx_plugin),
    .name = "newer",
    .version = "1",
    .kinds = CX_KIND_INPUT,
};
