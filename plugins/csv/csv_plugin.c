/* csv_plugin.c - the descriptor of the csv plugin (the leaked cables.csv
 * layout and RFC 4180, formats/csv.md), its probe, and the field helpers
 * reader and writer share. */
#include <stdio.h>
#include <string.h>

#include "csv_plugin.h"

const char *const csvp_field_names[CSVP_NFIELDS] = {
    "sequence", "date", "id", "origin", "classification", "references", "header", "body"};

static const char *const extensions[] = {"csv", NULL};

static const struct cx_option_doc options[] = {
    {"csv-dialect", "cablegate|rfc4180",
     "write: the leaked cables.csv layout (default) or RFC 4180 with a header row"},
    CX_OPTION_MAX_CABLE_SIZE("row"),
    CX_OPTIONS_END};

int csvp_dialect_option(const struct cx_options *opts, struct cx_ctx *ctx, enum csvp_dialect *d) {
  const char *s = cx_options_get(opts, "csv-dialect");
  *d = CSVP_CABLEGATE;
  if (!s || !strcmp(s, "cablegate") || !strcmp(s, "mysql")) return CX_OK;
  if (!strcmp(s, "rfc4180") || !strcmp(s, "rfc")) {
    *d = CSVP_RFC4180;
    return CX_OK;
  }
  return cx_error(ctx, CX_FATAL, 0, "csv: csv-dialect \"%s\" is not cablegate or rfc4180", s);
}

static bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/* Reads 1..max digits at s[*i..n) into *v. */
static bool digits(const char *s, size_t n, size_t *i, size_t min, size_t max, int *v) {
  size_t k = 0;
  *v = 0;
  while (*i < n && k < max && is_digit(s[*i])) {
    *v = *v * 10 + (s[*i] - '0');
    (*i)++;
    k++;
  }
  return k >= min && !(*i < n && is_digit(s[*i]));
}

static int days_in(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return d[m - 1];
}

bool csvp_date_to_iso(const char *s, size_t n, char iso[20]) {
  size_t i = 0;
  int mo, d, y, h, mi;
  if (!digits(s, n, &i, 1, 2, &mo) || i >= n || s[i++] != '/') return false;
  if (!digits(s, n, &i, 1, 2, &d) || i >= n || s[i++] != '/') return false;
  if (!digits(s, n, &i, 4, 4, &y) || i >= n || s[i++] != ' ') return false;
  if (!digits(s, n, &i, 1, 2, &h) || i >= n || s[i++] != ':') return false;
  if (!digits(s, n, &i, 2, 2, &mi) || i != n) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || h > 23 || mi > 59) return false;
  /* every part is in range: written digit by digit, nothing can be cut */
  const int part[] = {y / 100, y % 100, mo, d, h, mi, 0};
  static const char after[] = {0, '-', '-', 'T', ':', ':', 0};
  char *o = iso;
  for (int k = 0; k < 7; k++) {
    *o++ = (char)('0' + part[k] / 10);
    *o++ = (char)('0' + part[k] % 10);
    if (after[k]) *o++ = after[k];
  }
  *o = '\0';
  return true;
}

int csvp_date_render(struct cx_buf *out, const char *iso) {
  size_t n = strlen(iso);
  static const char shape[] = "dddd-dd-ddTdd:dd";
  if (n != 16 && n != 19) return CX_FAILED;
  for (size_t i = 0; i < n; i++) {
    char want = i < 16 ? shape[i] : (i == 16 ? ':' : 'd');
    if (want == 'd' ? !is_digit(iso[i]) : iso[i] != want) return CX_FAILED;
  }
  int y = (iso[0] - '0') * 1000 + (iso[1] - '0') * 100 + (iso[2] - '0') * 10 + (iso[3] - '0');
  int mo = (iso[5] - '0') * 10 + (iso[6] - '0'), d = (iso[8] - '0') * 10 + (iso[9] - '0');
  int h = (iso[11] - '0') * 10 + (iso[12] - '0');
  int rc = cx_buf_printf(out, "%d/%d/%04d %d:%.2s", mo, d, y, h, iso + 14);
  if (rc == CX_OK && n == 19 && (iso[17] != '0' || iso[18] != '0')) return CX_WARN;
  return rc;
}

int csvp_escape(struct cx_buf *out, const char *s, size_t n, enum csvp_dialect d) {
  size_t start = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    bool esc = d == CSVP_RFC4180 ? c == '"' : (c == '"' || c == '\'' || c == '\\');
    if (!esc) continue;
    /* copy the plain run at once, then the escaped byte */
    if (cx_buf_add(out, s + start, i - start)) return CX_FAILED;
    if (cx_buf_addc(out, d == CSVP_RFC4180 ? '"' : '\\') || cx_buf_addc(out, c)) return CX_FAILED;
    start = i + 1;
  }
  return cx_buf_add(out, s + start, n - start);
}

int csvp_unescape(struct cx_buf *out, const char *s, size_t n, enum csvp_dialect d,
                  bool *canonical) {
  bool canon = true;
  char esc = d == CSVP_RFC4180 ? '"' : '\\';
  const char *p = s, *end = s + n;
  while (p < end) {
    /* a plain run up to the next escape byte, copied at once */
    const char *e = memchr(p, esc, (size_t)(end - p));
    const char *run_end = e ? e : end;
    if (d == CSVP_CABLEGATE && canon && memchr(p, '\'', (size_t)(run_end - p)))
      canon = false; /* a bare apostrophe */
    if (cx_buf_add(out, p, (size_t)(run_end - p))) return CX_FAILED;
    if (!e) break;
    char next = e + 1 < end ? e[1] : '\0';
    if (e + 1 < end && (next == '"' || (d == CSVP_CABLEGATE && (next == '\'' || next == '\\')))) {
      if (cx_buf_addc(out, next)) return CX_FAILED;
      p = e + 2;
    } else {
      /* an escape the layout does not define: the byte stays, and the one
       * after it is read as any other */
      canon = false;
      if (cx_buf_addc(out, *e)) return CX_FAILED;
      p = e + 1;
    }
  }
  if (canonical) *canonical = canon;
  return CX_OK;
}

const char *csvp_telegram_separator(const char *header, size_t n) {
  for (size_t i = 0; i + 1 < n; i++)
    if (header[i] == '\r' && header[i + 1] == '\n') return "\r\n\r\n";
  return "\n\n";
}

size_t csvp_header_field_len(const char *h, size_t n) {
  if (n >= 4 && !memcmp(h + n - 4, "\r\n\r\n", 4)) return n - 4;
  if (n >= 2 && !memcmp(h + n - 2, "\n\n", 2)) return n - 2;
  return n;
}

const char *csvp_default_eol(const char *header, const char *body) {
  return (header && strstr(header, "\r\n")) || (body && strstr(body, "\r\n")) ? "\r\n" : "\n";
}

bool csvp_starts_row(const char *s, size_t n, enum csvp_dialect d) {
  size_t i = 0;
  bool quoted = n > 0 && s[0] == '"';
  if (d == CSVP_CABLEGATE && !quoted) return false;
  if (quoted) i++;
  size_t k = i;
  while (i < n && is_digit(s[i]))
    i++;
  if (i == k) return false;
  if (quoted) return n - i >= 3 && !memcmp(s + i, "\",\"", 3);
  return i < n && s[i] == ',';
}

bool csvp_is_header_row(const char *s, size_t n) {
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
    n--;
  size_t i = 0;
  for (int f = 0; f < CSVP_NFIELDS; f++) {
    const char *name = csvp_field_names[f];
    size_t l = strlen(name);
    bool q = i < n && s[i] == '"';
    if (q) i++;
    if (n - i < l || memcmp(s + i, name, l)) return false;
    i += l;
    if (q && (i >= n || s[i++] != '"')) return false;
    if (f + 1 < CSVP_NFIELDS && (i >= n || s[i++] != ',')) return false;
  }
  return i == n;
}

int csvp_probe(const unsigned char *head, size_t len, const char *name) {
  (void)name;
  const char *s = (const char *)head;
  if (len >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) s += 3, len -= 3;
  if (memchr(s, '\0', len)) return 0;
  const char *nl = memchr(s, '\n', len);
  if (csvp_is_header_row(s, nl ? (size_t)(nl - s + 1) : len)) return 90;
  if (!csvp_starts_row(s, len, CSVP_CABLEGATE)) return 0;
  /* "<digits>","<date>", */
  const char *date = (const char *)memchr(s, ',', len) + 2;
  const char *end = memchr(date, '"', len - (size_t)(date - s));
  char iso[20];
  if (end && (size_t)(end - s) + 1 < len && end[1] == ',' &&
      csvp_date_to_iso(date, (size_t)(end - date), iso))
    return 90;
  return 0;
}

CX_PLUGIN_DEFINE(CX_PLUGIN_ABOUT("csv", "1.0.0", CX_KIND_INPUT | CX_KIND_OUTPUT,
                                 "the leaked cables.csv layout, and RFC 4180 (formats/csv.md)",
                                 extensions, options),
                 CX_PLUGIN_READER(csvp), CX_PLUGIN_WRITER(csvp), .record_split = csvp_split);
