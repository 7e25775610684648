/* telegram_classified_by.c - the "Classified By" line: who and why.
 *
 *   line    = "CLASSIFIED BY" [":"] who [ reasons ]
 *   who     = [ title ] name { ("," | "AND") [ title ] name }
 *   title   = office words ("ACTING POLITICAL COUNSELOR", "DCM", "CHARGE D'AFFAIRES")
 *   reasons = ("FOR" | ";" | "-") "REASON(S)" section { section }  ; "1.4 (B) AND (D)"
 *   name    = name-shaped words after the title: initials with or without
 *             their period ("F.", "G"), "Jr.", "O'Neil", lower-case particles
 *             inside ("van", "de la"), a nickname in quotes, OCR's 0 for O; a
 *             redaction ("XXXXXXXXXXXX") alone; never initials alone, nor a
 *             station after EMBASSY/CONSULATE
 *   the line ends at a blank line, paragraph 1, a rule, a REF line, or a
 *   capital word after the finished reasons
 *   "Classified By: Political Counselor F. Daniel Sainz for reasons 1.4 (b) and (d)."
 *   "CLASSIFIED BY: AMBASSADOR JOHN L. WITHERS II, REASON 1.4(D)"
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

#include "stations.h"
#include "telegram_internal.h"
#include "text.h"

/* The office words a title is made of ("Acting Political Counselor", "DCM",
 * "Charge d'Affaires"): the family of words and their abbreviations.  A
 * misspelt word of the family is found by its edit distance (see
 * is_title_word), not listed. */
static const char *const office_words[] = {"ACTING",
                                           "ACTG",
                                           "DEPUTY",
                                           "CHIEF",
                                           "MISSION",
                                           "OF",
                                           "POLITICAL",
                                           "POL",
                                           "POLMIL",
                                           "POL-MIL",
                                           "POL-ECON",
                                           "POLECON",
                                           "ECON",
                                           "ECONOMIC",
                                           "ECOPOL",
                                           "COUNSELOR",
                                           "COUNSEL",
                                           "COUNS",
                                           "MINISTER",
                                           "MINISTER-COUNSELOR",
                                           "MIN",
                                           "MC",
                                           "DIRECTOR",
                                           "DIR",
                                           "OFFICER",
                                           "OFFICE",
                                           "OFF",
                                           "CONSUL",
                                           "GENERAL",
                                           "CONSUL-GENERAL",
                                           "CHARGE",
                                           "AFFAIRES",
                                           "AFFAIRS",
                                           "DCM",
                                           "CDA",
                                           "AI",
                                           "A.I",
                                           "AIT",
                                           "USUN",
                                           "USEU",
                                           "USDEL",
                                           "USNATO",
                                           "USOSCE",
                                           "MEMBER",
                                           "ASSISTANT",
                                           "SECRETARY",
                                           "SECRETARY-GENERAL",
                                           "AS",
                                           "ISN",
                                           "IO",
                                           "AF",
                                           "NEA",
                                           "EUR",
                                           "WHA",
                                           "EAP",
                                           "SCA",
                                           "SA",
                                           "PDAS",
                                           "DAS",
                                           "SPECIAL",
                                           "REPRESENTATIVE",
                                           "ENVOY",
                                           "ADVISOR",
                                           "ADVISER",
                                           "LEGAL",
                                           "ATTACHE",
                                           "LABOR",
                                           "DEFENSE",
                                           "LTC",
                                           "COL",
                                           "COLONEL",
                                           "GEN",
                                           "PRINCIPAL",
                                           "PERMANENT",
                                           "INTERAGENCY",
                                           "PROVINCIAL",
                                           "COORDINATOR",
                                           "HEAD",
                                           "SECTION",
                                           "GOVERNANCE",
                                           "PRT",
                                           "DELEGATE",
                                           "DELEGATION",
                                           "ARMS",
                                           "CONTROL",
                                           "CHAIRMAN",
                                           "DEPARTMENT",
                                           "STATE",
                                           "EMBASSY",
                                           "CONSULATE",
                                           "T",
                                           "US",
                                           "IPO",
                                           "ARSO",
                                           "RSO",
                                           "LEGATT",
                                           "LEGAT",
                                           "EMIN",
                                           "ECMIN",
                                           "PE",
                                           "EP",
                                           "A",
                                           "THE",
                                           "BY",
                                           "FOR",
                                           "AND",
                                           "GUIDE",
                                           "CLASSIFICATION",
                                           "DOS",
                                           "BUREAU",
                                           "UNDER",
                                           "CONS",
                                           "CON",
                                           "ECO",
                                           "PAO",
                                           "PA",
                                           "PD",
                                           "MGMT",
                                           "MANAGEMENT",
                                           "DATT",
                                           "DAO",
                                           "FSO",
                                           "EXECUTIVE",
                                           "SENIOR",
                                           "CONSULAR",
                                           "POLICY",
                                           "PUBLIC",
                                           "DIPLOMACY",
                                           "AFFAIRS",
                                           "REGIONAL",
                                           "SECURITY",
                                           "INTERIM",
                                           "VICE",
                                           "PRESIDENT",
                                           "ECONOFF",
                                           "POLOFF",
                                           "ECONCOUNS",
                                           "POLCOUNS",
                                           "AMBASSADOR",
                                           "AMB",
                                           "DEPT",
                                           "U.S",
                                           "OFFICIAL",
                                           "CG",
                                           "PO",
                                           "DPO",
                                           "RA",
                                           "INL",
                                           "DRL",
                                           "PM",
                                           "VCI",
                                           "INR",
                                           "OES",
                                           "EEB",
                                           "AA",
                                           "USAID",
                                           "MISSION",
                                           "TEAM",
                                           "LEADER",
                                           "ADVISER",
                                           "SR",
                                           "ADMIN",
                                           "CONGEN",
                                           "NIACT",
                                           "POLITICAL-MILITARY",
                                           "POLITICAL/ECONOMIC",
                                           "ECON/POL",
                                           "DEPUTY-CHIEF",
                                           "CHARGE'",
                                           "MANAGER",
                                           "ANALYST"};

/* A word of at least this many letters may be one edit from an office
 * word, of FUZZY2 letters two ("COUNSELR", "AFFARIES", "DIRECOTR",
 * "ECONOMICAL"); shorter ones must be spelt right (a name like "Chieh" is
 * one edit from CHIEF). */
#define FUZZY1 6
#define FUZZY2 9

#define N_OFFICE (sizeof office_words / sizeof *office_words)

/* Each office word's length and byte set, taken once: is_title_word runs
 * for every word of every Classified By line against every office word,
 * and strlen, strchr and the byte sets were most of its cost. */
static struct office_info {
  unsigned char n;
  bool fuzzy; /* compared by edit distance: FUZZY1 letters or more, no '-' or '/' */
  unsigned long long letters;
} office_info[N_OFFICE];
static pthread_once_t office_once = PTHREAD_ONCE_INIT;

/* The words' indices by their first byte and by their length, and where
 * each first byte's and each length's run starts (counting sorts, taken
 * once): a word is compared only with those it can equal (the same first
 * byte) or be near (lengths within its edit limit), not with all. */
#define OFFICE_LEN_MAX 31 /* more than any office word's length */
_Static_assert(N_OFFICE < 256, "office indices are bytes");
static unsigned char by_first[N_OFFICE], by_len[N_OFFICE];
static unsigned short first_at[256 + 1], len_at[OFFICE_LEN_MAX + 2];

static size_t first_key(size_t i) {
  return (unsigned char)office_words[i][0];
}
static size_t len_key(size_t i) {
  return office_info[i].n;
}

static void office_init(void) {
  for (size_t i = 0; i < N_OFFICE; i++) {
    const char *w = office_words[i];
    size_t n = strlen(w);
    office_info[i].n = (unsigned char)n;
    office_info[i].fuzzy = n >= FUZZY1 && !strchr(w, '-') && !strchr(w, '/');
    office_info[i].letters = cx_station_letters(w, n);
  }
  word_index(N_OFFICE, 256, first_key, by_first, first_at);
  word_index(N_OFFICE, OFFICE_LEN_MAX + 1, len_key, by_len, len_at);
}

/* The run of by_len for the lengths n - lim to n + lim: [*from, *to). */
static void office_lengths(size_t n, size_t lim, size_t *from, size_t *to) {
  size_t lo = n > lim ? n - lim : 0, hi = n + lim;
  if (lo > OFFICE_LEN_MAX) lo = OFFICE_LEN_MAX + 1;
  if (hi > OFFICE_LEN_MAX) hi = OFFICE_LEN_MAX;
  *from = len_at[lo];
  *to = len_at[hi + 1];
}

/* Is buf[0,n) (with byte set `letters`) at most `lim` edits from office
 * word i?  The length and byte-set tests are the distance's own first
 * ones, made here on the kept values. */
static bool office_near(size_t i, const char *buf, size_t n, unsigned long long letters, int lim) {
  const struct office_info *o = &office_info[i];
  if ((n > o->n ? n - o->n : o->n - n) > (size_t)lim) return false;
  if (cx_station_more_bits(letters & ~o->letters, lim) ||
      cx_station_more_bits(o->letters & ~letters, lim))
    return false;
  return cx_station_distance_n(buf, n, office_words[i], o->n, lim) <= lim;
}

/* Is the word (4 letters or more) one edit from an office word of 4 or
 * more letters ("CIEF": CHIEF)? */
static bool near_office_word(const char *s, size_t n) {
  char buf[16];
  if (n < 4 || n >= sizeof buf) return false;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)to_upper((unsigned char)s[i]);
  pthread_once(&office_once, office_init);
  unsigned long long letters = cx_station_letters(buf, n);
  size_t from, to;
  office_lengths(n, 1, &from, &to);
  for (size_t k = from; k < to; k++)
    if (office_info[by_len[k]].n >= 4 && office_near(by_len[k], buf, n, letters, 1)) return true;
  return false;
}

static bool is_title_word(const char *s, size_t n) {
  char buf[48];
  if (!n || n >= sizeof buf) return false;
  for (size_t i = 0; i < n; i++) /* an OCR zero for an O: COUNSEL0R */
    buf[i] = s[i] == '0' && i > 0 ? 'O' : (char)to_upper((unsigned char)s[i]);
  buf[n] = '\0';
  while (n && (buf[n - 1] == '.' || buf[n - 1] == '\'' || buf[n - 1] == ':'))
    buf[--n] = '\0';
  if (!n) return true;
  pthread_once(&office_once, office_init);
  unsigned char f = (unsigned char)buf[0];
  for (size_t k = first_at[f]; k < first_at[f + 1]; k++)
    if (!strcmp(buf, office_words[by_first[k]])) return true;
  /* AMBASSADOR shortened or misspelt (AMB., AMBASSADR), d'Affaires spelt
   * every way, POLOFF/ECONOFF-like job codes. */
  if (!strncmp(buf, "AMB", 3)) return true;
  if (buf[0] == 'D' && (buf[1] == '\'' || buf[1] == ',' || buf[1] == '\\' || buf[1] == '`'))
    return true;
  if (!strncmp(buf, "DE'", 3)) return true;
  /* a job code: an office word with OFF after it (POLOFF, Poloff, CONOFF),
   * or letters with "Off" written so (ESTOff), not a name that ends so
   * (Geoff) */
  if (n > 4 && !strcmp(buf + n - 3, "OFF") &&
      (is_title_word(buf, n - 3) || (s[n - 3] == 'O' && is_lower((unsigned char)s[n - 1]))))
    return true;
  /* hyphenated titles, each part an office word, misspelt or not:
   * "Minister-Councelor", "Pol-Econ" */
  const char *hy = strchr(buf, '-');
  if (hy && hy > buf && hy[1]) {
    size_t a = (size_t)(hy - buf);
    if (is_title_word(buf, a) && is_title_word(hy + 1, n - a - 1)) return true;
  }
  if (n < FUZZY1) return false;
  int limit = n >= FUZZY2 ? 2 : 1;
  unsigned long long letters = cx_station_letters(buf, n);
  size_t from, to;
  office_lengths(n, (size_t)limit, &from, &to);
  for (size_t k = from; k < to; k++) {
    size_t i = by_len[k];
    if (office_info[i].fuzzy &&
        office_near(i, buf, n, letters, office_info[i].n >= FUZZY2 ? limit : 1))
      return true;
  }
  return false;
}

/* A letter of a name, or a zero that OCR made of an O ("LEE 0. COLDREN",
 * "0'NEIL"). */
static bool is_name_letter(const char *s, size_t n, size_t i) {
  if (s[i] != '0') return is_alpha((unsigned char)s[i]);
  return (i + 1 < n &&
          (is_alpha((unsigned char)s[i + 1]) || s[i + 1] == '.' || s[i + 1] == '\'')) ||
         (i > 0 && is_alpha((unsigned char)s[i - 1]));
}

static bool is_initial(const char *s, size_t n) {
  /* "F.", "W.S.", "A.F.", "0." */
  if (n < 2 || n % 2) return false;
  for (size_t i = 0; i < n; i += 2)
    if (!(is_upper((unsigned char)s[i]) || (s[i] == '0' && is_name_letter(s, n, i))) ||
        s[i + 1] != '.')
      return false;
  return true;
}

/* A particle inside a name, in lower case: "Carol van Voorst", "Ana de la
 * Cruz", "Omar bin Said". */
static bool is_name_particle(const char *s, size_t n) {
  static const char *const pt[] = {"van", "von", "de",  "da",  "del", "della", "der",
                                   "den", "di",  "du",  "la",  "le",  "bin",   "ibn",
                                   "al",  "el",  "ter", "ten", "dos", "das",   "y"};
  for (size_t i = 0; i < sizeof pt / sizeof *pt; i++)
    if (strlen(pt[i]) == n && !strncmp(s, pt[i], n)) return true;
  return false;
}

/* A redaction: "XXXXXXXXXXXX" where the name was. */
static bool is_redaction(const char *s, size_t n) {
  if (n < 4) return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] != 'X') return false;
  return true;
}

/* A nickname in quotes: "\"Hoot\"". */
static bool is_nickname(const char *s, size_t n) {
  if (n < 3 || s[0] != '"' || s[n - 1] != '"' || !is_upper((unsigned char)s[1])) return false;
  for (size_t i = 1; i + 1 < n; i++)
    if (!is_alpha((unsigned char)s[i]) && s[i] != '\'' && s[i] != '-') return false;
  return true;
}

static bool is_name_suffix(const char *s, size_t n) {
  static const char *const sfx[] = {"JR.", "JR", "SR.", "SR", "II", "III", "IV"};
  for (size_t i = 0; i < sizeof sfx / sizeof *sfx; i++)
    if (strlen(sfx[i]) == n && has_prefix_ci(s, s + n, sfx[i])) return true;
  return false;
}

struct word {
  const char *s;
  size_t n;
  char sep; /* what ends it: ' ', ',', '/', ':', '-' (a dash word) ... */
};

/* The name in one comma-separated part of the "who" text, read from its
 * end: "Political Counselor F. Daniel Sainz" -> "F. Daniel Sainz". */
static size_t name_in(struct word *w, size_t n, bool mixed, size_t *from) {
  size_t k = 0, i = n, words = 0, extras = 0;
  bool had_initial = false;
  /* "JOHN L. WITHERS II": a suffix is part of the name but no name word */
  if (i > 1 && is_name_suffix(w[i - 1].s, w[i - 1].n) && w[i - 2].sep == ' ') i--;
  while (i > 0) {
    struct word *x = &w[i - 1];
    if (x->n == 0 || (i < n && x->sep != ' ')) break;
    const char *s = x->s;
    size_t len = x->n;
    /* "Janice G Weiner": a middle initial written without its period */
    bool ini = is_initial(s, len) || (len == 1 && is_upper((unsigned char)*s) && k == 1 && i >= 2 &&
                                      w[i - 2].sep == ' ' && w[i - 2].n > 1);
    if (!ini && is_title_word(s, len)) break;
    bool ok, extra = false;
    if (!k && is_redaction(s, len)) { /* "XXXXXXXXXXXX": a name blacked out, alone */
      k = words = 1;
      i--;
      break;
    }
    if (ini)
      ok = true;
    else if (k && (is_name_particle(s, len) || is_nickname(s, len)))
      ok = extra = true; /* a name word must come before it (below) */
    else if (mixed) {
      bool lower = false;
      for (size_t j = 0; j < len; j++)
        if (is_lower((unsigned char)s[j])) lower = true;
      ok = (is_upper((unsigned char)s[0]) || s[0] == '0') && lower;
      /* an upper-case letter inside ("CooQnator") is garbled text, except
       * in McX, MacX, DeX, LaX, O'X names */
      for (size_t j = 2; j < len && ok; j++)
        if (is_upper((unsigned char)s[j]) && is_lower((unsigned char)s[j - 1]) &&
            !(j == 2 && (has_prefix_ci(s, s + len, "MC") || has_prefix_ci(s, s + len, "DE") ||
                         has_prefix_ci(s, s + len, "LA") || has_prefix_ci(s, s + len, "LE") ||
                         has_prefix_ci(s, s + len, "DI"))) &&
            !(j == 3 && has_prefix_ci(s, s + len, "MAC")))
          ok = false;
    } else {
      ok = (is_upper((unsigned char)s[0]) || s[0] == '0') && len >= 2;
      for (size_t j = 0; j < len && ok; j++)
        if (!is_upper((unsigned char)s[j]) && s[j] != '\'' && s[j] != '-' && s[j] != '.' &&
            !(s[j] == '0' && is_name_letter(s, len, j)))
          ok = false;
    }
    for (size_t j = 0; j < len && ok; j++)
      if (is_digit((unsigned char)s[j]) && !is_name_letter(s, len, j)) ok = false;
    if (!ok) break;
    k++;
    i--;
    if (extra) {
      extras++;
      continue;
    }
    if (ini) {
      /* "F. Daniel Sainz": an initial with two names after it comes first;
       * "Susan M. Elliott": a middle initial takes one name before it. */
      if (k - extras >= 3) break;
      had_initial = true;
      continue;
    }
    words++;
    if (had_initial) break;
    if (k - extras >= 3) break;
  }
  /* a name starts with a name word or an initial, not with a particle, a
   * nickname or a bare letter ("Ambassador A Jones" is the title's) */
  while (k && (is_name_particle(w[i].s, w[i].n) || is_nickname(w[i].s, w[i].n) ||
               (w[i].n == 1 && k > 1))) {
    if (is_name_particle(w[i].s, w[i].n) || is_nickname(w[i].s, w[i].n)) extras--;
    i++;
    k--;
  }
  /* "ACTING E/P CIEF JEFF ZAISER": three words with no initial, the first
   * one edit from a short office word, is a title and a name */
  if (k - extras == 3 && !had_initial && w[i].n >= 4 && w[i].n < FUZZY1 &&
      near_office_word(w[i].s, w[i].n)) {
    i++;
    k--;
  }
  *from = i;
  /* initials alone ("Classified By: A...") name nobody */
  return words ? k : 0;
}

static bool is_and(const struct word *w) {
  return w->n == 3 && has_prefix_ci(w->s, w->s + 3, "AND");
}

/* One part of the "who" words from w[i]: [i,end) up to a separator or an
 * "AND", its name w[from..end) of k words (suffix included), and where the
 * next part starts. */
struct part {
  size_t end, from, k, next;
  bool after_and; /* the part follows an "AND" */
};

static struct part next_part(struct word *w, size_t nw, size_t i, bool mixed) {
  struct part pt = {0, 0, 0, 0, i > 0 && is_and(&w[i - 1])};
  size_t j = i;
  while (j < nw && (w[j].sep == ' ' || w[j].n == 0) && !(w[j].n == 0 && j > i) &&
         !(j > i && is_and(&w[j])))
    j++;
  bool at_and = j < nw && j > i && is_and(&w[j]);
  size_t end = at_and ? j : j < nw ? j + 1 : nw; /* w[j] ends the part */
  /* a following "JR." / "III" belongs to this part */
  size_t sfx = end < nw && is_name_suffix(w[end].s, w[end].n) ? 1 : 0;
  size_t from, pn = end - i;
  /* the part's last word may carry the separator: treat it as ' ' */
  char save = pn ? w[end - 1].sep : ' ';
  if (pn) w[end - 1].sep = ' ';
  pt.k = name_in(&w[i], pn, mixed, &from);
  if (pn) w[end - 1].sep = save;
  pt.from = i + from;
  pt.end = end + sfx;
  pt.next = end + sfx + (at_and ? 1 : 0);
  return pt;
}

/* Adds the name w[from..end) to the cable's classifiers: words joined by
 * one blank, ", " before a suffix written after a comma, "III." without its
 * dot, an OCR zero made O again. */
static void emit_name(struct body *b, const struct word *w, size_t from, size_t end) {
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  for (size_t x = from; x < end; x++) {
    if (!w[x].n) continue;
    if (o->len) {
      if (is_name_suffix(w[x].s, w[x].n) && w[x - 1].sep == ',') {
        if (cx_buf_addc(o, ',') != CX_OK) body_fail_oom(b);
      }
      if (cx_buf_addc(o, ' ') != CX_OK) body_fail_oom(b);
    }
    size_t n = w[x].n;
    /* "III." -> "III"; "JR." keeps its dot */
    if (n > 1 && w[x].s[n - 1] == '.' && !is_initial(w[x].s, n) &&
        !(n == 3 && is_name_suffix(w[x].s, n)))
      n--;
    size_t at = o->len;
    if (cx_buf_add(o, w[x].s, n) != CX_OK) body_fail_oom(b);
    for (size_t j = 0; o->data && j < n; j++)
      if (w[x].s[j] == '0' && is_name_letter(w[x].s, n, j)) o->data[at + j] = 'O';
  }
  if (b->rc != CX_FATAL && o->len && cx_strv_push_n(&b->c->classified_by.names, o->data, o->len))
    body_fail_oom(b);
}

/* Do the words w[from..end) name a place, not a person: a station
 * ("US Embassy Abu Dhabi"), or words after EMBASSY, CONSULATE, MISSION? */
static bool after_place_word(const struct word *w, size_t from) {
  static const char *const places[] = {"EMBASSY", "CONSULATE", "MISSION", "BUREAU"};
  for (size_t i = 0; from > 0 && i < sizeof places / sizeof *places; i++)
    if (has_word_ci(w[from - 1].s, w[from - 1].s + w[from - 1].n, places[i])) return true;
  return false;
}

/* Do the words w[from..end), blanks and punctuation squeezed out, make a
 * station ("Abu Dhabi", "Port Au Prince")? */
static bool is_station_words(const struct word *w, size_t from, size_t end) {
  char sq[CX_STATION_MAX];
  size_t n = 0;
  for (size_t x = from; x < end; x++)
    for (size_t j = 0; j < w[x].n; j++)
      if (is_alpha((unsigned char)w[x].s[j])) {
        if (n + 1 >= sizeof sq) return false;
        sq[n++] = (char)to_upper((unsigned char)w[x].s[j]);
      }
  sq[n] = '\0';
  return n && cx_station_lookup(sq, CX_STATION_REFS) != NULL;
}

static bool names_place(const struct word *w, size_t from, size_t end) {
  return after_place_word(w, from) || is_station_words(w, from, end);
}

static void classifier_names(struct body *b, const char *p, const char *e) {
  /* words; commas, slashes, colons and dashes separate */
  struct word w[64];
  size_t nw = 0;
  bool mixed = false;
  while (p < e && nw < 64) {
    while (p < e && is_space((unsigned char)*p))
      p++;
    if (p >= e) break;
    if (*p == ',' || *p == '/' || *p == ':' || *p == ';' || *p == '?' || *p == '(' || *p == ')' ||
        (*p == '-' && (p + 1 >= e || is_space((unsigned char)p[1])))) {
      if (nw)
        w[nw - 1].sep = *p == '(' || *p == ')' ? '/' : *p;
      else
        w[nw++] = (struct word){p, 0, *p};
      p++;
      continue;
    }
    const char *s = p;
    while (p < e && !is_space((unsigned char)*p) && *p != ',' && *p != '/' && *p != ':' &&
           *p != ';' && *p != '(' && *p != ')')
      p++;
    const char *we = p;
    /* trailing dots and quotes go, but a nickname keeps its quotes */
    while (we > s && (we[-1] == '.' || (we[-1] == '"' && !(*s == '"' && we - s > 1))) &&
           !is_initial(s, (size_t)(we - s)) && !(we - s == 3 && is_name_suffix(s, 3)))
      we--;
    if (we == s) continue;
    w[nw++] = (struct word){s, (size_t)(we - s), ' '};
  }
  for (size_t i = 0; i < nw; i++) {
    bool lo = false, hi = false;
    for (size_t j = 0; j < w[i].n; j++) {
      if (is_lower((unsigned char)w[i].s[j])) lo = true;
      if (is_upper((unsigned char)w[i].s[j])) hi = true;
    }
    if (lo && hi && !is_title_word(w[i].s, w[i].n)) mixed = true;
  }
  /* drop a trailing classification word ("TOM MCDONALD. CONFIDENTIAL") */
  while (nw && (has_word_ci(w[nw - 1].s, w[nw - 1].s + w[nw - 1].n, "CONFIDENTIAL") ||
                has_word_ci(w[nw - 1].s, w[nw - 1].s + w[nw - 1].n, "SECRET") ||
                has_word_ci(w[nw - 1].s, w[nw - 1].s + w[nw - 1].n, "UNCLASSIFIED")))
    nw--;
  /* parts between commas (and other separators, and "AND"); suffixes stay
   * with the name.  The first part with a name of two words or more (else
   * the first with one) names the classifier; a later part names a second
   * one when it follows "AND" or has a title or an initial of its own
   * ("Ambassador X and DCM Y", "DCM Y, Pol/Econ Chief Z"). */
  size_t best_from = 0, best_k = 0, best_end = 0, next = nw;
  for (size_t i = 0; i < nw;) {
    struct part pt = next_part(w, nw, i, mixed);
    /* "XXXXXXXXXXXX, Ambassador, U.S. Embassy Tripoli": a place, no name */
    if (pt.k && after_place_word(w, pt.from) && is_station_words(w, pt.from, pt.end)) pt.k = 0;
    if (pt.k >= 2 || (pt.k == 1 && !best_k)) {
      if (pt.k > best_k || (best_k < 2 && pt.k >= 2)) {
        best_k = pt.k;
        best_from = pt.from;
        best_end = pt.end;
      }
      if (pt.k >= 2) {
        next = pt.next;
        break;
      }
    }
    i = pt.next;
  }
  if (!best_k) return;
  emit_name(b, w, best_from, best_end);
  for (size_t i = next; i < nw && best_k >= 2;) {
    struct part pt = next_part(w, nw, i, mixed);
    bool initial = false;
    for (size_t x = pt.from; x < pt.end; x++)
      initial = initial || is_initial(w[x].s, w[x].n);
    if (pt.k >= 2 && (pt.after_and || pt.from > i || initial) && !names_place(w, pt.from, pt.end))
      emit_name(b, w, pt.from, pt.end);
    i = pt.next;
  }
}

/* Ends reasons where a paragraph marking glued to them starts: "1.4(B), (D)
 * (S//NF) Summary" -> "1.4(B), (D)".  Only markings that cannot be reason
 * letters ("(b/d)" is one) count: (U), (SBU), (TS), and those naming NOFORN
 * or with "//". */
static void cut_at_marking(struct cx_buf *o) {
  for (size_t i = 0; o->data && i + 3 < o->len; i++) {
    if (o->data[i] != ' ' || o->data[i + 1] != '(') continue;
    size_t j = i + 2;
    while (j < o->len && (is_alpha((unsigned char)o->data[j]) || o->data[j] == '/'))
      j++;
    if (j >= o->len || o->data[j] != ')') continue;
    size_t n = j - (i + 2);
    char m[16];
    if (!n || n >= sizeof m) continue;
    for (size_t k = 0; k < n; k++)
      m[k] = (char)to_upper((unsigned char)o->data[i + 2 + k]);
    m[n] = '\0';
    if (!strcmp(m, "U") || !strcmp(m, "SBU") || !strcmp(m, "TS") || strstr(m, "NF") ||
        strstr(m, "//")) {
      o->len = i;
      o->data[i] = '\0';
      return;
    }
  }
}

/* Where the "who" part ends and the reasons begin. */
static const char *classifier_reason_start(const char *t, const char *p, const char *e,
                                           const char **reasons) {
  *reasons = NULL;
  for (const char *q = p; q < e; q++) {
    unsigned char ch = (unsigned char)*q;
    if (ch == ';') {
      *reasons = q + 1;
      return q;
    }
    if (is_digit(ch) && at_word_start(t, q) && q + 2 < e && (q[1] == '.' || q[1] == ',') &&
        (is_digit((unsigned char)q[2]) ||
         (q[2] == ' ' && q + 3 < e && is_digit((unsigned char)q[3])))) {
      *reasons = q;
      return q;
    }
    if (!is_alpha(ch) || !(at_word_start(t, q) || q[-1] == '-')) continue;
    if (has_prefix_ci(q, e, "REAS") || has_prefix_ci(q, e, "RESON") ||
        has_prefix_ci(q, e, "RASON") || has_prefix_ci(q, e, "REASON")) {
      const char *r = q;
      while (r < e && !is_digit((unsigned char)*r) && r - q < 16)
        r++;
      *reasons = r;
      return q > p && q[-1] == '-' ? q - 1 : q;
    }
    if (has_word_ci(q, e, "E.O") || has_word_ci(q, e, "EO") || has_prefix_ci(q, e, "E.O.1"))
      return q;
    if (has_word_ci(q, e, "SECTION") && is_digit((unsigned char)*skip_hspace(q + 7, e))) return q;
    if (has_word_ci(q, e, "DUE TO") || has_word_ci(q, e, "BASED ON") ||
        has_word_ci(q, e, "BASED UPON"))
      return q;
    /* "under 1.4 (b)", not "Under Secretary Maria Otero" */
    if (has_word_ci(q, e, "UNDER")) {
      const char *r = skip_space(q + 5, e);
      if (r < e && (is_digit((unsigned char)*r) || has_prefix_ci(r, e, "E.O") ||
                    has_word_ci(r, e, "EO") || has_prefix_ci(r, e, "SECTION")))
        return q;
    }
    /* "forreasons": the two words run together */
    if (has_prefix_ci(q, e, "FORREAS")) {
      *reasons = q + 3;
      return q;
    }
    static const char *const fors[] = {"FOR", "FR", "F0R", "PER"};
    for (size_t i = 0; i < 4; i++) {
      if (!has_word_ci(q, e, fors[i])) continue;
      const char *r = skip_space(q + strlen(fors[i]), e);
      if (r < e &&
          (to_upper((unsigned char)*r) == 'R' || is_digit((unsigned char)*r) ||
           has_prefix_ci(r, e, "E.O") || has_word_ci(r, e, "EO") || has_prefix_ci(r, e, "SECTION")))
        return q;
    }
  }
  return e;
}

/* Is [s,s+n) a word of the reasons clause: FOR, or REASON(S) spelt within
 * one edit ("RESONS", "REASOSN")? */
static bool is_reason_word(const char *s, size_t n) {
  char w[16];
  if (!n || n >= sizeof w) return false;
  for (size_t i = 0; i < n; i++) {
    if (!is_alpha((unsigned char)s[i])) return false;
    w[i] = (char)to_upper((unsigned char)s[i]);
  }
  w[n] = '\0';
  if (!strcmp(w, "FOR")) return true;
  return n >= 5 &&
         (cx_station_distance(w, "REASON", 1) <= 1 || cx_station_distance(w, "REASONS", 1) <= 1);
}

/* FOR, REASON or REASONS spelt right. */
static bool is_clause_word(const char *s, size_t n) {
  return (n == 3 && has_prefix_ci(s, s + n, "FOR")) ||
         (n == 6 && has_prefix_ci(s, s + n, "REASON")) ||
         (n == 7 && has_prefix_ci(s, s + n, "REASONS"));
}

/* Small words that end a line whole: a break after them is no word cut
 * ("for \nreasons" stays two words). */
static bool is_whole_word(const char *s, size_t n) {
  static const char *const w[] = {"FOR", "AND", "BY", "OF", "THE", "PER", "TO"};
  for (size_t i = 0; i < sizeof w / sizeof *w; i++)
    if (strlen(w[i]) == n && has_prefix_ci(s, s + n, w[i])) return true;
  return is_reason_word(s, n);
}

/* Joins a reasons word split in two, across a line or by a stray blank:
 * "FO\nR REASONS", "Rea sons", "REA SONS".  Neither half is a word of the
 * clause by itself, and together they are. */
static void join_split_reason_words(struct cx_buf *t) {
  char *d = t->data;
  if (!d) return;
  size_t n = t->len;
  for (size_t i = 0; i < n; i++) {
    if (!is_alpha((unsigned char)d[i]) || (i && is_alnum((unsigned char)d[i - 1]))) continue;
    size_t a = i;
    while (a < n && is_alpha((unsigned char)d[a]))
      a++;
    size_t g = a;
    while (g < n && is_space((unsigned char)d[g]))
      g++;
    if (g == a || g >= n || !is_alpha((unsigned char)d[g])) continue;
    size_t z = g;
    while (z < n && is_alpha((unsigned char)d[z]))
      z++;
    if (z < n && is_alnum((unsigned char)d[z])) continue;
    char w[16];
    size_t wl = (a - i) + (z - g);
    if (wl >= sizeof w || is_clause_word(d + i, a - i) || is_clause_word(d + g, z - g)) continue;
    memcpy(w, d + i, a - i);
    memcpy(w + (a - i), d + g, z - g);
    if (!is_reason_word(w, wl)) continue;
    memmove(d + a, d + g, n - g);
    n -= g - a;
    d[n] = '\0';
  }
  t->len = n;
}

/* Does the line [n,nle) after the "Classified by" line [v,te) begin what
 * follows it rather than go on with it: a rule ("--------"), a REF line,
 * or, once the reasons' section number has been written and the line ends
 * with "." or ")", a line opening with a capital word ("XXXXXXXXXXXX",
 * "This is a corrected copy") and not "(D)." or "AND (D)"? */
static bool after_classified_by(const char *v, const char *te, const char *n, const char *nle) {
  const char *p = skip_hspace(n, nle);
  const char *q = p;
  while (q < nle && (*q == '-' || *q == '=' || *q == '_'))
    q++;
  if (q - p >= 4) return true;
  if (has_prefix_ci(p, nle, "REF") && (p + 3 >= nle || !is_lower((unsigned char)p[3]))) return true;
  const char *l = te;
  while (l > v && is_space((unsigned char)l[-1]))
    l--;
  if (l == v || (l[-1] != '.' && l[-1] != ')') || !is_upper((unsigned char)*p) ||
      has_word_ci(p, nle, "AND") || has_word_ci(p, nle, "OR"))
    return false;
  for (const char *d = v; d + 2 < l; d++) /* "1.4", "1.5": the section is written */
    if (is_digit((unsigned char)d[0]) && d[1] == '.' && is_digit((unsigned char)d[2])) return true;
  return false;
}

/* The text after "Classified by": to a blank line, a paragraph start or
 * what after_classified_by() says follows it, at most 600 bytes. */
static const char *classified_by_text_end(const char *v, const char *e) {
  const char *te = v;
  while (te < e && te - v < 600) {
    if (*te == '\n') {
      const char *n = te + 1, *nle = line_end(n, e);
      struct para pa;
      if (is_blank(n, nle) || (paragraph_at(n, nle, &pa) && pa.n <= 3) ||
          after_classified_by(v, te, n, nle))
        break;
    }
    if (is_digit((unsigned char)*te) && te > v && is_space((unsigned char)te[-1])) {
      const char *r = te + count_digits(te, e);
      if (r < e && *r == '.' && !is_digit((unsigned char)r[1])) {
        const char *s = skip_hspace(r + 1, e);
        if (paragraph_marking(s, e, NULL, NULL) && te - v > 10) break;
      }
    }
    te++;
  }
  return te;
}

void body_classified_by(struct body *b) {
  const char *t = b->t, *e = b->end;
  /* Paragraph 1 may carry it ("1. (U) CLASSIFIED BY ..."): look up to
   * paragraph 2, and take the last of several ("Classified By: Classified by"). */
  const char *lim = b->hdr_lim + 1500 < e ? b->hdr_lim + 1500 : e;
  const char *kw = NULL, *v = NULL;
  /* a place before lim may have its word run past it */
  const char *lim4 = e - lim > 4 ? lim + 4 : e;
  for (const char *p = scan_next_ci(t, lim4, "CLASS"); p < lim;
       p = scan_next_ci(p + 1, lim4, "CLASS")) {
    if (!at_word_start(t, p)) continue;
    const char *q = NULL;
    if (has_prefix_ci(p, e, "CLASSIFIED"))
      q = p + 10;
    else if (has_prefix_ci(p, e, "CLASSFIED"))
      q = p + 9;
    else
      continue;
    const char *r = skip_space(q, e);
    if (r == q || !has_word_ci(r, e, "BY")) continue;
    r += 2;
    if (r < e && *r == ':') r++;
    if (kw && v && p > v + 400) break;
    kw = p;
    v = r;
    /* "2." starts: stop looking */
  }
  if (!kw) return;
  const char *te = classified_by_text_end(v, e);
  /* Join words the 70-column wrap cut ("Hoyt Y \nee", "reas \nons"). */
  struct cx_buf txt;
  cx_buf_init(&txt, b->cap);
  const char *ls = line_start(t, kw);
  for (const char *p = v; p < te; p++) {
    if (*p == '\n' && p + 1 < te && is_lower((unsigned char)p[1])) {
      const char *q = p, *ws = p, *ne = p + 1;
      while (q > ls && is_hspace((unsigned char)q[-1]))
        q--;
      for (ws = q; ws > ls && is_alpha((unsigned char)ws[-1]);)
        ws--;
      while (ne < te && is_alpha((unsigned char)*ne))
        ne++;
      if (q - ls >= 60 && q > ls && is_alpha((unsigned char)q[-1]) &&
          !is_whole_word(ws, (size_t)(q - ws)) && !is_reason_word(p + 1, (size_t)(ne - p - 1))) {
        txt.len -= (size_t)(p - q) <= txt.len ? (size_t)(p - q) : txt.len;
        ls = p + 1;
        continue;
      }
    }
    if (*p == '\n') ls = p + 1;
    /* "Hoyt Y ee": the same cut with the line break lost */
    if (*p == ' ' && p - 2 >= v && is_upper((unsigned char)p[-1]) && p[-2] == ' ' && p[-1] != 'A' &&
        p[-1] != 'I' && p + 2 < te && is_lower((unsigned char)p[1]) &&
        is_lower((unsigned char)p[2])) {
      const char *q = p + 1;
      while (q < te && is_lower((unsigned char)*q))
        q++;
      if (q >= te || !is_alpha((unsigned char)*q)) continue;
    }
    if (cx_buf_addc(&txt, *p) != CX_OK) body_fail_oom(b);
  }
  if (b->rc == CX_FATAL) {
    cx_buf_free(&txt);
    return;
  }
  join_split_reason_words(&txt);
  b->c->has_classified_by = true;
  const char *s = txt.data ? txt.data : "", *se = s + txt.len;
  struct cx_buf *o = &b->tmp;
  cx_buf_reset(o);
  if (cx_buf_add(o, kw, (size_t)(v - kw)) != CX_OK) body_fail_oom(b);
  if (cx_buf_addc(o, ' ') != CX_OK) body_fail_oom(b);
  struct cx_buf f;
  cx_buf_init(&f, b->cap);
  fold_spaces(b, &f, kw, v, false);
  if (f.data && cx_buf_addc(&f, ' ') != CX_OK) body_fail_oom(b);
  fold_spaces(b, &f, s, se, false);
  if (f.data) body_set_field(b, &b->c->classified_by.text, f.data, f.len);
  cx_buf_free(&f);
  const char *reasons;
  const char *we = classifier_reason_start(s, s, se, &reasons);
  classifier_names(b, s, we);
  if (!reasons) /* "for reasons 1.4 (b)": the section number after the marker */
    for (const char *q = we; q + 2 < se && !reasons; q++)
      if (is_digit((unsigned char)*q) && (q[1] == '.' || q[1] == ',') && at_word_start(s, q))
        reasons = q;
  if (reasons && reasons < se) {
    cx_buf_reset(o);
    const char *r = skip_space(reasons, se);
    if (r < se && *r == ':') r = skip_space(r + 1, se);
    /* "; reasons 1.4 (b)", "; REASON: 1.4(D)": the word is not part of them */
    if (has_prefix_ci(r, se, "REASON")) {
      const char *d = r;
      while (d < se && !is_digit((unsigned char)*d) && d - r < 16)
        d++;
      if (d < se && is_digit((unsigned char)*d)) {
        r = d;
      } else { /* "Reasons (b) and (d)": the letters without a section */
        d = r + 6;
        if (d < se && to_upper((unsigned char)*d) == 'S') d++;
        if (d < se && *d == ':') d++;
        d = skip_space(d, se);
        if (d < se && *d == '(') r = d;
      }
    }
    fold_spaces(b, o, r, se, false);
    cut_at_marking(o);
    trim_end(o, " .");
    if (o->data && o->len) body_set_field(b, &b->c->classified_by.reasons, o->data, o->len);
  }
  if (te > b->hdr_end && kw < b->hdr_lim) b->hdr_end = te;
  cx_buf_free(&txt);
}
