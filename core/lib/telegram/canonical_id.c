/* canonical_id.c - canonical reference ids: the malformations found in the
 * Cablegate data (SECTION text glued in, EFTO/AMEMBASSY prefixes, misspelt
 * or abbreviated stations) corrected.
 *
 * An id is YY + STATION + SERIAL.  The station part is cleaned in steps:
 * strip junk glued in front of it (a mangled "SECTION nn OF nn", EFTO,
 * AMEMBASSY ...), map a known abbreviation, then, if it is still not a
 * station we know, take the one known station within a small edit distance
 * (or the one it is a clear prefix or suffix of).  Anything ambiguous is
 * left alone: a wrong correction is worse than none.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cablex/telegram.h"
#include "stations.h"

/* Things glued in front of the station: the EFTO caption, the sender's
 * title, and tails of the banner's classification word. */
static const char *const prefixes[] = {
    "AMEMBASSY", "EMBASSY", "AMCONSUL", "CONSULATE", "USMISSION", "EFTO", "NOFORN",
};

#define MAXST CX_STATION_MAX

/* The one station the (unknown) name s most likely stands for, or NULL. */
static const char *fuzzy_station(const char *s) {
  size_t len = strlen(s);
  if (len < 3) return NULL;
  /* Short names get one edit, longer ones two: "BAU" -> BAKU, but a
   * four-letter string two edits from anything is noise. */
  const char *r = cx_station_nearest(s, len >= 8 ? 2 : 1, CX_STATION_IDS);
  /* Truncated ("KUALALUMP") or missing its first word ("PAULO"). */
  if (!r && len >= 5) r = cx_station_part(s);
  /* in the spelling of canonical ids ("TIPEI" -> TAIPEI -> AITTAIPEI) */
  return r ? cx_station_lookup(r, CX_STATION_IDS) : NULL;
}

/* Resolves a station name: known, alias, with a country or WASH suffix, or
 * a near miss.  Returns NULL when nothing fits. */
static const char *resolve_station(const char *s) {
  const char *r;
  if ((r = cx_station_lookup(s, CX_STATION_IDS))) return r;
  size_t len = strlen(s);
  char tmp[MAXST]; /* a longer head is no station: not looked up */
  /* "MADRIDSP", "BRUSSELSBE": a station followed by a country code;
   * "SECDEFWASHDC": followed by the capital's abbreviation. */
  static const char *const tails[] = {"WASHDC", "WASH", "DC"};
  for (size_t k = 0; k < sizeof tails / sizeof *tails; k++) {
    size_t tl = strlen(tails[k]);
    if (len > tl + 2 && len - tl < sizeof tmp && !strcmp(s + len - tl, tails[k])) {
      memcpy(tmp, s, len - tl);
      tmp[len - tl] = '\0';
      if ((r = cx_station_lookup(tmp, CX_STATION_IDS))) return r;
    }
  }
  if (len > 5 && len - 2 < sizeof tmp && isalpha((unsigned char)s[len - 1]) &&
      isalpha((unsigned char)s[len - 2])) {
    memcpy(tmp, s, len - 2);
    tmp[len - 2] = '\0';
    if ((r = cx_station_find(tmp))) return r;
  }
  return fuzzy_station(s);
}

static int is_sec_digit(char c) {
  return isdigit((unsigned char)c) || c == 'Q' || c == 'O';
}

/* Length of a mangled "SECTIONnnOFnn" at the start of s, or 0.  The word
 * may have a letter or two wrong or missing (SCTION, SECTIOQ1, SECTON,
 * ECTION, SECION), the "OF" may be "GF", "QF", "F" alone. */
static size_t section_junk(const char *s) {
  size_t len = strlen(s);
  size_t best = 0;
  /* The word may be gone entirely: "01OF02RPODUBAI". */
  if (len > 6 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) && s[2] == 'O' &&
      s[3] == 'F' && isdigit((unsigned char)s[4]) && isdigit((unsigned char)s[5]))
    return 6;
  for (size_t p = 4; p <= 9 && p < len; p++) {
    char word[16];
    memcpy(word, s, p);
    word[p] = '\0';
    /* The digits may eat the word's last letter ("SECTIOQ1" is SECTIO +
     * Q1), so compare the word alone. */
    if (cx_station_distance(word, "SECTION", 2) > 2) continue;
    const char *q = s + p;
    for (int d1 = 1; d1 <= 2; d1++) {
      int ok = 1;
      for (int k = 0; k < d1; k++)
        if (!is_sec_digit(q[k])) ok = 0;
      if (!ok) continue;
      const char *r = q + d1;
      const char *seps[] = {"OF", "GF", "QF", "0F", "F", "O"};
      for (size_t si = 0; si < 6; si++) {
        size_t sl = strlen(seps[si]);
        if (strncmp(r, seps[si], sl)) continue;
        const char *t = r + sl;
        for (int d2 = 2; d2 >= 1; d2--) {
          int ok2 = 1;
          for (int k = 0; k < d2; k++)
            if (!isdigit((unsigned char)t[k])) ok2 = 0;
          if (!ok2) continue;
          size_t n = (size_t)(t + d2 - s);
          if (n >= len) continue;
          /* Prefer a split that leaves a station we can resolve. */
          if (resolve_station(s + n)) return n;
          if (!best) best = n;
        }
      }
    }
  }
  return best;
}

/* Strips a tail of the word UNCLASSIFIED glued in front ("SIFIEDABUJA")
 * when what is left is a known station.  Returns the length stripped. */
static size_t classified_junk(const char *s) {
  static const char word[] = "UNCLASSIFIED";
  size_t wl = sizeof word - 1;
  for (size_t k = wl; k >= 5; k--) {
    if (!strncmp(s, word + wl - k, k) && s[k] && cx_station_find(s + k)) return k;
  }
  return 0;
}

char *cx_canonical_id(const char *id) {
  if (!id) return NULL;
  size_t len = strlen(id);
  char *out = malloc(len + MAXST + 1);
  if (!out) return NULL;
  strcpy(out, id);
  /* YY STATION SERIAL, with a station part we can work on. */
  if (len < 4 || len >= 2 * MAXST || !isdigit((unsigned char)id[0]) ||
      !isdigit((unsigned char)id[1]))
    return out;
  size_t end = len;
  while (end > 2 && isdigit((unsigned char)id[end - 1]))
    end--;
  if (end == len || end <= 2) return out;
  char st[2 * MAXST];
  size_t n = 0;
  for (size_t i = 2; i < end; i++) {
    unsigned char c = (unsigned char)id[i];
    if (c == '-' || c == ' ' || c == '.') continue; /* PORT-AU-PRINCE */
    if (!isalnum(c)) return out;
    st[n++] = (char)toupper(c);
  }
  st[n] = '\0';
  if (!n) return out;
  const char *s = st;
  /* Strip junk in front, repeatedly ("EFTO" then "AMEMBASSY" ...). */
  for (int round = 0; round < 4 && !cx_station_find(s); round++) {
    size_t cut = section_junk(s);
    if (!cut) cut = classified_junk(s);
    for (size_t k = 0; !cut && k < sizeof prefixes / sizeof *prefixes; k++) {
      size_t pl = strlen(prefixes[k]);
      if (!strncmp(s, prefixes[k], pl) && s[pl]) cut = pl;
    }
    if (!cut) break;
    s += cut;
  }
  const char *serial = id + end;
  size_t serial_len = len - end;
  const char *r = resolve_station(s);
  if (!r) {
    /* "MADRID002583ZFR" + "2585", "STATE255577TOSEC" + "140323": the
     * real serial sits after the station, the rest is a glued-on DTG or
     * series tag. */
    size_t k = 0;
    while (s[k] && !isdigit((unsigned char)s[k]))
      k++;
    size_t m = k;
    while (isdigit((unsigned char)s[m]))
      m++;
    if (k >= 3 && m > k && isalpha((unsigned char)s[m])) {
      char head[MAXST];
      if (k < MAXST) {
        memcpy(head, s, k);
        head[k] = '\0';
        const char *hr = resolve_station(head);
        if (hr) {
          r = hr;
          serial = s + k;
          serial_len = m - k;
        }
      }
    }
  }
  /* The serial never has leading zeros in a reference id of a station we
   * know (an id we cannot place is left as it is). */
  while (r && serial_len > 1 && *serial == '0') {
    serial++;
    serial_len--;
  }
  if (!r) r = s;
  if (strlen(r) >= MAXST) return out;
  /* Rebuild only when something changed, so good ids keep their spelling. */
  char *p = out;
  *p++ = id[0];
  *p++ = id[1];
  strcpy(p, r);
  p += strlen(r);
  memcpy(p, serial, serial_len);
  p[serial_len] = '\0';
  if (!strcmp(out, id)) return out;
  /* A lower-case id that only differs in case stays as given. */
  if (!strcasecmp(out, id)) strcpy(out, id);
  return out;
}
