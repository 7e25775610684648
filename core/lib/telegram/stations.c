/* stations.c - one list of diplomatic stations for canonical ids and REF
 * cable ids, their abbreviations, and the lookups both make (stations.h).
 */
#include <string.h>

#include "stations.h"

#define IDS CX_STATION_IDS
#define REFS CX_STATION_REFS
#define ALL (CX_STATION_IDS | CX_STATION_REFS)

/* Station names as they appear in cable ids: US embassies, consulates,
 * missions and the few Washington agencies that send cables.  Written from
 * the list of US diplomatic posts (current and historical, 1966-2010).
 * Sorted in strcmp order for the binary search (test_stations checks it).
 *
 * Each says which lookup knows it.  The two lists this one was merged from
 * did not hold the same posts, and a post one of them lacked changes what
 * it finds near a misspelt name ("JIDDAH" is JEDDAH for a REF, too near
 * JIDDA as well for a canonical id), so each lookup keeps its own set:
 * TAIPEI is AITTAIPEI in canonical ids (an abbreviation below), IZMIR is
 * known to REFs only, and older or smaller posts to canonical ids only. */
static const struct {
  const char *name;
  unsigned uses; /* enum cx_station_use bits */
} stations[] = {
    {"ABIDJAN", ALL},
    {"ABUDHABI", ALL},
    {"ABUJA", ALL},
    {"ACCRA", ALL},
    {"ADANA", ALL},
    {"ADDISABABA", ALL},
    {"AITTAIPEI", ALL},
    {"ALEXANDRIA", ALL},
    {"ALGIERS", ALL},
    {"ALMATY", ALL},
    {"AMMAN", ALL},
    {"AMSTERDAM", ALL},
    {"ANKARA", ALL},
    {"ANTANANARIVO", ALL},
    {"APIA", ALL},
    {"ASHGABAT", ALL},
    {"ASMARA", ALL},
    {"ASTANA", ALL},
    {"ASUNCION", ALL},
    {"ATHENS", ALL},
    {"AUCKLAND", ALL},
    {"BAGHDAD", ALL},
    {"BAKU", ALL},
    {"BAMAKO", ALL},
    {"BANDARSERIBEGAWAN", ALL},
    {"BANGKOK", ALL},
    {"BANGUI", ALL},
    {"BANJUL", ALL},
    {"BARCELONA", ALL},
    {"BASRAH", ALL},
    {"BEIJING", ALL},
    {"BEIRUT", ALL},
    {"BELFAST", ALL},
    {"BELGRADE", ALL},
    {"BELIZE", ALL},
    {"BELMOPAN", ALL},
    {"BERLIN", ALL},
    {"BERN", ALL},
    {"BISHKEK", ALL},
    {"BISSAU", ALL},
    {"BOGOTA", ALL},
    {"BOMBAY", IDS},
    {"BONN", ALL},
    {"BRASILIA", ALL},
    {"BRATISLAVA", ALL},
    {"BRAZZAVILLE", ALL},
    {"BRIDGETOWN", ALL},
    {"BRUSSELS", ALL},
    {"BUCHAREST", ALL},
    {"BUDAPEST", ALL},
    {"BUENOSAIRES", ALL},
    {"BUJUMBURA", ALL},
    {"BUSAN", ALL},
    {"CAIRO", ALL},
    {"CALCUTTA", ALL},
    {"CALGARY", ALL},
    {"CANBERRA", ALL},
    {"CAPETOWN", ALL},
    {"CARACAS", ALL},
    {"CASABLANCA", ALL},
    {"CDCATLANTAGA", ALL},
    {"CDGENEVA", ALL},
    {"CHARLESTON", IDS},
    {"CHENGDU", ALL},
    {"CHENNAI", ALL},
    {"CHIANGMAI", ALL},
    {"CHISINAU", ALL},
    {"CIUDADJUAREZ", ALL},
    {"COLOMBO", ALL},
    {"CONAKRY", ALL},
    {"COPENHAGEN", ALL},
    {"COTONOU", ALL},
    {"CURACAO", ALL},
    {"DACCA", IDS},
    {"DAKAR", ALL},
    {"DAMASCUS", ALL},
    {"DARESSALAAM", ALL},
    {"DHAHRAN", ALL},
    {"DHAKA", ALL},
    {"DILI", ALL},
    {"DJIBOUTI", ALL},
    {"DOHA", ALL},
    {"DOUALA", ALL},
    {"DUBAI", ALL},
    {"DUBLIN", ALL},
    {"DURBAN", ALL},
    {"DUSHANBE", ALL},
    {"DUSSELDORF", ALL},
    {"EDINBURGH", IDS},
    {"ERBIL", IDS},
    {"FLORENCE", ALL},
    {"FRANKFURT", ALL},
    {"FREETOWN", ALL},
    {"FUKUOKA", ALL},
    {"GABORONE", ALL},
    {"GENEVA", ALL},
    {"GEORGETOWN", ALL},
    {"GUADALAJARA", ALL},
    {"GUANGZHOU", ALL},
    {"GUATEMALA", ALL},
    {"GUAYAQUIL", ALL},
    {"HALIFAX", ALL},
    {"HAMBURG", ALL},
    {"HAMILTON", ALL},
    {"HANOI", ALL},
    {"HARARE", ALL},
    {"HAVANA", ALL},
    {"HELSINKI", ALL},
    {"HERMOSILLO", ALL},
    {"HILLAH", ALL},
    {"HOCHIMINHCITY", ALL},
    {"HONGKONG", ALL},
    {"HYDERABAD", ALL},
    {"ISFAHAN", IDS},
    {"ISLAMABAD", ALL},
    {"ISTANBUL", ALL},
    {"IZMIR", REFS},
    {"JAKARTA", ALL},
    {"JEDDAH", ALL},
    {"JERUSALEM", ALL},
    {"JIDDA", IDS},
    {"JOHANNESBURG", ALL},
    {"JOINTSTAFF", ALL},
    {"JUBA", ALL},
    {"KABUL", ALL},
    {"KADUNA", ALL},
    {"KAMPALA", ALL},
    {"KARACHI", ALL},
    {"KATHMANDU", ALL},
    {"KHARTOUM", ALL},
    {"KIEV", ALL},
    {"KIGALI", ALL},
    {"KINGSTON", ALL},
    {"KINSHASA", ALL},
    {"KIRKUK", ALL},
    {"KOLKATA", ALL},
    {"KOLONIA", ALL},
    {"KOROR", ALL},
    {"KRAKOW", ALL},
    {"KUALALUMPUR", ALL},
    {"KUWAIT", ALL},
    {"KYIV", ALL},
    {"LAGOS", ALL},
    {"LAHORE", ALL},
    {"LAPAZ", ALL},
    {"LEIPZIG", ALL},
    {"LENINGRAD", IDS},
    {"LIBREVILLE", ALL},
    {"LILONGWE", ALL},
    {"LIMA", ALL},
    {"LISBON", ALL},
    {"LJUBLJANA", ALL},
    {"LOME", ALL},
    {"LONDON", ALL},
    {"LUANDA", ALL},
    {"LUBUMBASHI", ALL},
    {"LUSAKA", ALL},
    {"LUXEMBOURG", ALL},
    {"MADRAS", ALL},
    {"MADRID", ALL},
    {"MAJURO", ALL},
    {"MALABO", ALL},
    {"MANAGUA", ALL},
    {"MANAMA", ALL},
    {"MANILA", ALL},
    {"MAPUTO", ALL},
    {"MARACAIBO", IDS},
    {"MARSEILLE", ALL},
    {"MASERU", ALL},
    {"MATAMOROS", ALL},
    {"MBABANE", ALL},
    {"MEDAN", IDS},
    {"MELBOURNE", ALL},
    {"MERIDA", ALL},
    {"MEXICO", ALL},
    {"MILAN", ALL},
    {"MINSK", ALL},
    {"MOGADISHU", IDS},
    {"MOMBASA", IDS},
    {"MONROVIA", ALL},
    {"MONTEREY", IDS},
    {"MONTERREY", ALL},
    {"MONTEVIDEO", ALL},
    {"MONTREAL", ALL},
    {"MOSCOW", ALL},
    {"MOSUL", ALL},
    {"MUMBAI", ALL},
    {"MUNICH", ALL},
    {"MUSCAT", ALL},
    {"NAGOYA", IDS},
    {"NAHA", ALL},
    {"NAIROBI", ALL},
    {"NAPLES", ALL},
    {"NASSAU", ALL},
    {"NDJAMENA", ALL},
    {"NEWDELHI", ALL},
    {"NIAMEY", ALL},
    {"NICOSIA", ALL},
    {"NOGALES", ALL},
    {"NOUAKCHOTT", ALL},
    {"NUEVOLAREDO", ALL},
    {"NUKUALOFA", IDS},
    {"OSAKAKOBE", ALL},
    {"OSLO", ALL},
    {"OTTAWA", ALL},
    {"OUAGADOUGOU", ALL},
    {"PANAMA", ALL},
    {"PARAMARIBO", ALL},
    {"PARIS", ALL},
    {"PERTH", ALL},
    {"PESHAWAR", ALL},
    {"PHNOMPENH", ALL},
    {"PODGORICA", ALL},
    {"PONTADELGADA", ALL},
    {"PORTAUPRINCE", ALL},
    {"PORTLOUIS", ALL},
    {"PORTMORESBY", ALL},
    {"PORTOALEGRE", ALL},
    {"PORTOFSPAIN", ALL},
    {"PRAGUE", ALL},
    {"PRAIA", ALL},
    {"PRETORIA", ALL},
    {"PRISTINA", ALL},
    {"QUEBEC", ALL},
    {"QUITO", ALL},
    {"RABAT", ALL},
    {"RANGOON", ALL},
    {"RECIFE", ALL},
    {"REOBASRAH", ALL},
    {"REOHILLAH", ALL},
    {"REOKIRKUK", ALL},
    {"REYKJAVIK", ALL},
    {"RIGA", ALL},
    {"RIODEJANEIRO", ALL},
    {"RIYADH", ALL},
    {"ROME", ALL},
    {"RPODUBAI", ALL},
    {"SAIGON", IDS},
    {"SALISBURY", IDS},
    {"SANAA", ALL},
    {"SANJOSE", ALL},
    {"SANSALVADOR", ALL},
    {"SANTIAGO", ALL},
    {"SANTODOMINGO", ALL},
    {"SAOPAULO", ALL},
    {"SAPPORO", ALL},
    {"SARAJEVO", ALL},
    {"SECDEF", ALL},
    {"SEOUL", ALL},
    {"SHANGHAI", ALL},
    {"SHENYANG", ALL},
    {"SINGAPORE", ALL},
    {"SKOPJE", ALL},
    {"SOFIA", ALL},
    {"STATE", ALL},
    {"STOCKHOLM", ALL},
    {"STPETERSBURG", ALL},
    {"STRASBOURG", ALL},
    {"STUTTGART", IDS},
    {"SURABAYA", ALL},
    {"SUVA", ALL},
    {"SYDNEY", ALL},
    {"TABRIZ", IDS},
    {"TAIPEI", REFS},
    {"TALLINN", ALL},
    {"TASHKENT", ALL},
    {"TBILISI", ALL},
    {"TEGUCIGALPA", ALL},
    {"TEHRAN", ALL},
    {"TELAVIV", ALL},
    {"THEHAGUE", ALL},
    {"TIJUANA", ALL},
    {"TIRANA", ALL},
    {"TOKYO", ALL},
    {"TORONTO", ALL},
    {"TRIPOLI", ALL},
    {"TUNIS", ALL},
    {"UDONTHANI", IDS},
    {"ULAANBAATAR", ALL},
    {"UNESCOPARISFR", ALL},
    {"UNROME", ALL},
    {"UNVIEVIENNA", ALL},
    {"USCBP", ALL},
    {"USDAFAS", ALL},
    {"USDOC", ALL},
    {"USDOJ", ALL},
    {"USEUBRUSSELS", ALL},
    {"USNATO", ALL},
    {"USOAS", ALL},
    {"USOSCE", ALL},
    {"USUNNEWYORK", ALL},
    {"USUNROME", ALL},
    {"VALLETTA", ALL},
    {"VANCOUVER", ALL},
    {"VATICAN", ALL},
    {"VICTORIA", IDS},
    {"VIENNA", ALL},
    {"VIENTIANE", ALL},
    {"VILNIUS", ALL},
    {"VLADIVOSTOK", ALL},
    {"WARSAW", ALL},
    {"WELLINGTON", ALL},
    {"WINDHOEK", ALL},
    {"WINNIPEG", IDS},
    {"WUHAN", IDS},
    {"YAOUNDE", ALL},
    {"YEKATERINBURG", ALL},
    {"YEREVAN", ALL},
    {"ZAGREB", ALL},
    {"ZURICH", IDS},
};

#define NSTATIONS (sizeof stations / sizeof *stations)

/* Abbreviations and variants that no edit distance finds.  Canonical ids
 * and REF cable ids share most of them; where they differ the entry says
 * for which it holds: USEU is the mission USEUBRUSSELS in canonical ids but
 * BRUSSELS in a REF, and the short ids-only ones (DOC, SD, KL ...) are too
 * common as words before a number to be taken for a station in a REF.  The
 * list is looked up first, so a key that is a station known to the same
 * use would never be reached. */
static const struct {
  const char *from, *to;
  unsigned uses; /* enum cx_station_use bits */
} aliases[] = {
    /* both */
    {"BA", "BUENOSAIRES", ALL},
    {"BKK", "BANGKOK", ALL},
    {"BRAZIL", "BRASILIA", ALL},
    {"HAGUE", "THEHAGUE", ALL},
    {"HCMC", "HOCHIMINHCITY", ALL},
    {"HK", "HONGKONG", ALL},
    {"MEXICOCITY", "MEXICO", ALL},
    {"PAP", "PORTAUPRINCE", ALL},
    {"PARISFR", "UNESCOPARISFR", ALL},
    {"PORTAU", "PORTAUPRINCE", ALL},
    {"RIO", "RIODEJANEIRO", ALL},
    {"SECDEFWASHDC", "SECDEF", ALL},
    {"SECSTATE", "STATE", ALL},
    {"SECTATE", "STATE", ALL},
    {"SECTSTATE", "STATE", ALL},
    {"UNESCO", "UNESCOPARISFR", ALL},
    {"UNVIE", "UNVIEVIENNA", ALL},
    {"USUN", "USUNNEWYORK", ALL},
    {"USUNESCO", "UNESCOPARISFR", ALL},
    {"USUNESCOPARISFR", "UNESCOPARISFR", ALL},
    {"USUNNY", "USUNNEWYORK", ALL},
    {"VAT", "VATICAN", ALL},
    /* canonical ids only */
    {"ADDIS", "ADDISABABA", IDS},
    {"ATLANTA", "CDCATLANTAGA", IDS},
    {"BSB", "BANDARSERIBEGAWAN", IDS},
    {"CDC", "CDCATLANTAGA", IDS},
    {"CDCATLANTA", "CDCATLANTAGA", IDS},
    {"DAR", "DARESSALAAM", IDS},
    {"DEPTOFCOMMERCE", "USDOC", IDS},
    {"DOC", "USDOC", IDS},
    {"FSCCHARLESTON", "CHARLESTON", IDS},
    {"HCM", "HOCHIMINHCITY", IDS},
    {"HOLYSEE", "VATICAN", IDS},
    {"KL", "KUALALUMPUR", IDS},
    {"MEX", "MEXICO", IDS},
    {"MVD", "MONTEVIDEO", IDS},
    {"NEWYORK", "USUNNEWYORK", IDS},
    {"POS", "PORTOFSPAIN", IDS},
    {"SD", "SANTODOMINGO", IDS},
    {"SDO", "SANTODOMINGO", IDS},
    {"SECDEFWASH", "SECDEF", IDS},
    {"SECSTATEWASHDC", "STATE", IDS},
    {"TAIPEI", "AITTAIPEI", IDS},
    {"TANA", "ANTANANARIVO", IDS},
    {"TGG", "TEGUCIGALPA", IDS},
    {"UNVIENNA", "UNVIEVIENNA", IDS},
    {"USDA", "USDAFAS", IDS},
    {"USDAFASWASHDC", "USDAFAS", IDS},
    {"USDOCWASHDC", "USDOC", IDS},
    {"USEU", "USEUBRUSSELS", IDS},
    {"WASHDC", "STATE", IDS},
    /* REF cable ids only */
    {"KUALALUMP", "KUALALUMPUR", REFS},
    {"PAUP", "PORTAUPRINCE", REFS},
    {"PORTA", "PORTAUPRINCE", REFS},
    {"PORTAUPR", "PORTAUPRINCE", REFS},
    {"RIODEJAN", "RIODEJANEIRO", REFS},
    {"RIODEJANIERO", "RIODEJANEIRO", REFS},
    {"SANJSE", "SANJOSE", REFS},
    {"USEU", "BRUSSELS", REFS},
    {"USNATOBRUSSELS", "USNATO", REFS},
};

size_t cx_station_count(void) {
  return NSTATIONS;
}

const char *cx_station_name(size_t i, unsigned *uses) {
  if (i >= NSTATIONS) return NULL;
  if (uses) *uses = stations[i].uses;
  return stations[i].name;
}

const char *cx_station_find(const char *s, enum cx_station_use use) {
  size_t lo = 0, hi = NSTATIONS;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(s, stations[mid].name);
    if (!c) return stations[mid].uses & (unsigned)use ? stations[mid].name : NULL;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

const char *cx_station_lookup(const char *s, enum cx_station_use use) {
  const char *r = cx_station_find(s, use);
  if (r) return r;
  for (size_t i = 0; i < sizeof aliases / sizeof *aliases; i++)
    if ((aliases[i].uses & (unsigned)use) && !strcmp(aliases[i].from, s)) return aliases[i].to;
  return NULL;
}

static int osa(const char *a, size_t la, const char *b, size_t lb, int limit) {
  if (la >= CX_STATION_MAX || lb >= CX_STATION_MAX) return limit + 1;
  if ((la > lb ? la - lb : lb - la) > (size_t)limit) return limit + 1;
  int d[CX_STATION_MAX + 1][CX_STATION_MAX + 1];
  for (size_t i = 0; i <= la; i++)
    d[i][0] = (int)i;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    int rowmin = limit + 1;
    for (size_t j = 1; j <= lb; j++) {
      int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      d[i][j] = v;
      if (v < rowmin) rowmin = v;
    }
    /* the distance is at least the smallest value of any row */
    if (rowmin > limit) return limit + 1;
  }
  return d[la][lb];
}

int cx_station_distance(const char *a, const char *b, int limit) {
  return osa(a, strlen(a), b, strlen(b), limit);
}

const char *cx_station_nearest(const char *s, int limit, enum cx_station_use use) {
  size_t n = strlen(s);
  const char *best = NULL;
  int bestd = limit + 1, ties = 0;
  for (size_t i = 0; i < NSTATIONS; i++) {
    if (!(stations[i].uses & (unsigned)use)) continue;
    int d = osa(s, n, stations[i].name, strlen(stations[i].name), limit);
    if (d < bestd) {
      bestd = d;
      best = stations[i].name;
      ties = 0;
    } else if (d == bestd && best) {
      ties++;
    }
  }
  return best && !ties ? best : NULL;
}

const char *cx_station_part(const char *s, enum cx_station_use use) {
  size_t n = strlen(s);
  const char *hit = NULL;
  int hits = 0;
  for (size_t i = 0; i < NSTATIONS; i++) {
    const char *name = stations[i].name;
    size_t sl = strlen(name);
    if (sl <= n || !(stations[i].uses & (unsigned)use)) continue;
    if (!strncmp(name, s, n) || !strcmp(name + sl - n, s)) {
      hit = name;
      hits++;
    }
  }
  return hits == 1 ? hit : NULL;
}
