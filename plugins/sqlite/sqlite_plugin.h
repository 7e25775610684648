/* sqlite_plugin.h - the sqlite plugin's internal interface: a cablex
 * database (formats/sqlite.md) written and read with libsqlite3.
 *
 * Ownership: reader and writer state is the plugin's from open to close;
 * the JSON helpers append to a caller's cx_buf and fill a caller's value.
 */
#ifndef SQLP_PLUGIN_H
#define SQLP_PLUGIN_H

#include <sqlite3.h>

#include <cablex/plugin.h>

/* The schema version in PRAGMA user_version, and the application id that
 * marks a database as cablex's (PRAGMA application_id, "CBLX"). */
#define SQLP_SCHEMA_VERSION 1
#define SQLP_APPLICATION_ID 0x43424c58
/* SQLite's page cache while writing or reading, negative: in KiB (64 MiB). */
#define SQLP_CACHE_KIB (-65536)

int sqlp_probe(const unsigned char *head, size_t len, const char *name);

int sqlp_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state);
int sqlp_writer_write(void *state, const struct cx_cable *cable, struct cx_ctx *ctx);
int sqlp_writer_close(void *state, struct cx_ctx *ctx);

int sqlp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state);
int sqlp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable);
void sqlp_reader_close(void *state);

/* ---- sqlite_schema.c ---- */
/* What a column of the cables table holds. */
enum sqlp_kind {
  SQLP_STR,           /* a char * of the cable: TEXT or NULL */
  SQLP_BOOL,          /* a bool: INTEGER 0 or 1 */
  SQLP_SECTIONS,      /* the int sections: INTEGER, NULL for 0 */
  SQLP_STRV,          /* a struct cx_strv: TEXT, a JSON array of strings */
  SQLP_EXTRA,         /* the struct cx_value extra: TEXT, a JSON object */
  SQLP_MODEL_VERSION, /* INTEGER, CX_MODEL_VERSION */
};
struct sqlp_col {
  const char *name; /* column name: the JSON path joined with '_' */
  enum sqlp_kind kind;
  size_t offset; /* of the field in struct cx_cable */
};
/* The columns of the cables table after seq, ended by a NULL name. */
extern const struct sqlp_col sqlp_cols[];
/* Appends the statements that create a new database's tables and views. */
int sqlp_create_sql(struct cx_buf *b);
/* The secondary indexes, made once the rows are in. */
extern const char sqlp_index_sql[];
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
