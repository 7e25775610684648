/* telegram_tags.c - the TAGS line.
 *
 *   line = ("TAGS" | "TAG" | "TAGES" | "TABS") [":" | ";" | ","] tag { sep tag }
 *   tag  = code ("PREL", "KNNP", "IR") | glued codes ("KNNPMNUC")
 *          | a free-text phrase ("ISRAELI PALESTINIAN AFFAIRS"): between commas
 *            all the words that are no codes; else free words joined by
 *            connectors, a new phrase opening at a nationality adjective after
 *            a noun ("GAZA DISENGAGEMENT | ISRAELI PALESTINIAN AFFAIRS")
 *          | code "(" person ")" ("OVIP (STEINBERG, JAMES B.)")
 *          | person ("SURNAME, GIVEN I.", "SURNAME, I.": one tag;
 *            "OVIP SURNAME GIVEN" -> "OVIP", "SURNAME, GIVEN")
 *   "TAGS: PREL, PGOV, IR", "TAGS PREL PHUM KDEM ZI",
 *   "TAGS: OVIP RICE CONDOLEEZZA", continued on a line after a comma or
 *   on a line of codes only ("     SENV SOCI", "OVIP (NAME, GIVEN)");
 *   SIPDIS is never a tag
 *
 * Ownership: the body text is borrowed; what is kept is copied into the
 * cable (see telegram_internal.h).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telegram_internal.h"
#include "text.h"

/* Tags as assigned in the Department's TAGS list, enough to split glued
 * runs ("KNNPMNUC") and to tell a tag from a word of a free-text phrase. */
static const char *const known_tags[] = {
    "ABLD", "ABUD",  "ADCO",    "ADPM",     "AEMR",  "AFIN", "AFSI",   "AFSN",   "AGAO",  "AINF",
    "AINR", "AINT",  "AMED",    "AMGT",     "AODE",  "AORC", "APCS",   "APER",   "ASCH",  "ASEC",
    "ASIG", "AVERY", "BEXP",    "BTIO",     "CASC",  "CFED", "CJAN",   "CMGT",   "CPAS",  "CVIS",
    "EAGR", "EAID",  "EAIR",    "ECIN",     "ECON",  "ECPS", "EDRC",   "EFIN",   "EFIS",  "EIND",
    "EINT", "EINV",  "ELAB",    "ELTN",     "EMIN",  "ENGR", "ENIV",   "ENRG",   "EPET",  "ESTH",
    "ETRD", "ETTC",  "EWWT",    "EXIM",     "KABY",  "KAWC", "KBCT",   "KBIO",   "KBTR",  "KBTS",
    "KCFE", "KCIP",  "KCOR",    "KCRM",     "KCRS",  "KDEM", "KDRG",   "KESS",   "KFLO",  "KFLU",
    "KFRD", "KGCC",  "KGHG",    "KGIC",     "KGIT",  "KHIV", "KHLS",   "KIDE",   "KIPR",  "KIRC",
    "KIRF", "KISL",  "KJUS",    "KLIG",     "KMCA",  "KMDR", "KMPI",   "KNAR",   "KNEI",  "KNNP",
    "KNPP", "KNSD",  "KNUC",    "KOCI",     "KOMC",  "KPAL", "KPAO",   "KPKO",   "KPLS",  "KPOA",
    "KPRP", "KPRV",  "KRAD",    "KRCM",     "KREC",  "KRFD", "KRIM",   "KRVC",   "KSAC",  "KSAF",
    "KSCA", "KSEO",  "KSEP",    "KSTC",     "KSTH",  "KSUM", "KTDB",   "KTEX",   "KTFN",  "KTIA",
    "KTIP", "KTLA",  "KUNR",    "KVPR",     "KWAC",  "KWBG", "KWMN",   "KWNM",   "KWWW",  "MARR",
    "MASC", "MASS",  "MCAP",    "MNUC",     "MOPS",  "OEXC", "OFDP",   "OIIP",   "OPDC",  "OPRC",
    "OREP", "OSCI",  "OTRA",    "OVIP",     "PARM",  "PBTS", "PGOV",   "PHSA",   "PHUM",  "PINR",
    "PINS", "PINT",  "PMIL",    "PNAT",     "PREF",  "PREL", "PROP",   "PSOE",   "PTER",  "SCUL",
    "SENV", "SMIG",  "SNAR",    "SOCI",     "SPCE",  "TBIO", "TINT",   "TNGD",   "TPHY",  "TRGY",
    "TSPA", "TSPL",  "APEC",    "ASEAN",    "AU",    "CBW",  "CWC",    "EU",     "EUN",   "G8",
    "IAEA", "ICAO",  "ICRC",    "IMF",      "IMO",   "NATO", "OAS",    "OECD",   "OPCW",  "OPEC",
    "OSCE", "UN",    "UNGA",    "UNHCR",    "UNHRC", "UNSC", "UNESCO", "WHO",    "WTO",   "NPT",
    "MTCR", "CTBT",  "ILO",     "FAO",      "UNDP",  "UNEP", "WFP",    "UNICEF", "UNMIK", "ECOWAS",
    "SADC", "IGAD",  "CARICOM", "MERCOSUR",
};

#define N_KNOWN_TAGS (sizeof known_tags / sizeof *known_tags)
_Static_assert(N_KNOWN_TAGS <= 256, "tag_order holds a tag's index in a byte");

/* known_tags by first byte (tag_at[c] .. tag_at[c + 1] in tag_order) and
 * their lengths, made once: a word is compared with the tags of its first
 * letter only, not with all of them. */
static unsigned char tag_order[N_KNOWN_TAGS], tag_len[N_KNOWN_TAGS];
static unsigned short tag_at[256 + 1];
static pthread_once_t tags_once = PTHREAD_ONCE_INIT;

static size_t tag_first(size_t i) {
  return (unsigned char)known_tags[i][0];
}

static void tags_init(void) {
  for (size_t i = 0; i < N_KNOWN_TAGS; i++)
    tag_len[i] = (unsigned char)strlen(known_tags[i]);
  word_index(N_KNOWN_TAGS, 256, tag_first, tag_order, tag_at);
}

static bool is_known_tag(const char *s, size_t n) {
  if (!n) return false;
  pthread_once(&tags_once, tags_init);
  unsigned char f = (unsigned char)*s;
  for (size_t k = tag_at[f]; k < tag_at[f + 1]; k++) {
    size_t i = tag_order[k];
    if (tag_len[i] == n && !memcmp(known_tags[i], s, n)) return true;
  }
  return false;
}

/* Misspellings cablemap (and common sense) correct. */
static const struct {
  const char *from, *to;
} tag_fixes[] = {
    {"MOPPS", "MOPS"},
    {"POGOV", "PGOV"},
    {"UNDESCO", "UNESCO"},
    {"PREl", "PREL"},
    {"COUNTER TERRORISM", "COUNTERTERRORISM"},
};

struct tagtok {
  const char *s;
  size_t n;
  bool comma; /* a comma (or line end) follows */
};

static bool all_alpha(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!is_alpha((unsigned char)s[i])) return false;
  return n > 0;
}

/* Splits a glued run of tags ("ETRDEINVECINPGOVCS", "VTPREL") into known
 * four-letter tags and two-letter country codes.  Returns the number of
 * pieces written to cuts[] (offsets of piece ends), 0 when it does not split. */
static int split_glued_tags(const char *s, size_t n, size_t cuts[16]) {
  if (n <= 4 || n > 60 || !all_alpha(s, n) || is_known_tag(s, n)) return 0;
  int k = 0;
  size_t i = 0;
  if (n % 4 == 2 && !is_known_tag(s, 4)) { /* "VT" + "PREL" */
    cuts[k++] = 2;
    i = 2;
  }
  while (i < n && k < 15) {
    if (n - i == 2) {
      cuts[k++] = n;
      return k;
    }
    if (n - i < 4 || !is_known_tag(s + i, 4)) return 0;
    i += 4;
    cuts[k++] = i;
  }
  return i == n ? k : 0;
}

static void add_tag(struct body *b, const char *s, size_t n) {
  char buf[256];
  if (!n) return;
  if (n >= sizeof buf) n = sizeof buf - 1;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)to_upper((unsigned char)s[i]);
  buf[n] = '\0';
  if (!strcmp(buf, "SIPDIS")) return; /* the caption, never a tag */
  for (size_t i = 0; i < sizeof tag_fixes / sizeof *tag_fixes; i++)
    if (!strcmp(buf, tag_fixes[i].from)) {
      n = strlen(tag_fixes[i].to);
      memcpy(buf, tag_fixes[i].to, n + 1);
    }
  for (size_t i = 0; i < b->c->tags.n; i++)
    if (!strcmp(b->c->tags.v[i], buf)) return;
  if (cx_strv_push_n(&b->c->tags, buf, n) != CX_OK) body_fail_oom(b);
}

/* The tag written over [s, e), its line breaks and runs of blanks made one
 * space. */
static void add_phrase(struct body *b, const char *s, const char *e) {
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  fold_spaces(b, o, s, e, false);
  if (o->data) add_tag(b, o->data, o->len);
}

/* A word of a free-text tag phrase ("ISRAELI PALESTINIAN AFFAIRS"), not a
 * glued run of tags. */
static bool is_free_word(const struct tagtok *t) {
  size_t cuts[16];
  return t->n >= 5 && all_alpha(t->s, t->n) && !is_known_tag(t->s, t->n) &&
         !split_glued_tags(t->s, t->n, cuts);
}

/* A word of the shape of a nationality adjective ("ITALIAN", "ISRAELI",
 * "JAPANESE", "TURKISH"): it opens a noun phrase, so after a noun it starts
 * a new tag ("GAZA DISENGAGEMENT | ISRAELI PALESTINIAN AFFAIRS"). */
static bool opens_noun_phrase(const struct tagtok *t) {
  static const char *const ends[] = {"IAN", "ESE", "ISH", "I"};
  if (!is_free_word(t)) return false;
  for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
    size_t n = strlen(ends[i]);
    if (has_prefix_ci(t->s + t->n - n, t->s + t->n, ends[i])) return true;
  }
  return false;
}

static bool is_connector(const struct tagtok *t) {
  static const char *const w[] = {"AND", "OF", "IN", "THE", "FOR", "ON"};
  for (size_t i = 0; i < sizeof w / sizeof *w; i++)
    if (t->n == strlen(w[i]) && has_prefix_ci(t->s, t->s + t->n, w[i])) return true;
  return false;
}

/* A word that may be a name: letters (with ' and -), not a tag code. */
static bool is_name_word(const struct tagtok *t) {
  if (t->n < 2 || is_known_tag(t->s, t->n)) return false;
  for (size_t i = 0; i < t->n; i++)
    if (!is_alpha((unsigned char)t->s[i]) && t->s[i] != '\'' && t->s[i] != '-') return false;
  return true;
}

/* A word of a name or a phrase, not a code: three letters or more, not a
 * known tag, not a glued run of tags. */
static bool is_word_not_code(const struct tagtok *t) {
  size_t cuts[16];
  return t->n >= 3 && is_name_word(t) && !split_glued_tags(t->s, t->n, cuts);
}

/* The last token of a field between commas that starts at i and holds two
 * words or more that are no codes ("..., SMITH JOHN, ..."): one tag, as the
 * separators say.  Returns i when there is none. */
static size_t comma_field_end(const struct tagtok *tok, size_t nt, size_t i) {
  if (!i || !tok[i - 1].comma || !is_word_not_code(&tok[i])) return i;
  size_t j = i;
  while (j + 1 < nt && !tok[j].comma &&
         (is_word_not_code(&tok[j + 1]) || is_connector(&tok[j + 1])))
    j++;
  if (j == i || (!tok[j].comma && j + 1 < nt)) return i; /* one word, or a code follows */
  return is_connector(&tok[j]) ? i : j;
}

/* A person written "SURNAME, GIVEN [I.]" or "SURNAME, I." among the tags:
 * the surname, a comma, then name words ending in an initial.  Returns the
 * index of the person's last token (an initial), or i when there is none. */
static size_t person_end(const struct tagtok *tok, size_t nt, size_t i) {
  if (i + 1 >= nt || !tok[i].comma || !is_name_word(&tok[i])) return i;
  size_t j = i + 1;
  while (j < nt && !tok[j].comma && is_name_word(&tok[j]) && j - i < 3)
    j++;
  if (j >= nt || tok[j].n != 1 || !is_alpha((unsigned char)*tok[j].s)) return i;
  /* more initials: "SMITH, JOHN A. B." */
  while (j + 1 < nt && !tok[j].comma && tok[j + 1].n == 1 && is_alpha((unsigned char)*tok[j + 1].s))
    j++;
  return j;
}

static void tags_from_value(struct body *b, const char *p, const char *e) {
  struct tagtok tok[128];
  size_t nt = 0;
  while (p < e && nt < 128) {
    while (p < e && (is_space((unsigned char)*p) || *p == ',' || *p == ';')) {
      if ((*p == ',' || *p == ';') && nt) tok[nt - 1].comma = true;
      p++;
    }
    if (p >= e) break;
    const char *s = p;
    if (*p == '(') { /* a person: "(STEINBERG, JAMES B.)" belongs to the tag before */
      const char *q = memchr(p, ')', (size_t)(e - p < 80 ? e - p : 80));
      const char *close = q ? q : e; /* not closed: it runs to the end of the value */
      p = q ? q + 1 : e;
      if (nt && !tok[nt - 1].comma) {
        tok[nt - 1].n = (size_t)(p - tok[nt - 1].s);
        continue;
      }
      if (close > s + 1) tok[nt++] = (struct tagtok){s + 1, (size_t)(close - s - 1), false};
      continue;
    }
    while (p < e && !is_space((unsigned char)*p) && *p != ',' && *p != ';' && *p != '(')
      p++;
    const char *te = p;
    while (te > s && (te[-1] == '.' || te[-1] == ':'))
      te--;
    if (te > s) tok[nt++] = (struct tagtok){s, (size_t)(te - s), false};
  }
  for (size_t i = 0; i < nt; i++) {
    size_t pe = person_end(tok, nt, i);
    if (pe > i) { /* "SMITH, JOHN A.": one tag, as written */
      const char *te = tok[pe].s + tok[pe].n;
      if (te < e && *te == '.') te++;
      add_phrase(b, tok[i].s, te);
      i = pe;
      continue;
    }
    size_t fe = comma_field_end(tok, nt, i);
    if (fe > i) {
      add_phrase(b, tok[i].s, tok[fe].s + tok[fe].n);
      i = fe;
      continue;
    }
    /* A visitor named after OVIP: "OVIP RICE CONDOLEEZZA" -> "RICE, CONDOLEEZZA". */
    if (i + 2 < nt && tok[i].n == 4 && has_prefix_ci(tok[i].s, tok[i].s + 4, "OVIP") &&
        !tok[i].comma && !tok[i + 1].comma && is_word_not_code(&tok[i + 1]) &&
        is_word_not_code(&tok[i + 2])) {
      add_tag(b, tok[i].s, tok[i].n);
      char buf[200];
      size_t n1 = tok[i + 1].n < 90 ? tok[i + 1].n : 90, n2 = tok[i + 2].n < 90 ? tok[i + 2].n : 90;
      memcpy(buf, tok[i + 1].s, n1);
      memcpy(buf + n1, ", ", 2);
      memcpy(buf + n1 + 2, tok[i + 2].s, n2);
      add_tag(b, buf, n1 + 2 + n2);
      i += 2;
      continue;
    }
    /* A free-text phrase: free words, joined by connectors, with an unknown
     * short word in front ("GOI EXTERNAL", "TIP IN TURKEY"). */
    size_t j = i;
    bool lead = false;
    if (!is_free_word(&tok[i]) && tok[i].n >= 3 && tok[i].n <= 4 && all_alpha(tok[i].s, tok[i].n) &&
        !is_known_tag(tok[i].s, tok[i].n) && !tok[i].comma && i + 1 < nt) {
      size_t k = i + 1;
      while (k < nt && is_connector(&tok[k]) && !tok[k - 1].comma)
        k++;
      if (k < nt && is_free_word(&tok[k]) && !tok[k - 1].comma) lead = true;
    }
    if (lead || is_free_word(&tok[i])) {
      size_t last = i;
      j = i + 1;
      while (j < nt && !tok[j - 1].comma) {
        size_t k = j;
        while (k < nt && is_connector(&tok[k]) && !tok[k - 1].comma)
          k++;
        if (k < nt && is_free_word(&tok[k]) && !tok[k - 1].comma) {
          if (k == j && opens_noun_phrase(&tok[k]) && !opens_noun_phrase(&tok[last])) break;
          last = k;
          j = k + 1;
        } else
          break;
      }
      if (last > i) {
        add_phrase(b, tok[i].s, tok[last].s + tok[last].n);
        i = last;
        continue;
      }
    }
    size_t cuts[16];
    int k = split_glued_tags(tok[i].s, tok[i].n, cuts);
    if (k) {
      size_t from = 0;
      for (int c = 0; c < k; c++) {
        add_tag(b, tok[i].s + from, cuts[c] - from);
        from = cuts[c];
      }
      continue;
    }
    add_tag(b, tok[i].s, tok[i].n);
  }
}

/* "TAGS:", "TAGS", "TAG", "TAGS;", "TAGS,", "TABS:", "TAGES:", "AGS:" (the T lost). */
static const char *tags_keyword(const char *t, const char *p, const char *e) {
  static const char *const kw[] = {"TAGS", "TAGES", "TABS", "TAG"};
  if (!at_word_start(t, p)) return NULL;
  bool line_start = first_on_line(t, p);
  for (size_t i = 0; i < sizeof kw / sizeof *kw; i++) {
    size_t n = strlen(kw[i]);
    if (!has_prefix_ci(p, e, kw[i]) || (p + n < e && is_alpha((unsigned char)p[n]))) continue;
    const char *q = p + n;
    if (q < e && (*q == ':' || *q == ';' || *q == ',')) return q + 1;
    if (line_start && q < e && is_hspace((unsigned char)*q)) {
      const char *r = skip_hspace(q, e);
      if (r < e && is_alpha((unsigned char)*r)) return r;
    }
    return NULL;
  }
  if (has_prefix_ci(p, e, "AGS:") && p > t && is_hspace((unsigned char)p[-1])) return p + 4;
  return NULL;
}

/* Is the line [p,le) made of tag codes only ("     SENV SOCI", "EAGR PHUM
 * IZ", "OVIP (QUILL, ANN B.)"): known tags and two-letter country codes, a
 * code's person in brackets, so that it continues the TAGS line without a
 * comma? */
static bool codes_line(const char *p, const char *le) {
  int codes = 0;
  for (p = skip_hspace(p, le); p < le; p = skip_hspace(p, le)) {
    if (*p == '(' && codes) { /* a person after a code: "OVIP (QUILL, ANN B.)" */
      const char *c = p + 1;
      while (c < le && (is_alpha((unsigned char)*c) || *c == ' ' || *c == ',' || *c == '.' ||
                        *c == '\'' || *c == '-'))
        c++;
      if (c >= le || *c != ')' || c == p + 1) return false;
      p = c + 1;
      if (p < le && *p == ',') p++;
      continue;
    }
    const char *s = p;
    while (p < le && !is_space((unsigned char)*p) && *p != ',')
      p++;
    size_t n = (size_t)(p - s), cuts[16];
    bool upper = true;
    for (size_t i = 0; i < n; i++)
      upper = upper && is_upper((unsigned char)s[i]);
    if (!upper || !(n == 2 || is_known_tag(s, n) || split_glued_tags(s, n, cuts))) return false;
    codes++;
    if (p < le && *p == ',') p++;
  }
  return codes > 0;
}

void body_tags(struct body *b) {
  const char *p, *v = NULL;
  for (p = b->t; p < b->hdr_lim; p++)
    if ((to_upper((unsigned char)*p) == 'T' || to_upper((unsigned char)*p) == 'A') &&
        (v = tags_keyword(b->t, p, b->end)))
      break;
  if (!v) return;
  const char *e = b->end;
  /* The value may start on the next line ("TAGS:\nPREL"). */
  const char *q = skip_hspace(v, e);
  if (q < e && *q == '\n' && is_blank(v, line_end(v, e))) q = skip_space(q, e);
  const char *le = line_end(q, e);
  bool one_line = le - q > 2000; /* a body on one line */
  if (one_line) le = q + 2000;
  const char *stop = le;
  /* A continuation line: the value ends with a comma, or the next line
   * starts with "WORD," ("NL, IS, SR"). */
  for (int more = 0; more < 3 && le < e && !one_line; more++) {
    const char *ve = le;
    while (ve > q && is_space((unsigned char)ve[-1]))
      ve--;
    const char *n = le + 1, *nle = line_end(n, e);
    if (nle - n > 2000) break;
    const char *w = skip_hspace(n, nle), *we = w;
    while (we < nle && (is_alpha((unsigned char)*we) || *we == '_' || *we == '-'))
      we++;
    bool comma_next = we > w && skip_hspace(we, nle) < nle && *skip_hspace(we, nle) == ',';
    if (!((ve > q && ve[-1] == ',') || comma_next || codes_line(n, nle)) || is_blank(n, nle)) break;
    if (find_ci(b->t, n, nle, "SUBJ", true) == skip_hspace(n, nle) ||
        find_ci(b->t, n, nle, "E.O", true) == skip_hspace(n, nle))
      break;
    le = stop = nle;
  }
  /* Cut at SUBJECT on the same line, and at page furniture. */
  const char *s;
  if ((s = find_ci(b->t, q, stop, "SUBJECT", true)) || (s = find_ci(b->t, q, stop, "SUBJ:", true)))
    stop = s;
  for (s = q; s < stop; s++) {
    if (to_upper((unsigned char)*s) == 'P' && at_word_start(b->t, s) &&
        page_marker(s, stop, true, 1)) {
      stop = s;
      /* and the classification word printed before it */
      const char *r = stop;
      while (r > q && is_space((unsigned char)r[-1]))
        r--;
      static const char *const cls[] = {"UNCLASSIFIED", "CONFIDENTIAL", "SECRET"};
      for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(cls[i]);
        if ((size_t)(r - q) >= n && has_prefix_ci(r - n, r, cls[i])) stop = r - n;
      }
      break;
    }
  }
  if (stop > b->hdr_end) b->hdr_end = stop;
  if (b->c->tags.n) return; /* page metadata wins */
  tags_from_value(b, q, stop);
}
