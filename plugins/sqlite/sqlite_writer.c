/* sqlite_writer.c - writes cables into a cablex database.
 *
 * A new database is built in the output's temporary file (renamed into
 * place by the core once everything succeeded) with the rollback journal
 * off; an existing cablex database at the output's name is appended to in
 * place, in one transaction, so that a failure leaves it as it was.  When
 * the output is no plain file (stdout, ".gz") the database is built in a
 * temporary file of TMPDIR, unlinked as soon as SQLite has it open (so no
 * signal can leave it behind), and copied to the output at the end from
 * the descriptor kept open on it.  All rows
 * go in through prepared statements in one transaction; the secondary
 * indexes and the full-text index are made at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sqlite_plugin.h"

enum { ST_CABLE, ST_FIND, ST_TAG, ST_RECIPIENT, ST_REF, ST_PARAGRAPH, ST_FTS_DELETE, ST_N };

static const char *const child_sql[ST_N] = {
    [ST_FIND] = "SELECT seq FROM cables WHERE id = ?1 AND seq < ?2 LIMIT 1",
    [ST_TAG] = "INSERT INTO tags(cable, position, tag) VALUES (?1, ?2, ?3)",
    [ST_RECIPIENT] = "INSERT INTO recipients(cable, list, position, routing_indicator, name, "
                     "precedence, serial, excluded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_REF] = "INSERT INTO refs(cable, position, letter, text, kind, cable_id) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_PARAGRAPH] = "INSERT INTO paragraphs(cable, position, number, marking, text) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_FTS_DELETE] = "INSERT INTO cable_fts(cable_fts, rowid, id, subject, summary, text) "
                      "SELECT 'delete', seq, id, subject, summary, text FROM cable_text "
                      "WHERE seq = ?1",
};

struct sqw {
  sqlite3 *db;
  sqlite3_stmt *st[ST_N];
  struct cx_ostream *out;  /* copy mode: where the database goes at the end */
  char *copy_path;         /* copy mode: the database in TMPDIR, until opened */
  int copy_fd;             /* copy mode: the same file, -1 when none */
  const char *path;        /* the file SQLite writes, for messages */
  bool append;             /* an existing database, updated in place */
  sqlite3_int64 first_new; /* seq of the first row of this run */
  sqlite3_int64 next;      /* seq of the next row (never one seen before) */
  struct sqlp_fts *fts;    /* a new database: its full-text index */
  struct cx_buf json;
  int err; /* set once the output is lost */
  struct sqlp_col cols[SQLP_MAX_COLS];
  size_t ncols;
};

static void sqw_free(struct sqw *w) {
  for (int i = 0; i < ST_N; i++)
    sqlite3_finalize(w->st[i]);
  if (w->db) sqlite3_close_v2(w->db);
  if (w->copy_path) {
    unlink(w->copy_path);
    free(w->copy_path);
  }
  if (w->copy_fd >= 0) close(w->copy_fd);
  sqlp_fts_free(w->fts);
  cx_buf_free(&w->json);
  free(w);
}

/* The cable columns' INSERT, made from the column table. */
static int prepare_insert(struct sqw *w, struct cx_ctx *ctx) {
  struct cx_buf b;
  cx_buf_init(&b, (size_t)-1);
  int rc = cx_buf_adds(&b, "INSERT INTO cables(seq");
  int n = 1 + (int)w->ncols;
  for (size_t i = 0; i < w->ncols && rc == CX_OK; i++)
    rc = cx_buf_printf(&b, ", %s", w->cols[i].name);
  if (rc == CX_OK) rc = cx_buf_adds(&b, ") VALUES (");
  for (int i = 1; i <= n && rc == CX_OK; i++)
    rc = cx_buf_printf(&b, "%s?%d", i > 1 ? ", " : "", i);
  if (rc == CX_OK) rc = cx_buf_adds(&b, ")");
  if (rc != CX_OK) {
    cx_buf_free(&b);
    return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  }
  int src =
      sqlite3_prepare_v3(w->db, b.data, -1, SQLITE_PREPARE_PERSISTENT, &w->st[ST_CABLE], NULL);
  cx_buf_free(&b);
  if (src != SQLITE_OK) return sqlp_fail(w->db, src, ctx, "preparing");
  for (int i = 1; i < ST_N; i++) {
    src = sqlite3_prepare_v3(w->db, child_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &w->st[i], NULL);
    if (src != SQLITE_OK) return sqlp_fail(w->db, src, ctx, "preparing");
  }
  return CX_OK;
}

/* A new database: schema, then the transaction of the run. */
static int create(struct sqw *w, struct cx_ctx *ctx) {
  struct cx_buf b;
  cx_buf_init(&b, (size_t)-1);
  int rc =
      cx_buf_printf(&b,
                    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = %d;\n"
                    "PRAGMA application_id = %d; PRAGMA user_version = %d;\n"
                    "BEGIN;\n",
                    SQLP_NEW_CACHE_KIB, SQLP_APPLICATION_ID, SQLP_SCHEMA_VERSION);
  if (rc == CX_OK) rc = sqlp_create_sql(&b);
  if (rc != CX_OK) {
    cx_buf_free(&b);
    return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  }
  rc = sqlp_exec(w->db, b.data, ctx, "creating the database");
  cx_buf_free(&b);
  return rc;
}

/* Whether path holds something: an existing, non-empty file. */
static bool has_content(const char *path, struct stat *st) {
  return stat(path, st) == 0 && S_ISREG(st->st_mode) && st->st_size > 0;
}

/* Opens the existing database at path for appending in place. */
static int open_existing(struct sqw *w, const char *path, const struct stat *st,
                         struct cx_ctx *ctx) {
  if (!(st->st_mode & 0222) || access(path, W_OK) != 0)
    return cx_error(ctx, CX_FATAL, 0, "sqlite: appending: the database is read-only");
  int src = sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE, NULL);
  if (src != SQLITE_OK) return sqlp_fail(w->db, src, ctx, "appending");
  if (sqlite3_db_readonly(w->db, "main") == 1)
    return cx_error(ctx, CX_FATAL, 0, "sqlite: appending: the database is read-only");
  int rc = sqlp_check_schema(w->db, "appending", ctx);
  if (rc != CX_OK) return rc;
  char pragma[64];
  snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %d", SQLP_CACHE_KIB);
  rc = sqlp_exec(w->db, pragma, ctx, "appending");
  if (rc == CX_OK) rc = sqlp_exec(w->db, "BEGIN IMMEDIATE", ctx, "appending");
  if (rc != CX_OK) return rc;
  sqlite3_stmt *st_max = NULL;
  src =
      sqlite3_prepare_v2(w->db, "SELECT coalesce(max(seq), 0) + 1 FROM cables", -1, &st_max, NULL);
  if (src == SQLITE_OK && (src = sqlite3_step(st_max)) == SQLITE_ROW) {
    w->first_new = sqlite3_column_int64(st_max, 0);
    src = SQLITE_OK;
  }
  sqlite3_finalize(st_max);
  if (src != SQLITE_OK) return sqlp_fail(w->db, src, ctx, "appending");
  w->append = true;
  w->next = w->first_new;
  return CX_OK;
}

/* A file of TMPDIR for a database that goes to a stream at the end. */
static int make_copy_file(struct sqw *w, struct cx_ctx *ctx) {
  return sqlp_temp_file(&w->copy_path, &w->copy_fd, ctx);
}

int sqlp_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  (void)opts;
  struct sqw *w = calloc(1, sizeof *w);
  if (!w) return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  cx_buf_init(&w->json, (size_t)-1);
  w->copy_fd = -1;
  w->ncols = sqlp_cable_cols(w->cols, SQLP_MAX_COLS);
  w->first_new = w->next = 1;
  struct stat st;
  const char *name = cx_ostream_name(out);
  int rc;
  if (cx_ostream_file(out) && has_content(name, &st)) {
    rc = open_existing(w, name, &st, ctx);
    if (rc == CX_OK) w->path = cx_ostream_in_place(out);
  } else {
    w->path = cx_ostream_file(out);
    if (!w->path && (rc = make_copy_file(w, ctx)) != CX_OK) goto fail;
    if (!w->path) {
      w->path = w->copy_path;
      w->out = out;
    }
    int src = sqlite3_open_v2(w->path, &w->db, SQLITE_OPEN_READWRITE, NULL);
    if (src == SQLITE_OK && w->copy_path) {
      /* SQLite keeps its descriptor (and no journal): the name can go */
      unlink(w->copy_path);
      free(w->copy_path);
      w->copy_path = NULL;
      w->path = "(a temporary file)";
    }
    rc = src == SQLITE_OK ? create(w, ctx) : sqlp_fail(w->db, src, ctx, "creating");
    if (rc == CX_OK) rc = sqlp_fts_start(&w->fts, ctx);
  }
  if (rc == CX_OK) rc = prepare_insert(w, ctx);
  if (rc == CX_OK) {
    *state = w;
    return CX_OK;
  }
fail:
  sqw_free(w);
  return CX_FATAL;
}

static int bind_str(sqlite3_stmt *st, int i, const char *s) {
  return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

/* Steps a bound INSERT or DELETE to its end and resets it. */
static int run(struct sqw *w, sqlite3_stmt *st, struct cx_ctx *ctx, const char *what) {
  int src = sqlite3_step(st);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (src == SQLITE_DONE) return CX_OK;
  w->err = CX_FATAL;
  return sqlp_fail(w->db, src, ctx, what);
}

/* Binds column i (1-based) of the cables INSERT from the cable (the JSON of
 * string lists and extra is copied by SQLite). */
static int bind_col(struct sqw *w, const struct sqlp_col *col, int i, const struct cx_cable *c) {
  struct cx_buf *json = &w->json;
  sqlite3_stmt *st = w->st[ST_CABLE];
  const void *base = col->obj ? cx_field_ptr(col->obj, c) : c;
  if (!col->f) return sqlite3_bind_int(st, i, cx_field_present(col->obj, c) ? 1 : 0);
  const void *field = cx_field_ptr(col->f, base);
  switch (col->f->kind) {
  case CX_FK_VERSION:
    return sqlite3_bind_int(st, i, CX_MODEL_VERSION);
  case CX_FK_BOOL:
    return sqlite3_bind_int(st, i, *(const bool *)field ? 1 : 0);
  case CX_FK_COUNT: {
    int n = *(const int *)field;
    return n > 0 ? sqlite3_bind_int(st, i, n) : sqlite3_bind_null(st, i);
  }
  case CX_FK_STRINGS:
  case CX_FK_EXTRA: {
    cx_buf_reset(json);
    int rc;
    if (col->f->kind == CX_FK_STRINGS) {
      rc = sqlp_json_strv(json, field);
    } else {
      const struct cx_value *v = field;
      rc = v->kind == CX_VALUE_OBJECT ? sqlp_json_value(json, v) : cx_buf_adds(json, "{}");
    }
    if (rc != CX_OK) return SQLITE_NOMEM;
    return sqlite3_bind_text(st, i, json->data, (int)json->len, SQLITE_TRANSIENT);
  }
  default: /* STRING, DATETIME, DATE */
    return bind_str(st, i, cx_field_str(col->f, base));
  }
}

static int put_recipients(struct sqw *w, sqlite3_int64 seq, const char *list,
                          const struct cx_recipients *v, struct cx_ctx *ctx) {
  sqlite3_stmt *st = w->st[ST_RECIPIENT];
  for (size_t i = 0; i < v->n; i++) {
    const struct cx_recipient *r = &v->v[i];
    cx_buf_reset(&w->json);
    if (sqlp_json_strv(&w->json, &r->excluded) != CX_OK)
      return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_text(st, 2, list, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
    bind_str(st, 4, r->routing_indicator);
    bind_str(st, 5, r->name);
    bind_str(st, 6, r->precedence);
    bind_str(st, 7, r->serial);
    sqlite3_bind_text(st, 8, w->json.data, (int)w->json.len, SQLITE_STATIC);
    int rc = run(w, st, ctx, "inserting recipients");
    if (rc != CX_OK) return rc;
  }
  return CX_OK;
}

static int put_children(struct sqw *w, sqlite3_int64 seq, const struct cx_cable *c,
                        struct cx_ctx *ctx) {
  int rc = CX_OK;
  sqlite3_stmt *st = w->st[ST_TAG];
  for (size_t i = 0; i < c->tags.n && rc == CX_OK; i++) {
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    bind_str(st, 3, c->tags.v[i] ? c->tags.v[i] : "");
    rc = run(w, st, ctx, "inserting tags");
  }
  if (rc == CX_OK) rc = put_recipients(w, seq, "to", &c->header.to, ctx);
  if (rc == CX_OK) rc = put_recipients(w, seq, "info", &c->header.info, ctx);
  st = w->st[ST_REF];
  for (size_t i = 0; i < c->references.n && rc == CX_OK; i++) {
    const struct cx_reference *r = &c->references.v[i];
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    bind_str(st, 3, r->letter);
    bind_str(st, 4, r->text);
    bind_str(st, 5, cx_ref_kind_name(r->kind));
    bind_str(st, 6, r->cable_id);
    rc = run(w, st, ctx, "inserting references");
  }
  st = w->st[ST_PARAGRAPH];
  for (size_t i = 0; i < c->paragraphs.n && rc == CX_OK; i++) {
    const struct cx_paragraph *p = &c->paragraphs.v[i];
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
    bind_str(st, 3, p->number);
    bind_str(st, 4, p->marking);
    bind_str(st, 5, p->text);
    rc = run(w, st, ctx, "inserting paragraphs");
  }
  return rc;
}

/* Removes the cable at seq, one of an earlier run (it leaves the full-text
 * index first, which needs its old text). */
static int remove_cable(struct sqw *w, sqlite3_int64 seq, struct cx_ctx *ctx) {
  static const char *const del[] = {
      "DELETE FROM tags WHERE cable = ?1", "DELETE FROM recipients WHERE cable = ?1",
      "DELETE FROM refs WHERE cable = ?1", "DELETE FROM paragraphs WHERE cable = ?1",
      "DELETE FROM cables WHERE seq = ?1",
  };
  sqlite3_bind_int64(w->st[ST_FTS_DELETE], 1, seq);
  int rc = run(w, w->st[ST_FTS_DELETE], ctx, "replacing a cable");
  for (size_t i = 0; i < sizeof del / sizeof del[0] && rc == CX_OK; i++) {
    sqlite3_stmt *st = NULL;
    int src = sqlite3_prepare_v2(w->db, del[i], -1, &st, NULL);
    if (src != SQLITE_OK) {
      w->err = CX_FATAL;
      return sqlp_fail(w->db, src, ctx, "replacing a cable");
    }
    sqlite3_bind_int64(st, 1, seq);
    rc = run(w, st, ctx, "replacing a cable");
    sqlite3_finalize(st);
  }
  return rc;
}

/* The seq of a cable with this id that was in the database before this
 * run, or 0 (the cables of one run are all kept, duplicate ids included,
 * as the input had them). */
static sqlite3_int64 find(struct sqw *w, const char *id) {
  sqlite3_stmt *st = w->st[ST_FIND];
  sqlite3_int64 seq = 0;
  if (!w->append || !id) return 0;
  sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, w->first_new);
  if (sqlite3_step(st) == SQLITE_ROW) seq = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return seq;
}

int sqlp_writer_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct sqw *w = state;
  if (w->err) return CX_FATAL;
  int result = CX_OK;
  for (sqlite3_int64 old; (old = find(w, c->id)) != 0; result = CX_WARN)
    if (remove_cable(w, old, ctx) != CX_OK) return CX_FATAL;
  if (result == CX_WARN)
    cx_warn(ctx, 0, "sqlite: cable %s replaced: it was in the database already", c->id);
  sqlite3_int64 seq = w->next++;
  int i = 2, src = sqlite3_bind_int64(w->st[ST_CABLE], 1, seq);
  for (size_t k = 0; k < w->ncols && src == SQLITE_OK; k++, i++)
    src = bind_col(w, &w->cols[k], i, c);
  if (src != SQLITE_OK) {
    w->err = CX_FATAL;
    sqlite3_clear_bindings(w->st[ST_CABLE]);
    return sqlp_fail(w->db, src, ctx, "inserting a cable");
  }
  if (run(w, w->st[ST_CABLE], ctx, "inserting a cable") != CX_OK) return CX_FATAL;
  if (put_children(w, seq, c, ctx) != CX_OK) return CX_FATAL;
  if (w->fts && sqlp_fts_add(w->fts, seq, c, ctx) != CX_OK) {
    w->err = CX_FATAL;
    return CX_FATAL;
  }
  return result;
}

/* Copy mode: the finished database to the output stream. */
static int copy_out(struct sqw *w, struct cx_ctx *ctx) {
  char buf[65536];
  ssize_t n;
  off_t at = 0;
  int rc = CX_OK;
  while (rc == CX_OK && (n = pread(w->copy_fd, buf, sizeof buf, at)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      rc =
          cx_error(ctx, CX_FATAL, 0, "sqlite: reading the temporary database: %s", strerror(errno));
      break;
    }
    at += n;
    rc = cx_ostream_write(w->out, buf, (size_t)n) < 0 ? CX_FATAL : CX_OK;
  }
  return rc;
}

int sqlp_writer_close(void *state, struct cx_ctx *ctx) {
  struct sqw *w = state;
  int rc = w->err;
  char fts[160];
  /* Appending indexes the new rows here; a new database's index is built
   * on its thread meanwhile and copied in after the commit. */
  snprintf(fts, sizeof fts,
           "INSERT INTO cable_fts(rowid, id, subject, summary, text) "
           "SELECT seq, id, subject, summary, text FROM cable_text WHERE seq >= %lld",
           (long long)w->first_new);
  if (rc == CX_OK && w->append) rc = sqlp_exec(w->db, fts, ctx, "building the full-text index");
  if (rc == CX_OK) rc = sqlp_exec(w->db, sqlp_index_sql, ctx, "building the indexes");
  for (int i = 0; i < ST_N; i++) {
    sqlite3_finalize(w->st[i]);
    w->st[i] = NULL;
  }
  if (rc == CX_OK) rc = sqlp_exec(w->db, "COMMIT", ctx, "committing");
  if (rc != CX_OK) sqlite3_exec(w->db, "ROLLBACK", NULL, NULL, NULL);
  if (rc == CX_OK && w->fts) rc = sqlp_fts_finish(w->fts, w->db, ctx);
  int src = sqlite3_close_v2(w->db);
  w->db = NULL;
  if (rc == CX_OK && src != SQLITE_OK) rc = sqlp_fail(NULL, src, ctx, "closing");
  if (rc == CX_OK && w->out) rc = copy_out(w, ctx);
  sqw_free(w);
  return rc == CX_OK ? CX_OK : CX_FATAL;
}
