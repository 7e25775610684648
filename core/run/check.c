/* check.c - `cablex check`: the rules of check.h over the parsed model.
 *
 * Codes (cablex(1) lists them):
 *   id-serial        the id's number is not the DE line's serial (#NNNN)
 *   id-year          the id's two-digit year is not the DTG's year
 *   created-dtg      the created date and hour are not the DTG's
 *   class-banner     the classification is not the security line's (ZNY CCCCC)
 *   class-paragraph  a paragraph is marked above the cable's classification
 *   self-reference   a reference names the cable itself
 *   no-subject       no SUBJECT line
 *   no-tags          no TAGS line
 *   duplicate-id     the id was seen earlier in this run
 * Levels: UNCLASSIFIED (and SBU, FOUO, EFTO) 0, CONFIDENTIAL 1, SECRET 2,
 * TOP SECRET 3.  The line is the 1-based line of the telegram (header,
 * then body) where the checked text is, 0 when there is none.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "stats_internal.h"

struct cxr_check {
  FILE *out;
  bool json;
  unsigned long findings;
  struct stats_tab ids; /* ids seen, counted */
};

struct cxr_check *cxr_check_new(FILE *out, bool json) {
  struct cxr_check *k = calloc(1, sizeof *k);
  if (!k) return NULL;
  k->out = out;
  k->json = json;
  k->ids.ndims = 1;
  return k;
}

void cxr_check_free(struct cxr_check *k) {
  if (!k) return;
  for (size_t i = 0; i < k->ids.cap; i++)
    free(k->ids.slot[i].key);
  free(k->ids.slot);
  free(k->ids.sorted);
  free(k);
}

unsigned long cxr_check_findings(const struct cxr_check *k) {
  return k->findings;
}

static void finding(struct cxr_check *k, const struct cx_cable *c, const char *code,
                    unsigned long line, const char *msg) {
  const char *id = c->id ? c->id : "(no id)";
  const char *file = c->source.path ? c->source.path : "-";
  k->findings++;
  if (k->json) {
    fputs("{\"code\":", k->out);
    stats_json_str(k->out, code);
    fputs(",\"cable\":", k->out);
    stats_json_str(k->out, c->id);
    fputs(",\"file\":", k->out);
    stats_json_str(k->out, file);
    fputs(",\"entry\":", k->out);
    stats_json_str(k->out, c->source.entry);
    /* no line (a finding about the whole cable) is null, as text leaves it out */
    if (line)
      fprintf(k->out, ",\"line\":%lu,\"message\":", line);
    else
      fputs(",\"line\":null,\"message\":", k->out);
    stats_json_str(k->out, msg);
    fputs("}\n", k->out);
    return;
  }
  /* the file, entry, id and message come from the input: escaped, as in
   * every message (a finding can quote an id with ESC in it) */
  char raw[CX_MSG_MAX + 2 * PATH_MAX + 64], shown[4 * sizeof raw];
  char at[32] = "";
  if (line) snprintf(at, sizeof at, ", line %lu", line);
  snprintf(raw, sizeof raw, "%s%s%s%s: %s%s: %s: %s", file, c->source.entry ? "(" : "",
           c->source.entry ? c->source.entry : "", c->source.entry ? ")" : "", id, at, code, msg);
  fprintf(k->out, "%s\n", cx_escape(raw, shown, sizeof shown));
}

/* The telegram line (header, then body) where s first occurs, or 0. */
static unsigned long line_of(const struct cx_cable *c, const char *s) {
  if (!s || !*s) return 0;
  unsigned long base = 0;
  const char *parts[2] = {c->header_text, c->body};
  for (int i = 0; i < 2; i++) {
    const char *t = parts[i];
    if (!t) continue;
    const char *hit = strstr(t, s);
    unsigned long n = 1;
    for (const char *p = t; *p && (!hit || p < hit); p++)
      n += *p == '\n';
    if (hit) return base + n;
    base += n - (t[0] && t[strlen(t) - 1] == '\n' ? 1 : 0);
  }
  return 0;
}

/* The level of a classification or a paragraph marking, -1 when unknown. */
static int level(const char *s) {
  if (!s) return -1;
  while (*s == '(' || *s == ' ')
    s++;
  static const struct {
    const char *word;
    int level;
  } words[] = {{"TOP SECRET", 3}, {"TS", 3},           {"SECRET", 2}, {"S", 2}, {"CONFIDENTIAL", 1},
               {"C", 1},          {"UNCLASSIFIED", 0}, {"SBU", 0},    {"U", 0}, {"FOUO", 0}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t n = strlen(words[i].word);
    if (!strncasecmp(s, words[i].word, n) && !isalpha((unsigned char)s[n])) return words[i].level;
  }
  return -1;
}

/* The level the security line's letter group says (ZNY CCCCC ZZH), or -1. */
static int banner_level(const char *sec) {
  if (!sec) return -1;
  static const char letters[] = "UECST";
  static const int levels[] = {0, 0, 1, 2, 3};
  for (const char *p = sec; *p; p++) {
    if (p != sec && p[-1] != ' ') continue;
    const char *l = strchr(letters, *p);
    if (!l || !*p) continue;
    size_t n = 1;
    while (p[n] == *p)
      n++;
    if (n == 5 && (!p[n] || p[n] == ' ')) return levels[l - letters];
  }
  return -1;
}

struct dtg {
  int day, hour, minute, month, year;
};

static bool parse_dtg(const char *s, struct dtg *d) {
  static const char months[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
  char mon[4];
  int yy, n = 0;
  if (!s || sscanf(s, "%2d%2d%2dZ %3s %d%n", &d->day, &d->hour, &d->minute, mon, &yy, &n) != 5)
    return false;
  const char *m = strstr(months, mon);
  if (strlen(mon) != 3 || !m || (m - months) % 3) return false;
  d->month = (int)(m - months) / 3 + 1;
  d->year = yy >= 100 ? yy : yy >= 60 ? 1900 + yy : 2000 + yy;
  return true;
}

/* The trailing number of an id ("06ALMATY3065" -> 3065), -1 without. */
static long id_serial(const char *id) {
  size_t n = strlen(id), i = n;
  while (i > 0 && isdigit((unsigned char)id[i - 1]))
    i--;
  return i < n && i > 2 ? strtol(id + i, NULL, 10) : -1;
}

/* Whether the id's number is the DE line's serial: a busy station's DE
 * line carries only its last digits ("#4120" for STATE 164120). */
static bool serial_matches(long id_number, const char *digits) {
  size_t k = strspn(digits, "0123456789");
  long mod = 1;
  for (size_t i = 0; i < k && mod < 1000000000L; i++)
    mod *= 10;
  return id_number % mod == strtol(digits, NULL, 10);
}

static void check_id(struct cxr_check *k, const struct cx_cable *c, const struct dtg *d,
                     bool has_dtg) {
  char msg[256];
  const char *de = c->has_header ? c->header.de : NULL;
  const char *hash = de ? strchr(de, '#') : NULL;
  long serial = c->id ? id_serial(c->id) : -1;
  if (hash && isdigit((unsigned char)hash[1]) && serial >= 0 && !serial_matches(serial, hash + 1)) {
    snprintf(msg, sizeof msg, "the id's number %ld is not the DE line's serial %ld (%s)", serial,
             strtol(hash + 1, NULL, 10), de);
    finding(k, c, "id-serial", line_of(c, de), msg);
  }
  if (has_dtg && c->id && isdigit((unsigned char)c->id[0]) && isdigit((unsigned char)c->id[1]) &&
      (c->id[0] - '0') * 10 + (c->id[1] - '0') != d->year % 100) {
    snprintf(msg, sizeof msg, "the id's year %.2s is not the DTG's %d (%s)", c->id, d->year,
             c->header.dtg);
    finding(k, c, "id-year", line_of(c, c->header.dtg), msg);
  }
}

/* The date and hour only: the Cablegate pages' minutes are not the DTG's
 * (15:03 for 1553Z), so comparing them would flag nearly every cable. */
static void check_created(struct cxr_check *k, const struct cx_cable *c, const struct dtg *d) {
  int y, mo, day, h;
  if (!c->created || sscanf(c->created, "%d-%d-%dT%d", &y, &mo, &day, &h) != 4) return;
  if (y == d->year && mo == d->month && day == d->day && h == d->hour) return;
  char msg[256];
  snprintf(msg, sizeof msg, "created %s is not the DTG's %04d-%02d-%02d %02d:%02dZ (%s)",
           c->created, d->year, d->month, d->day, d->hour, d->minute, c->header.dtg);
  finding(k, c, "created-dtg", line_of(c, c->header.dtg), msg);
}

static void check_classification(struct cxr_check *k, const struct cx_cable *c) {
  char msg[320];
  int lv = level(c->classification);
  if (lv < 0) return;
  int banner = banner_level(c->has_header ? c->header.security : NULL);
  if (banner >= 0 && banner != lv) {
    snprintf(msg, sizeof msg, "classification %s but the security line says %s", c->classification,
             c->header.security);
    finding(k, c, "class-banner", line_of(c, c->header.security), msg);
  }
  for (size_t i = 0; i < c->paragraphs.n; i++) {
    const struct cx_paragraph *p = &c->paragraphs.v[i];
    if (level(p->marking) <= lv) continue;
    char mark[64];
    snprintf(mark, sizeof mark, "(%s)", p->marking);
    snprintf(msg, sizeof msg, "paragraph %s is marked %s, above the cable's %s",
             p->number ? p->number : "(unnumbered)", mark, c->classification);
    finding(k, c, "class-paragraph", line_of(c, mark), msg);
    break; /* one finding per cable is enough */
  }
}

int cxr_check_add(struct cxr_check *k, const struct cx_cable *c) {
  struct dtg d;
  bool has_dtg = c->has_header && parse_dtg(c->header.dtg, &d);
  char msg[320];
  check_id(k, c, &d, has_dtg);
  if (has_dtg) check_created(k, c, &d);
  check_classification(k, c);
  for (size_t i = 0; c->id && i < c->references.n; i++) {
    const struct cx_reference *r = &c->references.v[i];
    if (!r->cable_id || (strcmp(r->cable_id, c->id) != 0 &&
                         (!c->canonical_id || strcmp(r->cable_id, c->canonical_id) != 0)))
      continue;
    snprintf(msg, sizeof msg, "reference %s (%s) is the cable itself", r->letter ? r->letter : "",
             r->text ? r->text : r->cable_id);
    finding(k, c, "self-reference", line_of(c, r->text), msg);
  }
  if (!c->subject || !*c->subject) finding(k, c, "no-subject", 0, "no SUBJECT line");
  if (!c->tags.n) finding(k, c, "no-tags", 0, "no TAGS line");
  const char *id = c->canonical_id ? c->canonical_id : c->id;
  if (id) {
    unsigned long before = stats_tab_get(&k->ids, id);
    if (stats_tab_count(&k->ids, id, 1) != CX_OK) return CX_FATAL;
    if (before) {
      snprintf(msg, sizeof msg, "the id %s was seen %lu time%s before in this run", id, before,
               before == 1 ? "" : "s");
      finding(k, c, "duplicate-id", 0, msg);
    }
  }
  return ferror(k->out) ? CX_FATAL : CX_OK;
}
