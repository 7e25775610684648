/* sqlite_reader.c - reads the cables of a cablex database back, in the
 * order they were added.  The cables and each table of their parts are
 * walked side by side in one read transaction (each sorted by cable), so
 * reading costs no look-up per cable.  An input that is not a plain file
 * (stdin, gzip, an archive entry) is first copied to a temporary file of
 * TMPDIR, since SQLite opens files by name (its name is unlinked once
 * SQLite has it open).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sqlite_plugin.h"

enum { CH_TAG, CH_RECIPIENT, CH_REF, CH_PARAGRAPH, CH_N };

static const char *const child_sql[CH_N] = {
    [CH_TAG] = "SELECT cable, tag FROM tags ORDER BY cable, position",
    [CH_RECIPIENT] = "SELECT cable, list, routing_indicator, name, precedence, serial, excluded "
                     "FROM recipients ORDER BY cable, list, position",
    [CH_REF] = "SELECT cable, letter, text, kind, cable_id FROM refs ORDER BY cable, position",
    [CH_PARAGRAPH] = "SELECT cable, number, marking, text FROM paragraphs "
                     "ORDER BY cable, position",
};

struct child {
  sqlite3_stmt *st;
  bool row; /* st is on a row */
};

struct sqr {
  sqlite3 *db;
  sqlite3_stmt *cables;
  struct child ch[CH_N];
  char *copy_path; /* the copy of a stream, removed at close */
  char path[4096];
  struct sqlp_col cols[SQLP_MAX_COLS];
  size_t ncols;
};

int sqlp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  static const char magic[16] = "SQLite format 3";
  if (len < 16 || memcmp(head, magic, 16) != 0) return 0;
  /* the application id, big-endian at offset 68: ours is certain; another
   * SQLite file is still ours to refuse with a clear message */
  if (len >= 72) {
    unsigned long id = (unsigned long)head[68] << 24 | (unsigned long)head[69] << 16 |
                       (unsigned long)head[70] << 8 | head[71];
    if (id == SQLP_APPLICATION_ID) return 100;
  }
  return 50;
}

static const char *text(sqlite3_stmt *st, int i) {
  return (const char *)sqlite3_column_text(st, i);
}

/* Copies a stream that is not a plain file to TMPDIR. */
static int copy_in(struct sqr *r, struct cx_istream *in, struct cx_ctx *ctx) {
  int fd;
  if (sqlp_temp_file(&r->copy_path, &fd, ctx) != CX_OK) return CX_FATAL;
  char buf[65536];
  long got;
  int rc = CX_OK;
  while (rc == CX_OK && (got = cx_istream_read(in, buf, sizeof buf)) != 0) {
    if (got < 0) {
      rc = CX_FATAL; /* the stream's message is on ctx */
      break;
    }
    if (cx_write_full(fd, buf, (size_t)got) != 0)
      rc = cx_error(ctx, CX_FATAL, 0, "sqlite: cannot copy the input to %s: %s", r->copy_path,
                    strerror(errno));
  }
  if (close(fd) != 0 && rc == CX_OK)
    rc = cx_error(ctx, CX_FATAL, 0, "sqlite: cannot copy the input to %s: %s", r->copy_path,
                  strerror(errno));
  snprintf(r->path, sizeof r->path, "%s", r->copy_path);
  return rc;
}

/* The file under in, by name, when in reads a plain file. */
static bool file_path(struct sqr *r, struct cx_istream *in) {
  int fd = cx_istream_seekable_fd(in);
  if (fd < 0) return false;
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, r->path, sizeof r->path - 1);
  if (n <= 0 || (size_t)n >= sizeof r->path - 1) return false;
  r->path[n] = '\0';
  return access(r->path, R_OK) == 0;
}

static void sqr_free(struct sqr *r) {
  sqlite3_finalize(r->cables);
  for (int i = 0; i < CH_N; i++)
    sqlite3_finalize(r->ch[i].st);
  if (r->db) sqlite3_close_v2(r->db);
  if (r->copy_path) {
    unlink(r->copy_path);
    free(r->copy_path);
  }
  free(r);
}

static int prepare(struct sqr *r, struct cx_ctx *ctx) {
  struct cx_buf b;
  cx_buf_init(&b, (size_t)-1);
  int rc = cx_buf_adds(&b, "SELECT seq");
  r->ncols = sqlp_cable_cols(r->cols, SQLP_MAX_COLS);
  for (size_t i = 0; i < r->ncols && rc == CX_OK; i++)
    rc = cx_buf_printf(&b, ", %s", r->cols[i].name);
  if (rc == CX_OK) rc = cx_buf_adds(&b, " FROM cables ORDER BY seq");
  if (rc != CX_OK) {
    cx_buf_free(&b);
    return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  }
  int src = sqlite3_prepare_v2(r->db, b.data, -1, &r->cables, NULL);
  cx_buf_free(&b);
  for (int i = 0; i < CH_N && src == SQLITE_OK; i++) {
    src = sqlite3_prepare_v2(r->db, child_sql[i], -1, &r->ch[i].st, NULL);
    if (src == SQLITE_OK) src = sqlite3_step(r->ch[i].st);
    r->ch[i].row = src == SQLITE_ROW;
    if (src == SQLITE_ROW || src == SQLITE_DONE) src = SQLITE_OK;
  }
  return src == SQLITE_OK ? CX_OK : sqlp_fail(r->db, src, ctx, "reading");
}

int sqlp_reader_open(struct cx_istream *in, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  (void)opts;
  struct sqr *r = calloc(1, sizeof *r);
  if (!r) return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  int rc = file_path(r, in) ? CX_OK : copy_in(r, in, ctx);
  if (rc == CX_OK) {
    int src = sqlite3_open_v2(r->path, &r->db, SQLITE_OPEN_READONLY, NULL);
    if (src != SQLITE_OK) rc = sqlp_fail(r->db, src, ctx, "reading");
  }
  if (rc == CX_OK && r->copy_path) {
    /* SQLite reads through its own descriptor: the copy's name can go */
    unlink(r->copy_path);
    free(r->copy_path);
    r->copy_path = NULL;
  }
  if (rc == CX_OK) rc = sqlp_check_schema(r->db, "reading", ctx);
  char pragma[64];
  snprintf(pragma, sizeof pragma, "PRAGMA cache_size = %d", SQLP_CACHE_KIB);
  if (rc == CX_OK) rc = sqlp_exec(r->db, pragma, ctx, "reading");
  if (rc == CX_OK) rc = sqlp_exec(r->db, "BEGIN", ctx, "reading");
  if (rc == CX_OK) rc = prepare(r, ctx);
  if (rc != CX_OK) {
    sqr_free(r);
    return CX_FATAL;
  }
  *state = r;
  return CX_OK;
}

/* Sets the field of column col (index i of the cables SELECT). */
static int get_col(const struct sqlp_col *col, sqlite3_stmt *st, int i, struct cx_cable *c) {
  if (!col->f) {
    if (sqlite3_column_int(st, i)) cx_field_set_present(col->obj, c);
    return CX_OK;
  }
  void *field = cx_field_ptr(col->f, col->obj ? cx_field_ptr(col->obj, c) : c);
  const char *s = text(st, i);
  switch (col->f->kind) {
  case CX_FK_VERSION:
    return CX_OK;
  case CX_FK_BOOL:
    *(bool *)field = sqlite3_column_int(st, i) != 0;
    return CX_OK;
  case CX_FK_COUNT:
    *(int *)field = sqlite3_column_int(st, i);
    return CX_OK;
  case CX_FK_STRINGS:
    return s ? sqlp_json_parse_strv(s, field) : CX_OK;
  case CX_FK_EXTRA: {
    struct cx_value *v = field;
    if (!s) return CX_OK;
    cx_value_clear(v);
    int rc = sqlp_json_parse_value(s, v);
    if (rc == CX_OK && v->kind != CX_VALUE_OBJECT) rc = CX_FAILED;
    if (rc != CX_OK) {
      cx_value_clear(v);
      v->kind = CX_VALUE_OBJECT;
    }
    return rc;
  }
  default: /* STRING, DATETIME, DATE */
    return cx_set(field, s);
  }
}

/* Adds one row of child table k to c. */
static int add_child(int k, sqlite3_stmt *st, struct cx_cable *c) {
  int rc = CX_FATAL;
  switch (k) {
  case CH_TAG:
    return cx_strv_push(&c->tags, text(st, 1) ? text(st, 1) : "");
  case CH_RECIPIENT: {
    const char *list = text(st, 1);
    struct cx_recipient *p =
        cx_recipients_add(list && !strcmp(list, "info") ? &c->header.info : &c->header.to);
    if (!p) return CX_FATAL;
    if (cx_set(&p->routing_indicator, text(st, 2)) || cx_set(&p->name, text(st, 3)) ||
        cx_set(&p->precedence, text(st, 4)) || cx_set(&p->serial, text(st, 5)))
      return CX_FATAL;
    return text(st, 6) ? sqlp_json_parse_strv(text(st, 6), &p->excluded) : CX_OK;
  }
  case CH_REF: {
    struct cx_reference *p = cx_references_add(&c->references);
    if (!p) return CX_FATAL;
    p->kind = cx_ref_kind_parse(text(st, 3) ? text(st, 3) : "");
    if (cx_set(&p->letter, text(st, 1)) || cx_set(&p->text, text(st, 2)) ||
        cx_set(&p->cable_id, text(st, 4)))
      return CX_FATAL;
    return CX_OK;
  }
  case CH_PARAGRAPH: {
    struct cx_paragraph *p = cx_paragraphs_add(&c->paragraphs);
    if (!p) return CX_FATAL;
    if (cx_set(&p->number, text(st, 1)) || cx_set(&p->marking, text(st, 2)) ||
        cx_set(&p->text, text(st, 3)))
      return CX_FATAL;
    return CX_OK;
  }
  }
  return rc;
}

/* Takes the rows of every child table that belong to the cable at seq
 * (and steps over any of a cable that is not there). */
static int children(struct sqr *r, sqlite3_int64 seq, struct cx_cable *c, struct cx_ctx *ctx) {
  int rc = CX_OK;
  for (int k = 0; k < CH_N; k++) {
    struct child *ch = &r->ch[k];
    while (ch->row) {
      sqlite3_int64 owner = sqlite3_column_int64(ch->st, 0);
      if (owner > seq) break;
      int arc = owner == seq ? add_child(k, ch->st, c) : CX_OK;
      if (arc != CX_OK && rc == CX_OK) rc = arc;
      int src = sqlite3_step(ch->st);
      ch->row = src == SQLITE_ROW;
      if (src != SQLITE_ROW && src != SQLITE_DONE) return sqlp_fail(r->db, src, ctx, "reading");
    }
  }
  return rc;
}

int sqlp_reader_next(void *state, struct cx_ctx *ctx, struct cx_cable **cable) {
  struct sqr *r = state;
  int src = sqlite3_step(r->cables);
  if (src == SQLITE_DONE) return CX_EOF;
  if (src != SQLITE_ROW) return sqlp_fail(r->db, src, ctx, "reading");
  sqlite3_int64 seq = sqlite3_column_int64(r->cables, 0);
  struct cx_cable *c = cx_cable_new();
  if (!c) return cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  int rc = CX_OK;
  const char *bad = NULL;
  int i = 1;
  for (size_t k = 0; k < r->ncols; k++, i++) {
    int crc = get_col(&r->cols[k], r->cables, i, c);
    if (crc == CX_FATAL) rc = CX_FATAL;
    if (crc == CX_FAILED && !bad) bad = r->cols[k].name;
  }
  int crc = children(r, seq, c, ctx);
  if (crc != CX_OK) rc = crc;
  if (rc == CX_OK && bad)
    rc = cx_error(ctx, CX_FAILED, 0,
                  "sqlite: cable %s (seq %lld): column %s is not the JSON "
                  "cablex writes",
                  c->id ? c->id : "(no id)", (long long)seq, bad);
  if (rc == CX_FATAL && !ctx->msg[0]) cx_error(ctx, CX_FATAL, 0, "sqlite: out of memory");
  if (rc != CX_OK) {
    cx_cable_free(c);
    return rc;
  }
  *cable = c;
  return CX_OK;
}

void sqlp_reader_close(void *state) {
  struct sqr *r = state;
  if (!r) return;
  sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL);
  sqr_free(r);
}
