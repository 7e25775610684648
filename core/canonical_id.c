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

/* Station names as they appear in reference ids: US embassies, consulates,
 * missions and the few Washington agencies that send cables.  Written from
 * the list of US diplomatic posts (current and historical, 1966-2010). */
static const char *const stations[] = {
    /* Africa */
    "ABIDJAN",
    "ABUJA",
    "ACCRA",
    "ADDISABABA",
    "ALEXANDRIA",
    "ALGIERS",
    "ANTANANARIVO",
    "ASMARA",
    "BAMAKO",
    "BANGUI",
    "BANJUL",
    "BISSAU",
    "BRAZZAVILLE",
    "BUJUMBURA",
    "CAIRO",
    "CAPETOWN",
    "CASABLANCA",
    "CONAKRY",
    "COTONOU",
    "DAKAR",
    "DARESSALAAM",
    "DJIBOUTI",
    "DURBAN",
    "FREETOWN",
    "GABORONE",
    "HARARE",
    "JOHANNESBURG",
    "JUBA",
    "KADUNA",
    "KAMPALA",
    "KHARTOUM",
    "KIGALI",
    "KINSHASA",
    "LAGOS",
    "LIBREVILLE",
    "LILONGWE",
    "LOME",
    "LUANDA",
    "LUBUMBASHI",
    "LUSAKA",
    "MALABO",
    "MAPUTO",
    "MASERU",
    "MBABANE",
    "MOGADISHU",
    "MONROVIA",
    "NAIROBI",
    "NDJAMENA",
    "NIAMEY",
    "NOUAKCHOTT",
    "OUAGADOUGOU",
    "PORTLOUIS",
    "PRAIA",
    "PRETORIA",
    "RABAT",
    "SALISBURY",
    "TRIPOLI",
    "TUNIS",
    "WINDHOEK",
    "YAOUNDE",
    "DOUALA",
    "MOMBASA",
    "VICTORIA",
    /* Europe and Eurasia */
    "ADANA",
    "AMSTERDAM",
    "ANKARA",
    "ATHENS",
    "BAKU",
    "BARCELONA",
    "BELFAST",
    "BELGRADE",
    "BERLIN",
    "BERN",
    "BONN",
    "BRATISLAVA",
    "BRUSSELS",
    "BUCHAREST",
    "BUDAPEST",
    "CHISINAU",
    "COPENHAGEN",
    "DUBLIN",
    "DUSSELDORF",
    "EDINBURGH",
    "FLORENCE",
    "FRANKFURT",
    "GENEVA",
    "HAMBURG",
    "HELSINKI",
    "ISTANBUL",
    "KRAKOW",
    "KYIV",
    "KIEV",
    "LEIPZIG",
    "LENINGRAD",
    "LISBON",
    "LJUBLJANA",
    "LONDON",
    "LUXEMBOURG",
    "MADRID",
    "MARSEILLE",
    "MILAN",
    "MINSK",
    "MOSCOW",
    "MUNICH",
    "NAPLES",
    "NICOSIA",
    "OSLO",
    "PARIS",
    "PODGORICA",
    "PONTADELGADA",
    "PRAGUE",
    "PRISTINA",
    "REYKJAVIK",
    "RIGA",
    "ROME",
    "SARAJEVO",
    "SKOPJE",
    "SOFIA",
    "STOCKHOLM",
    "STPETERSBURG",
    "STRASBOURG",
    "STUTTGART",
    "TALLINN",
    "TBILISI",
    "THEHAGUE",
    "TIRANA",
    "VALLETTA",
    "VATICAN",
    "VIENNA",
    "VILNIUS",
    "VLADIVOSTOK",
    "WARSAW",
    "YEKATERINBURG",
    "YEREVAN",
    "ZAGREB",
    "ZURICH",
    "USNATO",
    "CDGENEVA",
    "USEUBRUSSELS",
    "USOSCE",
    "UNVIEVIENNA",
    "UNESCOPARISFR",
    "USUNROME",
    "UNROME",
    /* Near East */
    "ABUDHABI",
    "AMMAN",
    "BAGHDAD",
    "BASRAH",
    "BEIRUT",
    "DAMASCUS",
    "DHAHRAN",
    "DOHA",
    "DUBAI",
    "JEDDAH",
    "JIDDA",
    "JERUSALEM",
    "KUWAIT",
    "MANAMA",
    "MUSCAT",
    "RIYADH",
    "SANAA",
    "TELAVIV",
    "RPODUBAI",
    "TEHRAN",
    "TABRIZ",
    "ISFAHAN",
    "KIRKUK",
    "HILLAH",
    "MOSUL",
    "ERBIL",
    "REOKIRKUK",
    "REOHILLAH",
    "REOBASRAH",
    /* South and Central Asia */
    "ALMATY",
    "ASHGABAT",
    "ASTANA",
    "BISHKEK",
    "BOMBAY",
    "CALCUTTA",
    "CHENNAI",
    "COLOMBO",
    "DACCA",
    "DHAKA",
    "DUSHANBE",
    "HYDERABAD",
    "ISLAMABAD",
    "KABUL",
    "KARACHI",
    "KATHMANDU",
    "KOLKATA",
    "LAHORE",
    "MADRAS",
    "MUMBAI",
    "NEWDELHI",
    "PESHAWAR",
    "TASHKENT",
    /* East Asia and Pacific */
    "APIA",
    "AUCKLAND",
    "BANDARSERIBEGAWAN",
    "BANGKOK",
    "BEIJING",
    "CANBERRA",
    "CHENGDU",
    "CHIANGMAI",
    "DILI",
    "FUKUOKA",
    "GUANGZHOU",
    "HANOI",
    "HOCHIMINHCITY",
    "HONGKONG",
    "JAKARTA",
    "KOLONIA",
    "KOROR",
    "KUALALUMPUR",
    "MAJURO",
    "MANILA",
    "MEDAN",
    "MELBOURNE",
    "NAGOYA",
    "NAHA",
    "NUKUALOFA",
    "OSAKAKOBE",
    "PERTH",
    "PHNOMPENH",
    "PORTMORESBY",
    "RANGOON",
    "SAIGON",
    "SAPPORO",
    "SEOUL",
    "SHANGHAI",
    "SHENYANG",
    "SINGAPORE",
    "SURABAYA",
    "SUVA",
    "SYDNEY",
    "AITTAIPEI",
    "TOKYO",
    "ULAANBAATAR",
    "VIENTIANE",
    "WELLINGTON",
    "UDONTHANI",
    "BUSAN",
    "WUHAN",
    /* Western Hemisphere */
    "ASUNCION",
    "BELIZE",
    "BELMOPAN",
    "BOGOTA",
    "BRASILIA",
    "BRIDGETOWN",
    "BUENOSAIRES",
    "CALGARY",
    "CARACAS",
    "CIUDADJUAREZ",
    "CURACAO",
    "GEORGETOWN",
    "GUADALAJARA",
    "GUATEMALA",
    "GUAYAQUIL",
    "HALIFAX",
    "HAMILTON",
    "HAVANA",
    "HERMOSILLO",
    "KINGSTON",
    "LAPAZ",
    "LIMA",
    "MANAGUA",
    "MARACAIBO",
    "MATAMOROS",
    "MERIDA",
    "MONTEREY",
    "MEXICO",
    "MONTERREY",
    "MONTEVIDEO",
    "MONTREAL",
    "NASSAU",
    "NOGALES",
    "NUEVOLAREDO",
    "OTTAWA",
    "PANAMA",
    "PARAMARIBO",
    "PORTAUPRINCE",
    "PORTOFSPAIN",
    "PORTOALEGRE",
    "QUEBEC",
    "QUITO",
    "RECIFE",
    "RIODEJANEIRO",
    "SANJOSE",
    "SANSALVADOR",
    "SANTIAGO",
    "SANTODOMINGO",
    "SAOPAULO",
    "TEGUCIGALPA",
    "TIJUANA",
    "TORONTO",
    "VANCOUVER",
    "WINNIPEG",
    "USUNNEWYORK",
    "USOAS",
    /* Washington and other senders */
    "STATE",
    "SECDEF",
    "USDAFAS",
    "USDOC",
    "USDOJ",
    "CDCATLANTAGA",
    "USCBP",
    "JOINTSTAFF",
    "CHARLESTON",
};

/* Abbreviations and variants that no edit distance finds. */
static const struct {
  const char *from, *to;
} aliases[] = {
    {"PAP", "PORTAUPRINCE"},
    {"PORTAU", "PORTAUPRINCE"},
    {"POS", "PORTOFSPAIN"},
    {"BKK", "BANGKOK"},
    {"BA", "BUENOSAIRES"},
    {"USUN", "USUNNEWYORK"},
    {"USUNNY", "USUNNEWYORK"},
    {"NEWYORK", "USUNNEWYORK"},
    {"UNVIE", "UNVIEVIENNA"},
    {"UNVIENNA", "UNVIEVIENNA"},
    {"USDA", "USDAFAS"},
    {"VAT", "VATICAN"},
    {"HOLYSEE", "VATICAN"},
    {"SECSTATE", "STATE"},
    {"SECTSTATE", "STATE"},
    {"SECTATE", "STATE"},
    {"WASHDC", "STATE"},
    {"SECSTATEWASHDC", "STATE"},
    {"SECDEFWASH", "SECDEF"},
    {"SECDEFWASHDC", "SECDEF"},
    {"MEXICOCITY", "MEXICO"},
    {"MEX", "MEXICO"},
    {"TAIPEI", "AITTAIPEI"},
    {"PARISFR", "UNESCOPARISFR"},
    {"USUNESCOPARISFR", "UNESCOPARISFR"},
    {"USUNESCO", "UNESCOPARISFR"},
    {"UNESCO", "UNESCOPARISFR"},
    {"HCMC", "HOCHIMINHCITY"},
    {"HCM", "HOCHIMINHCITY"},
    {"HK", "HONGKONG"},
    {"KL", "KUALALUMPUR"},
    {"DAR", "DARESSALAAM"},
    {"SD", "SANTODOMINGO"},
    {"SDO", "SANTODOMINGO"},
    {"TGG", "TEGUCIGALPA"},
    {"USEU", "USEUBRUSSELS"},
    {"RIO", "RIODEJANEIRO"},
    {"MVD", "MONTEVIDEO"},
    {"BRAZIL", "BRASILIA"},
    {"TANA", "ANTANANARIVO"},
    {"ADDIS", "ADDISABABA"},
    {"HAGUE", "THEHAGUE"},
    {"BSB", "BANDARSERIBEGAWAN"},
    {"DEPTOFCOMMERCE", "USDOC"},
    {"DOC", "USDOC"},
    {"USDOCWASHDC", "USDOC"},
    {"USDAFASWASHDC", "USDAFAS"},
    {"ATLANTA", "CDCATLANTAGA"},
    {"CDC", "CDCATLANTAGA"},
    {"CDCATLANTA", "CDCATLANTAGA"},
    {"FSCCHARLESTON", "CHARLESTON"},
};

/* Things glued in front of the station: the EFTO caption, the sender's
 * title, and tails of the banner's classification word. */
static const char *const prefixes[] = {
    "AMEMBASSY", "EMBASSY", "AMCONSUL", "CONSULATE", "USMISSION", "EFTO", "NOFORN",
};

#define NSTATIONS (sizeof stations / sizeof *stations)
#define NALIASES (sizeof aliases / sizeof *aliases)
#define MAXST 64

static const char *find_station(const char *s) {
  for (size_t i = 0; i < NSTATIONS; i++)
    if (!strcmp(stations[i], s)) return stations[i];
  return NULL;
}

static const char *find_alias(const char *s) {
  for (size_t i = 0; i < NALIASES; i++)
    if (!strcmp(aliases[i].from, s)) return aliases[i].to;
  return NULL;
}

/* Optimal string alignment distance (Levenshtein plus adjacent
 * transposition), stopping early once it exceeds `limit`. */
static int osa_distance(const char *a, const char *b, int limit) {
  size_t la = strlen(a), lb = strlen(b);
  if (la >= MAXST || lb >= MAXST) return limit + 1;
  if ((la > lb ? la - lb : lb - la) > (size_t)limit) return limit + 1;
  int d[MAXST + 1][MAXST + 1];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int rowmin = limit + 1;
    for (size_t j = 1; j <= lb; j++) {
      int cost = a[i - 1] != b[j - 1];
      int v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (d[i - 1][j - 1] + cost < v) v = d[i - 1][j - 1] + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
      if (v < rowmin) rowmin = v;
    }
    if (rowmin > limit) return limit + 1;
  }
  return d[la][lb];
}

/* The one station the (unknown) name s most likely stands for, or NULL. */
static const char *fuzzy_station(const char *s) {
  size_t len = strlen(s);
  if (len < 3) return NULL;
  /* Short names get one edit, longer ones two: "BAU" -> BAKU, but a
   * four-letter string two edits from anything is noise. */
  int limit = len >= 8 ? 2 : 1;
  const char *best = NULL;
  int bestd = limit + 1, ties = 0;
  for (size_t i = 0; i < NSTATIONS; i++) {
    int d = osa_distance(s, stations[i], limit);
    if (d < bestd) {
      bestd = d;
      best = stations[i];
      ties = 0;
    } else if (d == bestd && d <= limit) {
      ties++;
    }
  }
  if (best && bestd <= limit && !ties) return best;
  if (len < 5) return NULL;
  /* Truncated ("KUALALUMP") or missing its first word ("PAULO"). */
  const char *hit = NULL;
  int n = 0;
  for (size_t i = 0; i < NSTATIONS; i++) {
    size_t sl = strlen(stations[i]);
    if (sl <= len) continue;
    if (!strncmp(stations[i], s, len) || !strcmp(stations[i] + sl - len, s)) {
      hit = stations[i];
      n++;
    }
  }
  return n == 1 ? hit : NULL;
}

/* Resolves a station name: known, alias, with a country or WASH suffix, or
 * a near miss.  Returns NULL when nothing fits. */
static const char *resolve_station(const char *s) {
  const char *r;
  if ((r = find_station(s)) || (r = find_alias(s))) return r;
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
      if ((r = find_station(tmp)) || (r = find_alias(tmp))) return r;
    }
  }
  if (len > 5 && len - 2 < sizeof tmp && isalpha((unsigned char)s[len - 1]) &&
      isalpha((unsigned char)s[len - 2])) {
    memcpy(tmp, s, len - 2);
    tmp[len - 2] = '\0';
    if ((r = find_station(tmp))) return r;
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
    if (osa_distance(word, "SECTION", 2) > 2) continue;
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
    if (!strncmp(s, word + wl - k, k) && s[k] && find_station(s + k)) return k;
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
  for (int round = 0; round < 4 && !find_station(s); round++) {
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
