/* sqlite_plugin.h - the sqlite plugin's internal interface: a cablex
 * database (formats/sqlite.md) written and read with libsqlite3.
 *
 * Ownership: reader and writer state is the plugin's from open to close;
 * the JSON helpers append to a caller's cx_buf and fill a caller's value.
 */
#ifndef SQLP_PLUGIN_H
#define SQLP_PLUGIN_H

#include <sqlite3.h>

#include <cablex/fields.h>
#include <cablex/plugin.h>

/* The schema version in PRAGMA user_version, and the application id that
 * marks a database as cablex's (PRAGMA application_id, "CBLX"). */
#define SQLP_SCHEMA_VERSION 1
#define SQLP_APPLICATION_ID 0x43424c58
/* SQLite's page cache, negative: in KiB.  Reading and appending: 64 MiB.
 * A new database is written in key order with no journal, so a small cache
 * does (16 MiB), and its indexes are sorted at the end in as much again
 * (SQLite's sorter takes the cache's size). */
#define SQLP_CACHE_KIB (-65536)
#define SQLP_NEW_CACHE_KIB (-16384)
/* The full-text index's own database while it is built (sqlite_fts.c): its
 * page cache (8 MiB: it appends segments), the terms FTS5 gathers before it
 * writes them out as a segment (32 MiB of data, about 40 MiB of memory),
 * with no automerge (only FTS5's crisis merges, 16 segments at a time): the
 * fewer segments and merges, the less work; with 8 MiB and automerge 4,
 * merging cost twice the tokenizing at the whole corpus's scale.  And the
 * most cable text waiting for the thread (8 MiB). */
#define SQLP_FTS_CACHE_KIB (-8192)
#define SQLP_FTS_HASH_BYTES (32 << 20)
#define SQLP_FTS_QUEUE_BYTES ((size_t)8 << 20)

int sqlp_probe(const unsigned char *head, size_t len, const char *name);

CX_PLUGIN_DECLARE_WRITER(sqlp);

CX_PLUGIN_DECLARE_READER(sqlp);

/* ---- sqlite_schema.c ---- */
/* A column of the cables table, from the model's table of fields
 * (cablex/fields.h): a scalar field of the cable (f), a field of one of its
 * objects (obj, then f: "header_dtg"), or an object's flag ("has_header":
 * obj, f NULL).  Lists and the cable's string lists have tables of their
 * own (tags, recipients, refs, paragraphs). */
struct sqlp_col {
  char name[64];
  const struct cx_field *obj; /* the object field, or NULL */
  const struct cx_field *f;   /* the field, or NULL for obj's flag */
};
#define SQLP_MAX_COLS 64
/* Fills v with the columns of the cables table after seq, in the order of
 * the model; returns how many. */
size_t sqlp_cable_cols(struct sqlp_col *v, size_t cap);
/* Whether a column is INTEGER (else TEXT). */
bool sqlp_col_integer(const struct sqlp_col *c);
/* Appends the statements that create a new database's tables and views. */
int sqlp_create_sql(struct cx_buf *b);
/* The secondary indexes, made once the rows are in. */
extern const char sqlp_index_sql[];
/* The FTS5 table cable_fts (part of sqlp_create_sql()). */
extern const char sqlp_fts_sql[];
/* Checks that db is a cablex database of this schema version; CX_OK, or
 * CX_FATAL with a message on ctx (what: "reading", "appending"). */
int sqlp_check_schema(sqlite3 *db, const char *what, struct cx_ctx *ctx);
/* Reports the last error of db (what it was doing: "insert"), as CX_FATAL;
 * full disk, locks and read-only files get their own words. */
int sqlp_fail(sqlite3 *db, int rc, struct cx_ctx *ctx, const char *what);
/* Runs sql (several statements); CX_OK or sqlp_fail(). */
int sqlp_exec(sqlite3 *db, const char *sql, struct cx_ctx *ctx, const char *what);

/* Makes an empty file in TMPDIR (default /tmp): *path (caller frees and
 * removes it) and *fd (caller closes).  CX_OK or CX_FATAL. */
int sqlp_temp_file(char **path, int *fd, struct cx_ctx *ctx);

/* ---- sqlite_fts.c: a new database's full-text index, built on a thread ---- */
struct sqlp_fts;
/* Starts the thread and its database (a temporary file of TMPDIR). */
int sqlp_fts_start(struct sqlp_fts **f, struct cx_ctx *ctx);
/* Queues the text of the cable at seq (blocks while the queue is full);
 * CX_OK, or CX_FATAL once the thread failed. */
int sqlp_fts_add(struct sqlp_fts *f, sqlite3_int64 seq, const struct cx_cable *c,
                 struct cx_ctx *ctx);
/* Waits for the index and copies it into db's cable_fts (db is not in a
 * transaction). */
int sqlp_fts_finish(struct sqlp_fts *f, sqlite3 *db, struct cx_ctx *ctx);
/* Stops the thread if it runs, removes its database, frees f (or NULL). */
void sqlp_fts_free(struct sqlp_fts *f);

/* ---- sqlite_json.c: extra and string arrays as JSON text ---- */
/* Appends v as compact JSON; numbers as their text; strings byte for byte
 * (only '"', '\\' and control characters escaped). */
int sqlp_json_value(struct cx_buf *b, const struct cx_value *v);
int sqlp_json_strv(struct cx_buf *b, const struct cx_strv *v);
/* Parses JSON text made by the above into v (clear) / appends its strings
 * to sv.  CX_OK, or CX_FAILED for text that is not such JSON. */
int sqlp_json_parse_value(const char *s, struct cx_value *v);
int sqlp_json_parse_strv(const char *s, struct cx_strv *sv);

#endif
