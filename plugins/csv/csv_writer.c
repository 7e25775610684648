/* csv_writer.c - writes cables as cables.csv rows (formats/csv.md): the
 * leaked layout by default (no header row, eight quoted fields, \" \' \\
 * escapes), or with -O csv-dialect=rfc4180 a header row, "" for a quote and
 * CRLF row ends, for spreadsheets and pandas.
 *
 * A cable read from cables.csv is written back byte for byte: the reader
 * kept in extra what the fields alone would not give back (csv_verbatim:
 * the raw text of a field with an irregular escape or date, the row end;
 * csv_filled: what the telegram filled in where the row was empty).  Each
 * of those is used only while it still agrees with the model, so an edited
 * cable is written from its new values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cablex/fields.h"
#include "csv_plugin.h"

struct csv_writer {
  struct cx_ostream *out;
  enum csvp_dialect dialect;
  unsigned long count;
  struct cx_buf buf, tmp;
  /* The last row was written without a row end (it was the last row of a
   * file that ends without one): the next row must begin on its own line. */
  bool eol_owed;
};

int csvp_writer_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                     void **state) {
  enum csvp_dialect d;
  if (csvp_dialect_option(opts, ctx, &d) != CX_OK) return CX_FATAL;
  struct csv_writer *w = calloc(1, sizeof *w);
  if (!w) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  w->out = out;
  w->dialect = d;
  /* what we write is bounded by what the model holds; the limit only
   * guards against runaway growth */
  cx_buf_init(&w->buf, (size_t)1 << 30);
  cx_buf_init(&w->tmp, (size_t)1 << 30);
  *state = w;
  if (d == CSVP_RFC4180) {
    for (int f = 0; f < CSVP_NFIELDS; f++) {
      if (f && cx_buf_addc(&w->buf, ',')) return CX_FATAL;
      if (cx_buf_adds(&w->buf, csvp_field_names[f])) return CX_FATAL;
    }
    if (cx_buf_adds(&w->buf, "\r\n")) return CX_FATAL;
    int rc = cx_ostream_write(out, w->buf.data, w->buf.len);
    if (rc != CX_OK) return CX_FATAL;
  }
  return CX_OK;
}

int csvp_writer_close(void *state, struct cx_ctx *ctx) {
  (void)ctx;
  struct csv_writer *w = state;
  if (!w) return CX_OK;
  cx_buf_free(&w->buf);
  cx_buf_free(&w->tmp);
  free(w);
  return CX_OK;
}

static const char *extra_text(const struct cx_value *obj, const char *key) {
  const struct cx_value *v = cx_value_get(obj, key);
  return v && (v->kind == CX_VALUE_STRING || v->kind == CX_VALUE_NUMBER) ? v->text : NULL;
}

static bool same_str(const char *a, const char *b) {
  return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Appends field f with the value s[0..n): the row's raw text when
 * csv_verbatim holds one that decodes to this value, else s escaped. */
static int put_field(struct csv_writer *w, const struct cx_cable *c, int f, const char *s,
                     size_t n) {
  struct cx_buf *b = &w->buf;
  if (f && cx_buf_addc(b, ',')) return CX_FAILED;
  if (cx_buf_addc(b, '"')) return CX_FAILED;
  const char *raw =
      w->dialect == CSVP_CABLEGATE
          ? extra_text(cx_value_get(&c->extra, CSVP_EXTRA_VERBATIM), csvp_field_names[f])
          : NULL;
  if (raw && f != CSVP_DATE) {
    cx_buf_reset(&w->tmp);
    size_t rn = strlen(raw);
    if (csvp_unescape(&w->tmp, raw, rn, CSVP_CABLEGATE, NULL)) return CX_FAILED;
    if (w->tmp.len == n && !memcmp(w->tmp.data ? w->tmp.data : "", s, n)) {
      if (cx_buf_add(b, raw, rn)) return CX_FAILED;
      return cx_buf_addc(b, '"');
    }
  }
  if (csvp_escape(b, s, n, w->dialect)) return CX_FAILED;
  return cx_buf_addc(b, '"');
}

static int put_str(struct csv_writer *w, const struct cx_cable *c, int f, const char *s) {
  return put_field(w, c, f, s ? s : "", s ? strlen(s) : 0);
}

/* The date field: the row's own text while it still stands for created,
 * "" when the telegram filled created in, else created rendered. */
static int put_date(struct csv_writer *w, const struct cx_cable *c, struct cx_ctx *ctx,
                    int *result) {
  const char *raw = extra_text(cx_value_get(&c->extra, CSVP_EXTRA_VERBATIM), "date");
  const char *filled = extra_text(cx_value_get(&c->extra, CSVP_EXTRA_FILLED), "date");
  if (raw) {
    char iso[20];
    bool is_date = csvp_date_to_iso(raw, strlen(raw), iso);
    if (is_date ? same_str(iso, c->created) || same_str(iso, cx_page_created(c))
                : (!c->created || same_str(c->created, filled)))
      return put_str(w, c, CSVP_DATE, raw);
  }
  if (!c->created || same_str(c->created, filled)) return put_str(w, c, CSVP_DATE, "");
  cx_buf_reset(&w->tmp);
  int rc = csvp_date_render(&w->tmp, c->created);
  if (rc == CX_WARN)
    *result = cx_warn(ctx, 0, "csv: %s: created %s has seconds; the date field holds minutes",
                      c->id ? c->id : "cable", c->created);
  else if (rc == CX_FAILED) {
    *result = cx_warn(ctx, 0, "csv: %s: created \"%s\" is not YYYY-MM-DDTHH:MM:SS; date left empty",
                      c->id ? c->id : "cable", c->created);
    cx_buf_reset(&w->tmp);
  } else if (rc != CX_OK)
    return rc;
  char text[48];
  snprintf(text, sizeof text, "%s", w->tmp.len ? w->tmp.data : "");
  return put_str(w, c, CSVP_DATE, text);
}

/* id, origin or classification: "" while the value is the one the
 * telegram filled in for an empty field. */
static int put_meta(struct csv_writer *w, const struct cx_cable *c, int f, const char *v) {
  const char *filled = extra_text(cx_value_get(&c->extra, CSVP_EXTRA_FILLED), csvp_field_names[f]);
  if (filled && same_str(v, filled)) v = NULL;
  return put_str(w, c, f, v);
}

/* extra.csv_references joined by |, else the cable ids of the REF list. */
static int put_references(struct csv_writer *w, const struct cx_cable *c) {
  struct cx_buf j;
  cx_buf_init(&j, (size_t)1 << 30);
  int rc = CX_OK;
  const struct cx_value *refs = cx_value_get(&c->extra, CSVP_EXTRA_REFERENCES);
  if (refs && refs->kind == CX_VALUE_ARRAY) {
    for (size_t i = 0; !rc && i < refs->n; i++) {
      if (i) rc = cx_buf_addc(&j, '|');
      if (!rc && refs->items[i].text) rc = cx_buf_adds(&j, refs->items[i].text);
    }
  } else {
    for (size_t i = 0; !rc && i < c->references.n; i++) {
      const char *id = c->references.v[i].cable_id;
      if (!id) continue;
      if (j.len) rc = cx_buf_addc(&j, '|');
      if (!rc) rc = cx_buf_adds(&j, id);
    }
  }
  if (!rc) rc = put_field(w, c, CSVP_REFERENCES, j.data ? j.data : "", j.len);
  cx_buf_free(&j);
  return rc;
}

static int put_sequence(struct csv_writer *w, const struct cx_cable *c) {
  const char *seq = extra_text(&c->extra, CSVP_EXTRA_SEQUENCE);
  char num[32];
  if (!seq) {
    snprintf(num, sizeof num, "%lu", w->count + 1);
    seq = num;
  }
  return put_str(w, c, CSVP_SEQUENCE, seq);
}

/* Warns about what the layout has no field for. */
static int dropped(const struct cx_cable *c, struct cx_ctx *ctx) {
  char list[256];
  size_t nd = 0;
  list[0] = '\0';
  const char *model[] = {c->title ? cx_fields[CX_F_CABLE_title].name : NULL,
                         c->released ? cx_fields[CX_F_CABLE_released].name : NULL};
  for (size_t i = 0; i < 2 + c->extra.n; i++) {
    const char *k = i < 2 ? model[i] : c->extra.keys[i - 2];
    if (!k || (i >= 2 && !strncmp(k, "csv_", 4))) continue;
    int n = snprintf(list + nd, sizeof list - nd, "%s%s", nd ? ", " : "", k);
    if (n > 0) nd = nd + (size_t)n < sizeof list ? nd + (size_t)n : sizeof list - 1;
  }
  if (!nd) return CX_OK;
  return cx_warn(ctx, 0, "csv: %s: not carried by the csv layout: %s", c->id ? c->id : "cable",
                 list);
}

int csvp_writer_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct csv_writer *w = state;
  int result = CX_OK;
  cx_buf_reset(&w->buf);
  bool owe = false;
  int rc = w->eol_owed ? cx_buf_adds(&w->buf, "\n") : CX_OK;
  if (!rc) rc = put_sequence(w, c);
  if (!rc) rc = put_date(w, c, ctx, &result);
  if (!rc) rc = put_meta(w, c, CSVP_ID, c->id);
  if (!rc) rc = put_meta(w, c, CSVP_ORIGIN, c->origin);
  if (!rc) rc = put_meta(w, c, CSVP_CLASSIFICATION, c->classification);
  if (!rc) rc = put_references(w, c);
  if (!rc) {
    const char *h = c->header_text ? c->header_text : "";
    rc = put_field(w, c, CSVP_HEADER, h, csvp_header_field_len(h, strlen(h)));
  }
  if (!rc) rc = put_str(w, c, CSVP_BODY, c->body);
  if (!rc) {
    const char *eol = w->dialect == CSVP_RFC4180
                          ? "\r\n"
                          : extra_text(cx_value_get(&c->extra, CSVP_EXTRA_VERBATIM), "eol");
    if (!eol) eol = csvp_default_eol(c->header_text, c->body);
    rc = cx_buf_adds(&w->buf, eol);
    owe = !*eol;
  }
  if (rc == CX_FATAL) return cx_error(ctx, CX_FATAL, 0, "out of memory");
  if (rc)
    return cx_error(ctx, CX_FAILED, 0, "csv: cable %s too large to write", c->id ? c->id : "");
  if (!c->header_text && !c->body)
    result = cx_warn(ctx, 0, "csv: %s: no telegram text; header and body left empty",
                     c->id ? c->id : "cable");
  if (dropped(c, ctx) == CX_WARN) result = CX_WARN;
  rc = cx_ostream_write(w->out, w->buf.data, w->buf.len);
  if (rc != CX_OK) return rc;
  w->eol_owed = owe;
  w->count++;
  return result;
}
