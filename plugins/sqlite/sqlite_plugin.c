/* sqlite_plugin.c - the descriptor of the sqlite plugin: a cablex database
 * (formats/sqlite.md) in both directions. */
#include "sqlite_plugin.h"

static const char *const extensions[] = {"db", "sqlite", "sqlite3", NULL};

CX_PLUGIN_DEFINE(
    CX_PLUGIN_ABOUT("sqlite", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
                    "SQLite database: tables, citations view, FTS5 index (formats/sqlite.md)",
                    extensions, NULL),
    CX_PLUGIN_READER(sqlp), CX_PLUGIN_WRITER(sqlp));
