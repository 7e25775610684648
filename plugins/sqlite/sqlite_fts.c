/* sqlite_fts.c - the full-text index of a new database, built by a thread
 * of its own while the writer fills the tables.
 *
 * Tokenizing is most of the cost of a cablex database, and SQLite writes a
 * database from one connection at a time: so the index is built in a
 * database of its own by a second connection on a second thread, from the
 * same text the view cable_text gives, and its tables (cable_fts_data,
 * _idx, _docsize) are copied into the new database at the end.  That
 * database is SQLite's anonymous temporary one (opened as ""): its file in
 * TMPDIR is unlinked as soon as it is opened, so a run killed by any signal,
 * even SIGKILL, leaves nothing behind.  The writer hands each cable's text
 * over through a queue bounded in bytes (SQLP_FTS_QUEUE_BYTES), so memory
 * stays flat.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sqlite_plugin.h"

enum { FTS_ID, FTS_SUBJECT, FTS_SUMMARY, FTS_TEXT, FTS_NCOL };

/* A cable's text, waiting for the thread. */
struct fts_item {
  struct fts_item *next;
  sqlite3_int64 seq;
  const char *col[FTS_NCOL]; /* NULL: SQL NULL; else into data */
  int len[FTS_NCOL];
  size_t size;
  char data[];
};

struct sqlp_fts {
  pthread_t thread;
  bool started;
  sqlite3 *db; /* the thread's connection to the index's database */
  pthread_mutex_t lock;
  pthread_cond_t more; /* an item or the end, for the thread */
  pthread_cond_t room; /* room in the queue, or the thread failed */
  struct fts_item *head, *tail;
  size_t queued; /* bytes */
  bool end;      /* no more items */
  bool failed;   /* the thread stopped on an error: msg */
  char msg[320];
};

static void fail_locked(struct sqlp_fts *f, const char *what, int rc) {
  if (f->failed) return;
  f->failed = true;
  const char *m = f->db ? sqlite3_errmsg(f->db) : sqlite3_errstr(rc);
  bool full = (rc & 0xff) == SQLITE_FULL;
  snprintf(f->msg, sizeof f->msg, "%s%s (%s)", what, full ? ": disk full" : "", m);
}

static void fail(struct sqlp_fts *f, const char *what, int rc) {
  pthread_mutex_lock(&f->lock);
  fail_locked(f, what, rc);
  pthread_cond_broadcast(&f->room);
  pthread_mutex_unlock(&f->lock);
}

static struct fts_item *take(struct sqlp_fts *f) {
  pthread_mutex_lock(&f->lock);
  while (!f->head && !f->end && !f->failed)
    pthread_cond_wait(&f->more, &f->lock);
  struct fts_item *it = f->failed ? NULL : f->head;
  if (it) {
    f->head = it->next;
    if (!f->head) f->tail = NULL;
    f->queued -= it->size;
    pthread_cond_signal(&f->room);
  }
  pthread_mutex_unlock(&f->lock);
  return it;
}

static int insert(sqlite3_stmt *st, const struct fts_item *it) {
  sqlite3_bind_int64(st, 1, it->seq);
  for (int k = 0; k < FTS_NCOL; k++)
    if (it->col[k])
      sqlite3_bind_text(st, k + 2, it->col[k], it->len[k], SQLITE_STATIC);
    else
      sqlite3_bind_null(st, k + 2);
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void *run(void *arg) {
  struct sqlp_fts *f = arg;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(f->db,
                              "INSERT INTO cable_fts(rowid, id, subject, summary, text) "
                              "VALUES (?1, ?2, ?3, ?4, ?5)",
                              -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
  if (rc != SQLITE_OK) fail(f, "building the full-text index", rc);
  for (struct fts_item *it; rc == SQLITE_OK && (it = take(f)) != NULL;) {
    rc = insert(st, it);
    free(it);
    if (rc != SQLITE_OK) fail(f, "building the full-text index", rc);
  }
  sqlite3_finalize(st);
  pthread_mutex_lock(&f->lock);
  bool stopped = f->failed;
  pthread_mutex_unlock(&f->lock);
  if (!stopped && (rc = sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
    fail(f, "building the full-text index", rc);
  return NULL;
}

/* The index's database: an anonymous temporary one (no name in TMPDIR),
 * with the same FTS5 table as the new database's (so its tables have the
 * same names and layout), no journal. */
static int open_db(struct sqlp_fts *f, struct cx_ctx *ctx) {
  int src = sqlite3_open_v2("", &f->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (src != SQLITE_OK) return sqlp_fail(f->db, src, ctx, "building the full-text index");
  char sql[1024];
  snprintf(sql, sizeof sql,
           "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = %d;\n"
           "BEGIN;\n%s"
           "INSERT INTO cable_fts(cable_fts, rank) VALUES ('hashsize', %d);\n"
           "INSERT INTO cable_fts(cable_fts, rank) VALUES ('automerge', 0);\n",
           SQLP_FTS_CACHE_KIB, sqlp_fts_sql, SQLP_FTS_HASH_BYTES);
  return sqlp_exec(f->db, sql, ctx, "building the full-text index");
}

void sqlp_fts_free(struct sqlp_fts *f) {
  if (!f) return;
  if (f->started) {
    pthread_mutex_lock(&f->lock);
    f->end = true;
    fail_locked(f, "stopped", SQLITE_ABORT);
    pthread_cond_broadcast(&f->more);
    pthread_mutex_unlock(&f->lock);
    pthread_join(f->thread, NULL);
  }
  for (struct fts_item *it = f->head, *next; it; it = next) {
    next = it->next;
    free(it);
  }
  if (f->db) sqlite3_close_v2(f->db);
  pthread_mutex_destroy(&f->lock);
  pthread_cond_destroy(&f->more);
  pthread_cond_destroy(&f->room);
  free(f);
}

int sqlp_fts_start(struct sqlp_fts **out, struct cx_ctx *ctx) {
  struct sqlp_fts *f = calloc(1, sizeof *f);
  if (!f) return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  pthread_mutex_init(&f->lock, NULL);
  pthread_cond_init(&f->more, NULL);
  pthread_cond_init(&f->room, NULL);
  int rc = open_db(f, ctx);
  if (rc == CX_OK && pthread_create(&f->thread, NULL, run, f) != 0)
    rc = cx_error(ctx, CX_FATAL, 0, "sqlite: cannot start the full-text index's thread");
  f->started = rc == CX_OK;
  if (rc != CX_OK) {
    sqlp_fts_free(f);
    return CX_FATAL;
  }
  *out = f;
  return CX_OK;
}

static int error(struct sqlp_fts *f, struct cx_ctx *ctx) {
  return cx_error(ctx, CX_FATAL, 0, "sqlite: %s", f->msg);
}

/* The paragraphs' text as group_concat(text, char(10)) gives it: the
 * non-null texts in order, joined by newlines; NULL when there are none. */
static size_t text_size(const struct cx_cable *c, bool *null) {
  size_t n = 0;
  *null = true;
  for (size_t i = 0; i < c->paragraphs.n; i++) {
    const char *t = c->paragraphs.v[i].text;
    if (!t) continue;
    n += strlen(t) + !*null;
    *null = false;
  }
  return n;
}

static struct fts_item *make_item(sqlite3_int64 seq, const struct cx_cable *c) {
  const char *s[FTS_NCOL - 1] = {c->id, c->subject, c->summary};
  size_t len[FTS_NCOL], total = 0;
  bool text_null;
  for (int k = 0; k < FTS_NCOL - 1; k++)
    total += (len[k] = s[k] ? strlen(s[k]) : 0);
  total += (len[FTS_TEXT] = text_size(c, &text_null));
  for (int k = 0; k < FTS_NCOL; k++)
    if (len[k] > (size_t)0x7fffffff) return NULL;
  struct fts_item *it = malloc(sizeof *it + total + 1);
  if (!it) return NULL;
  it->next = NULL;
  it->seq = seq;
  it->size = sizeof *it + total + 1;
  char *p = it->data;
  for (int k = 0; k < FTS_NCOL - 1; k++) {
    it->col[k] = s[k] ? p : NULL;
    it->len[k] = (int)len[k];
    if (s[k]) memcpy(p, s[k], len[k]);
    p += len[k];
  }
  it->col[FTS_TEXT] = text_null ? NULL : p;
  it->len[FTS_TEXT] = (int)len[FTS_TEXT];
  bool first = true;
  for (size_t i = 0; i < c->paragraphs.n; i++) {
    const char *t = c->paragraphs.v[i].text;
    if (!t) continue;
    if (!first) *p++ = '\n';
    size_t n = strlen(t);
    memcpy(p, t, n);
    p += n;
    first = false;
  }
  *p = '\0';
  return it;
}

int sqlp_fts_add(struct sqlp_fts *f, sqlite3_int64 seq, const struct cx_cable *c,
                 struct cx_ctx *ctx) {
  struct fts_item *it = make_item(seq, c);
  if (!it) return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  pthread_mutex_lock(&f->lock);
  while (!f->failed && f->head && f->queued + it->size > SQLP_FTS_QUEUE_BYTES)
    pthread_cond_wait(&f->room, &f->lock);
  bool failed = f->failed;
  if (!failed) {
    if (f->tail)
      f->tail->next = it;
    else
      f->head = it;
    f->tail = it;
    f->queued += it->size;
    pthread_cond_signal(&f->more);
  }
  pthread_mutex_unlock(&f->lock);
  if (!failed) return CX_OK;
  free(it);
  return error(f, ctx);
}

/* The tables an FTS5 index keeps its data in, copied whole, and their
 * number of columns. */
static const struct {
  const char *name;
  int ncol;
} fts_tables[] = {{"cable_fts_data", 2}, {"cable_fts_idx", 3}, {"cable_fts_docsize", 2}};

/* Copies the rows of table from the index's database into db's (emptied
 * first), in the order of its key. */
static int copy_table(sqlite3 *from, sqlite3 *db, const char *table, int ncol, struct cx_ctx *ctx) {
  char sql[128];
  snprintf(sql, sizeof sql, "DELETE FROM main.%s", table);
  int rc = sqlp_exec(db, sql, ctx, "copying the full-text index");
  if (rc != CX_OK) return rc;
  sqlite3_stmt *get = NULL, *put = NULL;
  snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
  int src = sqlite3_prepare_v2(from, sql, -1, &get, NULL);
  if (src != SQLITE_OK) rc = sqlp_fail(from, src, ctx, "copying the full-text index");
  snprintf(sql, sizeof sql, "INSERT INTO main.%s VALUES (?1, ?2%s)", table,
           ncol == 3 ? ", ?3" : "");
  if (rc == CX_OK && (src = sqlite3_prepare_v2(db, sql, -1, &put, NULL)) != SQLITE_OK)
    rc = sqlp_fail(db, src, ctx, "copying the full-text index");
  while (rc == CX_OK && (src = sqlite3_step(get)) == SQLITE_ROW) {
    for (int k = 0; k < ncol; k++)
      sqlite3_bind_value(put, k + 1, sqlite3_column_value(get, k));
    if ((src = sqlite3_step(put)) != SQLITE_DONE)
      rc = sqlp_fail(db, src, ctx, "copying the full-text index");
    sqlite3_reset(put);
  }
  if (rc == CX_OK && src != SQLITE_DONE)
    rc = sqlp_fail(from, src, ctx, "copying the full-text index");
  sqlite3_finalize(get);
  sqlite3_finalize(put);
  return rc;
}

int sqlp_fts_finish(struct sqlp_fts *f, sqlite3 *db, struct cx_ctx *ctx) {
  pthread_mutex_lock(&f->lock);
  f->end = true;
  pthread_cond_broadcast(&f->more);
  pthread_mutex_unlock(&f->lock);
  pthread_join(f->thread, NULL);
  f->started = false;
  if (f->failed) return error(f, ctx);
  int rc = sqlp_exec(db, "BEGIN", ctx, "copying the full-text index");
  for (size_t i = 0; i < sizeof fts_tables / sizeof *fts_tables && rc == CX_OK; i++)
    rc = copy_table(f->db, db, fts_tables[i].name, fts_tables[i].ncol, ctx);
  if (rc == CX_OK) rc = sqlp_exec(db, "COMMIT", ctx, "copying the full-text index");
  if (rc != CX_OK) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}
