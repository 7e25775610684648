/* tsv.c - a cablex output plugin: one line of tab-separated values per
 * cable, for spreadsheets, cut/awk/sort, sqlite's .import or PostgreSQL's
 * COPY.  It is built outside the cablex tree, against an installed cablex
 * (see the Makefile and README.md beside it), and is meant to be copied:
 * everything a writer plugin needs is here, with the reasons.
 *
 * Ownership: as in <cablex/plugin.h>.  The descriptor and the field table
 * are static data; the writer state (struct tsv) belongs to the plugin from
 * tsv_open() to tsv_close(); the cables it is given are only borrowed.
 *
 * What it writes (the default columns):
 *
 *   id<TAB>created<TAB>classification<TAB>origin<TAB>subject<TAB>tags
 *   08XXTEST412<TAB>2008-11-14T09:12:00<TAB>CONFIDENTIAL<TAB>Embassy Xxtest<TAB>...
 *
 * Escaping follows the "linear TSV" convention that PostgreSQL's COPY and
 * many tools read: a backslash is written "\\", a tab "\t", a newline "\n"
 * and a carriage return "\r", so that every cable is exactly one line and
 * no value holds a raw tab.  List columns (tags, references) join their
 * items with ','; a ',' inside an item is written "\," so that a person tag
 * such as "OVIP (STEINBERG, JAMES B.)" stays one item.  An absent value is
 * an empty column.
 *
 * Options (-O NAME[=VALUE]; they are listed by `cablex convert --help`
 * because they are declared in the descriptor):
 *   tsv-fields=LIST   the columns, comma-separated, from the table below
 *   tsv-no-header     leave out the header row
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The one header a plugin includes; it brings the model, the error
 * context and the streams with it. */
#include <cablex/plugin.h>

#define TSV_VERSION "1.0.0"
#define TSV_DEFAULT_FIELDS "id,created,classification,origin,subject,tags"
#define TSV_MAX_COLUMNS 64

/* ---- the columns ---- */

enum field_kind {
  F_STRING,     /* a char * member of struct cx_cable, at offset */
  F_TAGS,       /* the tags, joined with ',' */
  F_REFERENCES, /* each reference's cable id when known, else its text */
  F_SIPDIS,     /* "true" / "false" */
  F_SECTIONS,   /* the m of "SECTION n OF m", empty when none */
  F_PARAGRAPHS  /* how many paragraphs the body parser found */
};

struct field {
  const char *name;
  enum field_kind kind;
  size_t offset; /* F_STRING only */
};

/* The model's JSON names (formats/cable.schema.json), where there is one. */
static const struct field fields[] = {
    {"id", F_STRING, offsetof(struct cx_cable, id)},
    {"canonical_id", F_STRING, offsetof(struct cx_cable, canonical_id)},
    {"created", F_STRING, offsetof(struct cx_cable, created)},
    {"released", F_STRING, offsetof(struct cx_cable, released)},
    {"classification", F_STRING, offsetof(struct cx_cable, classification)},
    {"origin", F_STRING, offsetof(struct cx_cable, origin)},
    {"title", F_STRING, offsetof(struct cx_cable, title)},
    {"subject", F_STRING, offsetof(struct cx_cable, subject)},
    {"tags", F_TAGS, 0},
    {"references", F_REFERENCES, 0},
    {"declassify", F_STRING, offsetof(struct cx_cable, declassify.date)},
    {"sipdis", F_SIPDIS, 0},
    {"sections", F_SECTIONS, 0},
    {"paragraphs", F_PARAGRAPHS, 0},
    {"summary", F_STRING, offsetof(struct cx_cable, summary)},
    {"signer", F_STRING, offsetof(struct cx_cable, signer)},
    {"source", F_STRING, offsetof(struct cx_cable, source.path)},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* ---- the writer state ---- */

struct tsv {
  struct cx_ostream *out; /* borrowed from the core until tsv_close() */
  const struct field *cols[TSV_MAX_COLUMNS];
  size_t ncols;
  /* One line is built here and written in one go, so that a cable that
   * cannot be written (CX_FAILED) leaves nothing half-written behind.  The
   * buffer is bounded: a cable's values come from untrusted input. */
  struct cx_buf line;
};

/* Appends s escaped (see the top of the file).  In a list item a ',' is
 * escaped too.  Returns CX_OK, CX_FAILED when the line would pass its
 * limit, CX_FATAL when memory runs out. */
static int put_escaped(struct cx_buf *b, const char *s, int in_list) {
  const char *special = in_list ? "\\\t\n\r," : "\\\t\n\r";
  int rc = CX_OK;
  while (rc == CX_OK && *s) {
    size_t plain = strcspn(s, special); /* copy runs of plain bytes at once */
    rc = cx_buf_add(b, s, plain);
    s += plain;
    if (rc != CX_OK || !*s) break;
    char esc[2] = {'\\', *s};
    if (*s == '\t')
      esc[1] = 't';
    else if (*s == '\n')
      esc[1] = 'n';
    else if (*s == '\r')
      esc[1] = 'r';
    rc = cx_buf_add(b, esc, 2);
    s++;
  }
  return rc;
}

/* Appends an unsigned number (no printf: the buffer's limit still holds). */
static int put_number(struct cx_buf *b, unsigned long n) {
  char digits[24];
  size_t i = sizeof digits;
  do {
    digits[--i] = (char)('0' + n % 10);
    n /= 10;
  } while (n);
  return cx_buf_add(b, digits + i, sizeof digits - i);
}

/* Appends one column's value for cable c. */
static int put_field(struct cx_buf *b, const struct field *f, const struct cx_cable *c) {
  int rc = CX_OK;
  switch (f->kind) {
  case F_STRING: {
    const char *s = *(char *const *)((const char *)c + f->offset);
    return s ? put_escaped(b, s, 0) : CX_OK;
  }
  case F_TAGS:
    for (size_t i = 0; i < c->tags.n && rc == CX_OK; i++) {
      if (i) rc = cx_buf_addc(b, ',');
      if (rc == CX_OK) rc = put_escaped(b, c->tags.v[i], 1);
    }
    return rc;
  case F_REFERENCES:
    for (size_t i = 0; i < c->references.n && rc == CX_OK; i++) {
      const struct cx_reference *r = &c->references.v[i];
      const char *s = r->kind == CX_REF_CABLE && r->cable_id ? r->cable_id : r->text;
      if (i) rc = cx_buf_addc(b, ',');
      if (rc == CX_OK && s) rc = put_escaped(b, s, 1);
    }
    return rc;
  case F_SIPDIS:
    return cx_buf_adds(b, c->sipdis ? "true" : "false");
  case F_SECTIONS:
    return c->sections > 0 ? put_number(b, (unsigned long)c->sections) : CX_OK;
  case F_PARAGRAPHS:
    return put_number(b, (unsigned long)c->paragraphs.n);
  }
  return CX_OK;
}

/* Fills t->cols from a "name,name,..." list.  Spaces around names are
 * allowed ("id, subject").  Returns CX_OK or CX_FATAL with the reason on
 * ctx: a bad option stops the output before anything is written. */
static int parse_fields(struct tsv *t, const char *list, struct cx_ctx *ctx) {
  const char *p = list;
  for (;;) {
    while (*p == ' ')
      p++;
    size_t n = strcspn(p, ",");
    size_t len = n;
    while (len && p[len - 1] == ' ')
      len--;
    const struct field *f = NULL;
    for (size_t i = 0; i < NFIELDS && !f; i++)
      if (strlen(fields[i].name) == len && memcmp(fields[i].name, p, len) == 0) f = &fields[i];
    if (!f) {
      /* The message lists what is known: the user sees it as it is. */
      char known[512] = "";
      for (size_t i = 0; i < NFIELDS; i++) {
        if (i) strcat(known, ",");
        strcat(known, fields[i].name);
      }
      if (len == 0) return cx_error(ctx, CX_FATAL, 0, "tsv: empty name in tsv-fields '%s'", list);
      return cx_error(ctx, CX_FATAL, 0, "tsv: unknown field '%.*s' in tsv-fields (known: %s)",
                      (int)len, p, known);
    }
    if (t->ncols == TSV_MAX_COLUMNS)
      return cx_error(ctx, CX_FATAL, 0, "tsv: more than %d columns in tsv-fields", TSV_MAX_COLUMNS);
    t->cols[t->ncols++] = f;
    if (!p[n]) return CX_OK;
    p += n + 1;
  }
}

/* The longest line: every value is a piece of one cable, and escaping at
 * most doubles a byte, so twice the largest cable the readers accept (the
 * core always sets max-cable-size; -O or --max-cable-size change it). */
static size_t line_limit(const struct cx_options *opts) {
  const char *v = cx_options_get(opts, "max-cable-size");
  char *end = NULL;
  unsigned long long max = v ? strtoull(v, &end, 10) : 0;
  if (!v || end == v || *end || max == 0 || max > (unsigned long long)(SIZE_MAX / 4))
    max = CX_DEFAULT_CABLE_MAX;
  return (size_t)max * 2 + 4096;
}

/* ---- the writer: open, write, close ---- */

/* Called once per output (once per file with -o DIR/).  On CX_OK or
 * CX_WARN the core owns a promise to call tsv_close(); on an error it does
 * not, so everything allocated here is freed before returning one. */
static int tsv_open(struct cx_ostream *out, const struct cx_options *opts, struct cx_ctx *ctx,
                    void **state) {
  struct tsv *t = calloc(1, sizeof *t);
  if (!t) return cx_error(ctx, CX_FATAL, 0, "tsv: out of memory");
  t->out = out;
  cx_buf_init(&t->line, line_limit(opts));

  const char *list = cx_options_get(opts, "tsv-fields");
  int rc = parse_fields(t, list && *list ? list : TSV_DEFAULT_FIELDS, ctx);
  if (rc != CX_OK) goto fail;

  /* The header row: the column names need no escaping. */
  for (size_t i = 0; rc == CX_OK && i < t->ncols; i++) {
    if (i) rc = cx_buf_addc(&t->line, '\t');
    if (rc == CX_OK) rc = cx_buf_adds(&t->line, t->cols[i]->name);
  }
  if (rc == CX_OK) rc = cx_buf_addc(&t->line, '\n');
  if (rc != CX_OK) {
    rc = cx_error(ctx, CX_FATAL, 0, "tsv: out of memory");
    goto fail;
  }
  /* The stream records its own errors on ctx (the one it was opened with). */
  if (!cx_options_get(opts, "tsv-no-header") &&
      cx_ostream_write(out, t->line.data, t->line.len) != CX_OK) {
    rc = CX_FATAL;
    goto fail;
  }
  *state = t;
  return CX_OK;

fail:
  cx_buf_free(&t->line);
  free(t);
  return rc;
}

/* Called for each cable, in input order.  Returns CX_OK, CX_WARN (written,
 * with a remark), CX_FAILED (this cable was not written, the next one may
 * be) or CX_FATAL (the output is lost). */
static int tsv_write(void *state, const struct cx_cable *c, struct cx_ctx *ctx) {
  struct tsv *t = state;
  int rc = CX_OK;
  cx_buf_reset(&t->line);
  for (size_t i = 0; rc == CX_OK && i < t->ncols; i++) {
    if (i) rc = cx_buf_addc(&t->line, '\t');
    if (rc == CX_OK) rc = put_field(&t->line, t->cols[i], c);
  }
  if (rc == CX_OK) rc = cx_buf_addc(&t->line, '\n');
  if (rc == CX_FAILED)
    return cx_error(ctx, CX_FAILED, 0, "tsv: cable %s: line longer than %zu bytes, not written",
                    c->id ? c->id : "(no id)", t->line.max);
  if (rc != CX_OK) return cx_error(ctx, CX_FATAL, 0, "tsv: out of memory");

  /* A failed write is the output's end: the stream put its reason on the
   * ctx it was opened with, which is this one. */
  if (cx_ostream_write(t->out, t->line.data, t->line.len) != CX_OK) return CX_FATAL;

  /* A warning: the row is written, but a reader cannot tell it apart.  The
   * core prints the message with its place; cx_warn() would print it at
   * once instead, for a remark in the middle of longer work. */
  if (!c->id || !*c->id)
    for (size_t i = 0; i < t->ncols; i++)
      if (strcmp(t->cols[i]->name, "id") == 0)
        return cx_error(ctx, CX_WARN, 0, "tsv: a cable without an id: empty id column");
  return CX_OK;
}

/* Called once after a successful open, whatever happened since: frees the
 * state.  There is no trailer to write; the core commits the stream. */
static int tsv_close(void *state, struct cx_ctx *ctx) {
  struct tsv *t = state;
  (void)ctx;
  if (!t) return CX_OK;
  cx_buf_free(&t->line);
  free(t);
  return CX_OK;
}

/* ---- the descriptor: the one symbol the module exports ---- */

static const char *const tsv_extensions[] = {"tsv", NULL}; /* -o x.tsv picks this plugin */

static const struct cx_option_doc tsv_options[] = {
    {"tsv-fields", "LIST", "comma-separated columns (default " TSV_DEFAULT_FIELDS ")"},
    {"tsv-no-header", NULL, "leave out the header row"},
    {NULL, NULL, NULL}};

/* Built with -fvisibility=hidden, so that the descriptor CX_PLUGIN_DEFINE
 * makes (CX_PLUGIN_EXPORT) is the only exported symbol.  It fills in
 * struct_size, the ABI numbers and the model layout from the header this
 * was compiled against: the core refuses the module when they do not match
 * what it supports. */
/* clang-format off */
CX_PLUGIN_DEFINE(
    .name = "tsv",
    .version = TSV_VERSION,
    .description = "tab-separated values: one line per cable (example plugin)",
    .kinds = CX_KIND_OUTPUT,
    .extensions = tsv_extensions,
    .options = tsv_options,
    .probe = NULL, /* output only: nothing to recognise */
    .writer_open = tsv_open,
    .writer_write = tsv_write,
    .writer_close = tsv_close
);
/* clang-format on */
