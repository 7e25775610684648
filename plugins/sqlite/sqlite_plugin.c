/* sqlite_plugin.c - the descriptor of the sqlite plugin: a cablex database
 * (formats/sqlite.md) in both directions. */
#include "sqlite_plugin.h"

static const char *const extensions[] = {"db", "sqlite", "sqlite3", NULL};

CX_PLUGIN_EXPORT const struct cx_plugin cablex_plugin_v1 = {
    .abi_major = CX_ABI_MAJOR,
    .abi_minor = CX_ABI_MINOR,
    .struct_size = sizeof(struct cx_plugin),
    .name = "sqlite",
    .version = "1.0.0",
    .description = "SQLite database: tables, citations view, FTS5 index (formats/sqlite.md)",
    .kinds = CX_KIND_INPUT | CX_KIND_OUTPUT,
    .extensions = extensions,
    .options = NULL,
    .probe = sqlp_probe,
    .reader_open = sqlp_reader_open,
    .reader_next = sqlp_reader_next,
    .reader_close = sqlp_reader_close,
    .writer_open = sqlp_writer_open,
    .writer_write = sqlp_writer_write,
    .writer_close = sqlp_writer_close,
};
