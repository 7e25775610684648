/* abi2.c - a test plugin built for a future ABI 2.0: must be refused.
 * Ownership: static data only. */
#include "cablex/plugin.h"

CX_PLUGIN_EXPORT const struct cx_plugin cablex_plugin_v1 = {
    .abi_major = 2,
    .abi_minor = 0,
    .struct_size = sizeof(struct cx_plugin),
    .name = "abi2",
    .version = "1",
    .kinds = CX_KIND_INPUT,
};
