/* sqlite_schema.c - the schema of a cablex database (formats/sqlite.md):
 * the columns of the cables table as one table walked by the writer and the
 * reader, the statements that make the other tables, the views and the
 * indexes, the check of an existing database, and error messages. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sqlite_plugin.h"

static void add_col(struct sqlp_col *v, size_t cap, size_t *n, const struct cx_field *obj,
                    const struct cx_field *f) {
  if (*n == cap) return;
  struct sqlp_col *c = &v[(*n)++];
  c->obj = obj;
  c->f = f;
  if (!f)
    snprintf(c->name, sizeof c->name, "has_%s", obj->name);
  else if (obj)
    snprintf(c->name, sizeof c->name, "%s_%s", obj->name, f->name);
  else
    snprintf(c->name, sizeof c->name, "%s", f->name);
}

/* Lists and the cable's own string lists (tags) are tables of their own. */
static bool scalar(const struct cx_field *f, bool in_object) {
  return f->kind != CX_FK_LIST && f->kind != CX_FK_OBJECT &&
         (in_object || f->kind != CX_FK_STRINGS);
}

/* The fields of record rec, as CX_FOR_FIELDS walks them (whose parameter
 * `rec` is also the member it compares, so it takes only a variable so
 * named). */
static const struct cx_field *first_field(unsigned rec) {
  return &cx_fields[cx_records[rec].first];
}
static bool in_record(const struct cx_field *f, unsigned rec) {
  return f < cx_fields + CX_F_COUNT && f->rec == rec;
}

size_t sqlp_cable_cols(struct sqlp_col *v, size_t cap) {
  size_t n = 0;
  for (const struct cx_field *f = first_field(CX_REC_CABLE); in_record(f, CX_REC_CABLE); f++) {
    if (f->kind == CX_FK_OBJECT) {
      if (f->present != CX_FIELD_ALWAYS) add_col(v, cap, &n, f, NULL);
      for (const struct cx_field *g = first_field(f->sub); in_record(g, f->sub); g++)
        if (scalar(g, true)) add_col(v, cap, &n, f, g);
    } else if (scalar(f, false)) {
      add_col(v, cap, &n, NULL, f);
    }
  }
  return n;
}

bool sqlp_col_integer(const struct sqlp_col *c) {
  return !c->f || c->f->kind == CX_FK_VERSION || c->f->kind == CX_FK_BOOL ||
         c->f->kind == CX_FK_COUNT;
}

const char sqlp_child_sql[] =
    "CREATE TABLE tags(\n"
    "  cable INTEGER NOT NULL REFERENCES cables(seq),\n"
    "  position INTEGER NOT NULL,\n"
    "  tag TEXT NOT NULL,\n"
    "  PRIMARY KEY (cable, position)) WITHOUT ROWID;\n"
    "CREATE TABLE recipients(\n"
    "  cable INTEGER NOT NULL REFERENCES cables(seq),\n"
    "  list TEXT NOT NULL CHECK (list IN ('to', 'info')),\n"
    "  position INTEGER NOT NULL,\n"
    "  routing_indicator TEXT,\n"
    "  name TEXT,\n"
    "  precedence TEXT,\n"
    "  serial TEXT,\n"
    "  excluded TEXT NOT NULL,\n"
    "  PRIMARY KEY (cable, list, position)) WITHOUT ROWID;\n"
    "CREATE TABLE refs(\n"
    "  cable INTEGER NOT NULL REFERENCES cables(seq),\n"
    "  position INTEGER NOT NULL,\n"
    "  letter TEXT,\n"
    "  text TEXT,\n"
    "  kind TEXT NOT NULL,\n"
    "  cable_id TEXT,\n"
    "  PRIMARY KEY (cable, position)) WITHOUT ROWID;\n"
    "CREATE TABLE paragraphs(\n"
    "  cable INTEGER NOT NULL REFERENCES cables(seq),\n"
    "  position INTEGER NOT NULL,\n"
    "  number TEXT,\n"
    "  marking TEXT,\n"
    "  text TEXT);\n"
    "CREATE VIEW citations(from_id, to_id) AS\n"
    "  SELECT c.id, r.cable_id FROM refs r JOIN cables c ON c.seq = r.cable\n"
    "  WHERE r.kind = 'cable' AND r.cable_id IS NOT NULL;\n"
    "CREATE VIEW cable_text(seq, id, subject, summary, text) AS\n"
    "  SELECT c.seq, c.id, c.subject, c.summary,\n"
    "    (SELECT group_concat(p.text, char(10)) FROM paragraphs p WHERE p.cable = c.seq)\n"
    "  FROM cables c;\n";

const char sqlp_fts_sql[] =
    "CREATE VIRTUAL TABLE cable_fts USING fts5(id UNINDEXED, subject, summary, text,\n"
    "  content = 'cable_text', content_rowid = 'seq');\n";

const char sqlp_index_sql[] =
    "CREATE UNIQUE INDEX IF NOT EXISTS paragraphs_cable ON paragraphs(cable, position);\n"
    "CREATE INDEX IF NOT EXISTS cables_id ON cables(id);\n"
    "CREATE INDEX IF NOT EXISTS cables_created ON cables(created);\n"
    "CREATE INDEX IF NOT EXISTS cables_origin ON cables(origin);\n"
    "CREATE INDEX IF NOT EXISTS cables_classification ON cables(classification);\n"
    "CREATE INDEX IF NOT EXISTS tags_tag ON tags(tag);\n"
    "CREATE INDEX IF NOT EXISTS refs_cable_id ON refs(cable_id);\n";

int sqlp_create_sql(struct cx_buf *b) {
  struct sqlp_col cols[SQLP_MAX_COLS];
  size_t n = sqlp_cable_cols(cols, SQLP_MAX_COLS);
  int rc = cx_buf_adds(b, "CREATE TABLE cables(\n  seq INTEGER PRIMARY KEY");
  for (size_t i = 0; i < n && rc == CX_OK; i++)
    rc = cx_buf_printf(b, ",\n  %s %s", cols[i].name,
                       sqlp_col_integer(&cols[i]) ? "INTEGER" : "TEXT");
  if (rc == CX_OK) rc = cx_buf_adds(b, ");\n");
  if (rc == CX_OK) rc = cx_buf_adds(b, sqlp_child_sql);
  if (rc == CX_OK) rc = cx_buf_adds(b, sqlp_fts_sql);
  return rc;
}

int sqlp_fail(sqlite3 *db, int rc, struct cx_ctx *ctx, const char *what) {
  char msg[256];
  int e = db ? sqlite3_system_errno(db) : 0;
  snprintf(msg, sizeof msg, "%s%s%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), e ? ": " : "",
           e ? strerror(e) : "");
  switch (rc & 0xff) {
  case SQLITE_FULL:
    return cx_error(ctx, CX_FATAL, 0, "sqlite: %s: disk full (%s)", what, msg);
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    return cx_error(ctx, CX_FATAL, 0, "sqlite: %s: the database is locked by another program (%s)",
                    what, msg);
  case SQLITE_READONLY:
  case SQLITE_PERM:
    return cx_error(ctx, CX_FATAL, 0, "sqlite: %s: the database is read-only (%s)", what, msg);
  case SQLITE_NOTADB:
    return cx_error(ctx, CX_FATAL, 0, "sqlite: %s: not a cablex database (not an SQLite file)",
                    what);
  default:
    return cx_error(ctx, CX_FATAL, 0, "sqlite: %s: %s", what, msg);
  }
}

int sqlp_exec(sqlite3 *db, const char *sql, struct cx_ctx *ctx, const char *what) {
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  return rc == SQLITE_OK ? CX_OK : sqlp_fail(db, rc, ctx, what);
}

/* The integer a one-value pragma gives, or rc < 0 / a message on ctx. */
static int pragma_int(sqlite3 *db, const char *sql, long long *v, struct cx_ctx *ctx,
                      const char *path) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    *v = sqlite3_column_int64(st, 0);
    rc = SQLITE_OK;
  }
  if (rc != SQLITE_OK) rc = sqlp_fail(db, rc, ctx, path);
  sqlite3_finalize(st);
  return rc;
}

int sqlp_check_schema(sqlite3 *db, const char *what, struct cx_ctx *ctx) {
  long long app = 0, version = 0;
  int rc = pragma_int(db, "PRAGMA application_id", &app, ctx, what);
  if (rc == CX_OK) rc = pragma_int(db, "PRAGMA user_version", &version, ctx, what);
  if (rc != CX_OK) return rc;
  if (app != SQLP_APPLICATION_ID)
    return cx_error(ctx, CX_FATAL, 0,
                    "sqlite: not a cablex database (an SQLite file without cablex's "
                    "application id)");
  if (version != SQLP_SCHEMA_VERSION)
    return cx_error(ctx, CX_FATAL, 0,
                    "sqlite: a database of cablex schema version %lld; this cablex reads and "
                    "writes version %d",
                    version, SQLP_SCHEMA_VERSION);
  return CX_OK;
}

int sqlp_temp_file(char **path, int *fd, struct cx_ctx *ctx) {
  char name[4096];
  *path = NULL;
  *fd = cx_temp_open("sqlite", "cablex-sqlite", name, sizeof name, CX_FATAL, ctx);
  if (*fd < 0) return CX_FATAL;
  if ((*path = strdup(name))) return CX_OK;
  close(*fd);
  *fd = -1;
  unlink(name);
  return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
}
