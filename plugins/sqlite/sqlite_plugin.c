/* sqlite_plugin.c - the descriptor of the sqlite plugin: a cablex database
 * (formats/sqlite.md) in both directions. */
#include "sqlite_plugin.h"

static const char *const extensions[] = {"db", "sqlite", "sqlite3", NULL};

/* clang-format off */
CX_PLUGIN_DEFINE(
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
    .writer_close = sqlp_writer_close
);
/* clang-format on */
