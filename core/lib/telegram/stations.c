/* stations.c - the one station table: every post (and Washington sender)
 * that Cablegate cable ids name, with the origin name its web pages give
 * it, the lookups from cable ids, REF items and FM lines into it, and the
 * edit distance they share (stations.h).
 *
 * Grammar of the three places a station is written:
 *   cable id   YY STATION SERIAL       09MOSCOW1234, 08RIODEJANEIRO12
 *   REF item   STATION SERIAL          MOSCOW 1234, RIO DE JANEIRO 12,
 *                                      ST PETERSBURG 5468, SECSTATE 12
 *   FM line    FM [PREFIX] STATION     FM AMEMBASSY MOSCOW,
 *                                      FM AMCONSUL RIO DE JANEIRO,
 *                                      FM USMISSION USNATO,
 *                                      FM SECSTATE WASHDC
 * A station is one word in an id and may be several in a REF or an FM
 * line; with blanks and punctuation squeezed out ("PORT-AU-PRINCE",
 * "N'DJAMENA") they are the table's names, or one of the spellings in
 * `aliases`.
 */
#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include "stations.h"

#define IDS CX_STATION_IDS
#define REFS CX_STATION_REFS
#define ALL (CX_STATION_IDS | CX_STATION_REFS)

/* Station names as they appear in cable ids: US embassies, consulates,
 * missions and the few Washington agencies that send cables, current and
 * historical (1966-2010).  Sorted in strcmp order for the binary search
 * (test_stations checks it).
 *
 * origin is the name the Cablegate pages give the post in their Origin
 * column.  It names the post, not the spelling: a post renamed keeps one
 * origin for all its names (KIEV and KYIV are both "Embassy Kyiv").  NULL
 * where no page name is known.
 *
 * A former name of a post that the table also holds under its current
 * name says which (renamed) and the last year cable ids used the former
 * one (until). */
static const struct station {
  const char *name;
  const char *origin;
  const char *renamed;
  int until;
} stations[] = {
    {"ABIDJAN", "Embassy Abidjan", NULL, 0},
    {"ABUDHABI", "Embassy Abu Dhabi", NULL, 0},
    {"ABUJA", "Embassy Abuja", NULL, 0},
    {"ACCRA", "Embassy Accra", NULL, 0},
    {"ADANA", "Consulate Adana", NULL, 0},
    {"ADDISABABA", "Embassy Addis Ababa", NULL, 0},
    {"AITTAIPEI", "American Institute Taiwan, Taipei", NULL, 0},
    {"ALEXANDRIA", "Consulate Alexandria", NULL, 0},
    {"ALGIERS", "Embassy Algiers", NULL, 0},
    {"ALMATY", "US Office Almaty", NULL, 0},
    {"AMMAN", "Embassy Amman", NULL, 0},
    {"AMSTERDAM", "Consulate Amsterdam", NULL, 0},
    {"ANKARA", "Embassy Ankara", NULL, 0},
    {"ANTANANARIVO", "Embassy Antananarivo", NULL, 0},
    {"APIA", "Embassy Apia", NULL, 0},
    {"ASHGABAT", "Embassy Ashgabat", NULL, 0},
    {"ASMARA", "Embassy Asmara", NULL, 0},
    {"ASTANA", "Embassy Astana", NULL, 0},
    {"ASUNCION", "Embassy Asuncion", NULL, 0},
    {"ATHENS", "Embassy Athens", NULL, 0},
    {"AUCKLAND", "Consulate Auckland", NULL, 0},
    {"BAGHDAD", "Embassy Baghdad", NULL, 0},
    {"BAKU", "Embassy Baku", NULL, 0},
    {"BAMAKO", "Embassy Bamako", NULL, 0},
    {"BANDARSERIBEGAWAN", "Embassy Bandar Seri Begawan", NULL, 0},
    {"BANGKOK", "Embassy Bangkok", NULL, 0},
    {"BANGUI", "Embassy Bangui", NULL, 0},
    {"BANJUL", "Embassy Banjul", NULL, 0},
    {"BARCELONA", "Consulate Barcelona", NULL, 0},
    {"BASRAH", "REO Basrah", NULL, 0},
    {"BEIJING", "Embassy Beijing", NULL, 0},
    {"BEIRUT", "Embassy Beirut", NULL, 0},
    {"BELFAST", "Consulate Belfast", NULL, 0},
    {"BELGRADE", "Embassy Belgrade", NULL, 0},
    {"BELIZE", "Embassy Belize", NULL, 0},
    {"BELMOPAN", "Embassy Belmopan", NULL, 0},
    {"BERLIN", "Embassy Berlin", NULL, 0},
    {"BERN", "Embassy Bern", NULL, 0},
    {"BISHKEK", "Embassy Bishkek", NULL, 0},
    {"BISSAU", "Embassy Bissau", NULL, 0},
    {"BOGOTA", "Embassy Bogota", NULL, 0},
    {"BOMBAY", "Consulate Mumbai", "MUMBAI", 1995},
    {"BONN", "Embassy Bonn", NULL, 0},
    {"BRASILIA", "Embassy Brasilia", NULL, 0},
    {"BRATISLAVA", "Embassy Bratislava", NULL, 0},
    {"BRAZZAVILLE", "Embassy Brazzaville", NULL, 0},
    {"BRIDGETOWN", "Embassy Bridgetown", NULL, 0},
    {"BRUSSELS", "Embassy Brussels", NULL, 0},
    {"BUCHAREST", "Embassy Bucharest", NULL, 0},
    {"BUDAPEST", "Embassy Budapest", NULL, 0},
    {"BUENOSAIRES", "Embassy Buenos Aires", NULL, 0},
    {"BUJUMBURA", "Embassy Bujumbura", NULL, 0},
    {"BUSAN", "Consulate Busan", NULL, 0},
    {"CAIRO", "Embassy Cairo", NULL, 0},
    {"CALCUTTA", "Consulate Kolkata", "KOLKATA", 2001},
    {"CALGARY", "Consulate Calgary", NULL, 0},
    {"CANBERRA", "Embassy Canberra", NULL, 0},
    {"CAPETOWN", "Consulate Cape Town", NULL, 0},
    {"CARACAS", "Embassy Caracas", NULL, 0},
    {"CASABLANCA", "Consulate Casablanca", NULL, 0},
    {"CDCATLANTAGA", NULL, NULL, 0},
    {"CDGENEVA", "US Mission CD Geneva", NULL, 0},
    {"CHARLESTON", "US OFFICE FSC CHARLESTON", NULL, 0},
    {"CHENGDU", "Consulate Chengdu", NULL, 0},
    {"CHENNAI", "Consulate Chennai", NULL, 0},
    {"CHIANGMAI", "Consulate Chiang Mai", NULL, 0},
    {"CHISINAU", "Embassy Chisinau", NULL, 0},
    {"CIUDADJUAREZ", "Consulate Ciudad Juarez", NULL, 0},
    {"COLOMBO", "Embassy Colombo", NULL, 0},
    {"CONAKRY", "Embassy Conakry", NULL, 0},
    {"COPENHAGEN", "Embassy Copenhagen", NULL, 0},
    {"COTONOU", "Embassy Cotonou", NULL, 0},
    {"CURACAO", "Consulate Curacao", NULL, 0},
    {"DACCA", "Embassy Dhaka", "DHAKA", 1982},
    {"DAKAR", "Embassy Dakar", NULL, 0},
    {"DAMASCUS", "Embassy Damascus", NULL, 0},
    {"DARESSALAAM", "Embassy Dar Es Salaam", NULL, 0},
    {"DHAHRAN", "Consulate Dhahran", NULL, 0},
    {"DHAKA", "Embassy Dhaka", NULL, 0},
    {"DILI", "Embassy Dili", NULL, 0},
    {"DJIBOUTI", "Embassy Djibouti", NULL, 0},
    {"DOHA", "Embassy Doha", NULL, 0},
    {"DOUALA", "Consulate Douala", NULL, 0},
    {"DUBAI", "Consulate Dubai", NULL, 0},
    {"DUBLIN", "Embassy Dublin", NULL, 0},
    {"DURBAN", "Consulate Durban", NULL, 0},
    {"DUSHANBE", "Embassy Dushanbe", NULL, 0},
    {"DUSSELDORF", "Consulate Dusseldorf", NULL, 0},
    {"EDINBURGH", "Consulate Edinburgh", NULL, 0},
    {"ERBIL", NULL, NULL, 0},
    {"FLORENCE", "Consulate Florence", NULL, 0},
    {"FRANKFURT", "Consulate Frankfurt", NULL, 0},
    {"FREETOWN", "Embassy Freetown", NULL, 0},
    {"FSINFATC", "DIR FSINFATC", NULL, 0},
    {"FUKUOKA", "Consulate Fukuoka", NULL, 0},
    {"GABORONE", "Embassy Gaborone", NULL, 0},
    {"GENEVA", "Mission Geneva", NULL, 0},
    {"GEORGETOWN", "Embassy Georgetown", NULL, 0},
    {"GRENADA", "Embassy Grenada", NULL, 0},
    {"GUADALAJARA", "Consulate Guadalajara", NULL, 0},
    {"GUANGZHOU", "Consulate Guangzhou", NULL, 0},
    {"GUATEMALA", "Embassy Guatemala", NULL, 0},
    {"GUAYAQUIL", "Consulate Guayaquil", NULL, 0},
    {"HALIFAX", "Consulate Halifax", NULL, 0},
    {"HAMBURG", "Consulate Hamburg", NULL, 0},
    {"HAMILTON", "Consulate Hamilton", NULL, 0},
    {"HANOI", "Embassy Hanoi", NULL, 0},
    {"HARARE", "Embassy Harare", NULL, 0},
    {"HAVANA", "US Interests Section Havana", NULL, 0},
    {"HELSINKI", "Embassy Helsinki", NULL, 0},
    {"HERMOSILLO", "Consulate Hermosillo", NULL, 0},
    {"HILLAH", "REO Hillah", NULL, 0},
    {"HOCHIMINHCITY", "Consulate Ho Chi Minh City", NULL, 0},
    {"HONGKONG", "Consulate Hong Kong", NULL, 0},
    {"HYDERABAD", "Consulate Hyderabad", NULL, 0},
    {"ISFAHAN", "Consulate Isfahan", NULL, 0},
    {"ISLAMABAD", "Embassy Islamabad", NULL, 0},
    {"ISTANBUL", "Consulate Istanbul", NULL, 0},
    {"IZMIR", "Consulate Izmir", NULL, 0},
    {"JAKARTA", "Embassy Jakarta", NULL, 0},
    {"JEDDAH", "Consulate Jeddah", NULL, 0},
    {"JERUSALEM", "Consulate Jerusalem", NULL, 0},
    {"JIDDA", "Consulate Jeddah", "JEDDAH", 1984},
    {"JOHANNESBURG", "Consulate Johannesburg", NULL, 0},
    {"JOINTSTAFF", "Joint Staff", NULL, 0},
    {"JUBA", "Consulate Juba", NULL, 0},
    {"KABUL", "Embassy Kabul", NULL, 0},
    {"KADUNA", "Consulate Kaduna", NULL, 0},
    {"KAMPALA", "Embassy Kampala", NULL, 0},
    {"KARACHI", "Consulate Karachi", NULL, 0},
    {"KATHMANDU", "Embassy Kathmandu", NULL, 0},
    {"KHARTOUM", "Embassy Khartoum", NULL, 0},
    {"KIEV", "Embassy Kyiv", "KYIV", 2007},
    {"KIGALI", "Embassy Kigali", NULL, 0},
    {"KINGSTON", "Embassy Kingston", NULL, 0},
    {"KINSHASA", "Embassy Kinshasa", NULL, 0},
    {"KIRKUK", "REO Kirkuk", NULL, 0},
    {"KOLKATA", "Consulate Kolkata", NULL, 0},
    {"KOLONIA", "Embassy Kolonia", NULL, 0},
    {"KOROR", "Embassy Koror", NULL, 0},
    {"KRAKOW", "Consulate Krakow", NULL, 0},
    {"KUALALUMPUR", "Embassy Kuala Lumpur", NULL, 0},
    {"KUWAIT", "Embassy Kuwait", NULL, 0},
    {"KYIV", "Embassy Kyiv", NULL, 0},
    {"LAGOS", "Consulate Lagos", NULL, 0},
    {"LAHORE", "Consulate Lahore", NULL, 0},
    {"LAPAZ", "Embassy La Paz", NULL, 0},
    {"LEIPZIG", "Consulate Leipzig", NULL, 0},
    {"LENINGRAD", "Consulate St Petersburg", "STPETERSBURG", 1991},
    {"LIBREVILLE", "Embassy Libreville", NULL, 0},
    {"LILONGWE", "Embassy Lilongwe", NULL, 0},
    {"LIMA", "Embassy Lima", NULL, 0},
    {"LISBON", "Embassy Lisbon", NULL, 0},
    {"LJUBLJANA", "Embassy Ljubljana", NULL, 0},
    {"LOME", "Embassy Lome", NULL, 0},
    {"LONDON", "Embassy London", NULL, 0},
    {"LUANDA", "Embassy Luanda", NULL, 0},
    {"LUBUMBASHI", "Consulate Lubumbashi", NULL, 0},
    {"LUSAKA", "Embassy Lusaka", NULL, 0},
    {"LUXEMBOURG", "Embassy Luxembourg", NULL, 0},
    {"MADRAS", "Consulate Chennai", "CHENNAI", 1996},
    {"MADRID", "Embassy Madrid", NULL, 0},
    {"MAJURO", "Embassy Majuro", NULL, 0},
    {"MALABO", "Embassy Malabo", NULL, 0},
    {"MANAGUA", "Embassy Managua", NULL, 0},
    {"MANAMA", "Embassy Manama", NULL, 0},
    {"MANILA", "Embassy Manila", NULL, 0},
    {"MAPUTO", "Embassy Maputo", NULL, 0},
    {"MARACAIBO", "Consulate Maracaibo", NULL, 0},
    {"MARSEILLE", "Consulate Marseille", NULL, 0},
    {"MASERU", "Embassy Maseru", NULL, 0},
    {"MATAMOROS", "Consulate Matamoros", NULL, 0},
    {"MBABANE", "Embassy Mbabane", NULL, 0},
    {"MEDAN", "Consulate Medan", NULL, 0},
    {"MELBOURNE", "Consulate Melbourne", NULL, 0},
    {"MERIDA", "Consulate Merida", NULL, 0},
    {"MEXICO", "Embassy Mexico", NULL, 0},
    {"MILAN", "Consulate Milan", NULL, 0},
    {"MINSK", "Embassy Minsk", NULL, 0},
    {"MOGADISHU", "Embassy Mogadishu", NULL, 0},
    {"MOMBASA", "Consulate Mombasa", NULL, 0},
    {"MONROVIA", "Embassy Monrovia", NULL, 0},
    {"MONTEREY", NULL, NULL, 0},
    {"MONTERREY", "Consulate Monterrey", NULL, 0},
    {"MONTEVIDEO", "Embassy Montevideo", NULL, 0},
    {"MONTREAL", "Consulate Montreal", NULL, 0},
    {"MOSCOW", "Embassy Moscow", NULL, 0},
    {"MOSUL", "REO Mosul", NULL, 0},
    {"MUMBAI", "Consulate Mumbai", NULL, 0},
    {"MUNICH", "Consulate Munich", NULL, 0},
    {"MUSCAT", "Embassy Muscat", NULL, 0},
    {"NAGOYA", "Consulate Nagoya", NULL, 0},
    {"NAHA", "Consulate Naha", NULL, 0},
    {"NAIROBI", "Embassy Nairobi", NULL, 0},
    {"NAPLES", "Consulate Naples", NULL, 0},
    {"NASSAU", "Embassy Nassau", NULL, 0},
    {"NDJAMENA", "Embassy Ndjamena", NULL, 0},
    {"NEWDELHI", "Embassy New Delhi", NULL, 0},
    {"NIAMEY", "Embassy Niamey", NULL, 0},
    {"NICOSIA", "Embassy Nicosia", NULL, 0},
    {"NOGALES", "Consulate Nogales", NULL, 0},
    {"NOUAKCHOTT", "Embassy Nouakchott", NULL, 0},
    {"NUEVOLAREDO", "Consulate Nuevo Laredo", NULL, 0},
    {"NUKUALOFA", "Embassy Nukualofa", NULL, 0},
    {"OSAKAKOBE", "Consulate Osaka Kobe", NULL, 0},
    {"OSLO", "Embassy Oslo", NULL, 0},
    {"OTTAWA", "Embassy Ottawa", NULL, 0},
    {"OUAGADOUGOU", "Embassy Ouagadougou", NULL, 0},
    {"PANAMA", "Embassy Panama", NULL, 0},
    {"PARAMARIBO", "Embassy Paramaribo", NULL, 0},
    {"PARIS", "Embassy Paris", NULL, 0},
    {"PERTH", "Consulate Perth", NULL, 0},
    {"PESHAWAR", "Consulate Peshawar", NULL, 0},
    {"PHNOMPENH", "Embassy Phnom Penh", NULL, 0},
    {"PODGORICA", "Embassy Podgorica", NULL, 0},
    {"PONTADELGADA", "Consulate Ponta Delgada", NULL, 0},
    {"PORTAUPRINCE", "Embassy Port Au Prince", NULL, 0},
    {"PORTLOUIS", "Embassy Port Louis", NULL, 0},
    {"PORTMORESBY", "Embassy Port Moresby", NULL, 0},
    {"PORTOALEGRE", "Consulate Porto Alegre", NULL, 0},
    {"PORTOFSPAIN", "Embassy Port Of Spain", NULL, 0},
    {"PRAGUE", "Embassy Prague", NULL, 0},
    {"PRAIA", "Embassy Praia", NULL, 0},
    {"PRETORIA", "Embassy Pretoria", NULL, 0},
    {"PRISTINA", "Embassy Pristina", NULL, 0},
    {"QUEBEC", "Consulate Quebec", NULL, 0},
    {"QUITO", "Embassy Quito", NULL, 0},
    {"RABAT", "Embassy Rabat", NULL, 0},
    {"RANGOON", "Embassy Rangoon", NULL, 0},
    {"RECIFE", "Consulate Recife", NULL, 0},
    {"REOBASRAH", "REO Basrah", NULL, 0},
    {"REOHILLAH", "REO Hillah", NULL, 0},
    {"REOKIRKUK", "REO Kirkuk", NULL, 0},
    {"REYKJAVIK", "Embassy Reykjavik", NULL, 0},
    {"RIGA", "Embassy Riga", NULL, 0},
    {"RIODEJANEIRO", "Consulate Rio De Janeiro", NULL, 0},
    {"RIYADH", "Embassy Riyadh", NULL, 0},
    {"ROME", "Embassy Rome", NULL, 0},
    {"RPODUBAI", "Iran RPO Dubai", NULL, 0},
    {"SAIGON", "Embassy Saigon", NULL, 0},
    {"SALISBURY", "Consulate Salisbury", NULL, 0},
    {"SANAA", "Embassy Sanaa", NULL, 0},
    {"SANJOSE", "Embassy San Jose", NULL, 0},
    {"SANSALVADOR", "Embassy San Salvador", NULL, 0},
    {"SANTIAGO", "Embassy Santiago", NULL, 0},
    {"SANTODOMINGO", "Embassy Santo Domingo", NULL, 0},
    {"SAOPAULO", "Consulate Sao Paulo", NULL, 0},
    {"SAPPORO", "Consulate Sapporo", NULL, 0},
    {"SARAJEVO", "Embassy Sarajevo", NULL, 0},
    {"SECDEF", "Secretary of Defense", NULL, 0},
    {"SEOUL", "Embassy Seoul", NULL, 0},
    {"SHANGHAI", "Consulate Shanghai", NULL, 0},
    {"SHENYANG", "Consulate Shenyang", NULL, 0},
    {"SINGAPORE", "Embassy Singapore", NULL, 0},
    {"SKOPJE", "Embassy Skopje", NULL, 0},
    {"SOFIA", "Embassy Sofia", NULL, 0},
    {"STATE", "Secretary of State", NULL, 0},
    {"STOCKHOLM", "Embassy Stockholm", NULL, 0},
    {"STPETERSBURG", "Consulate St Petersburg", NULL, 0},
    {"STRASBOURG", "Consulate Strasbourg", NULL, 0},
    {"STUTTGART", "Consulate Stuttgart", NULL, 0},
    {"SURABAYA", "Consulate Surabaya", NULL, 0},
    {"SUVA", "Embassy Suva", NULL, 0},
    {"SYDNEY", "Consulate Sydney", NULL, 0},
    {"TABRIZ", "Consulate Tabriz", NULL, 0},
    {"TAIPEI", "American Institute Taiwan, Taipei", NULL, 0},
    {"TALLINN", "Embassy Tallinn", NULL, 0},
    {"TASHKENT", "Embassy Tashkent", NULL, 0},
    {"TBILISI", "Embassy Tbilisi", NULL, 0},
    {"TEGUCIGALPA", "Embassy Tegucigalpa", NULL, 0},
    {"TEHRAN", "Embassy Tehran", NULL, 0},
    {"TELAVIV", "Embassy Tel Aviv", NULL, 0},
    {"THEHAGUE", "Embassy The Hague", NULL, 0},
    {"THESSALONIKI", "Consulate Thessaloniki", NULL, 0},
    {"TIJUANA", "Consulate Tijuana", NULL, 0},
    {"TIRANA", "Embassy Tirana", NULL, 0},
    {"TOKYO", "Embassy Tokyo", NULL, 0},
    {"TORONTO", "Consulate Toronto", NULL, 0},
    {"TRIPOLI", "Embassy Tripoli", NULL, 0},
    {"TUNIS", "Embassy Tunis", NULL, 0},
    {"UDONTHANI", "Consulate Udon Thani", NULL, 0},
    {"ULAANBAATAR", "Embassy Ulaanbaatar", NULL, 0},
    {"UNESCOPARISFR", "Mission UNESCO", NULL, 0},
    {"UNROME", "UN Rome", NULL, 0},
    {"UNVIEVIENNA", "UNVIE", NULL, 0},
    {"USCBP", NULL, NULL, 0},
    {"USDAFAS", NULL, NULL, 0},
    {"USDOC", NULL, NULL, 0},
    {"USDOJ", NULL, NULL, 0},
    {"USEUBRUSSELS", "USEU Brussels", NULL, 0},
    {"USNATO", "Mission USNATO", NULL, 0},
    {"USOAS", "Mission USOAS", NULL, 0},
    {"USOSCE", "Mission USOSCE", NULL, 0},
    {"USTRGENEVA", "USMISSION USTR GENEVA", NULL, 0},
    {"USUNNEWYORK", "USUN New York", NULL, 0},
    {"USUNROME", "UN Rome", NULL, 0},
    {"VALLETTA", "Embassy Valletta", NULL, 0},
    {"VANCOUVER", "Consulate Vancouver", NULL, 0},
    {"VATICAN", "Embassy Vatican", NULL, 0},
    {"VICTORIA", "Embassy Victoria", NULL, 0},
    {"VIENNA", "Embassy Vienna", NULL, 0},
    {"VIENTIANE", "Embassy Vientiane", NULL, 0},
    {"VILNIUS", "Embassy Vilnius", NULL, 0},
    {"VLADIVOSTOK", "Consulate Vladivostok", NULL, 0},
    {"WARSAW", "Embassy Warsaw", NULL, 0},
    {"WELLINGTON", "Embassy Wellington", NULL, 0},
    {"WINDHOEK", "Embassy Windhoek", NULL, 0},
    {"WINNIPEG", "Consulate Winnipeg", NULL, 0},
    {"WUHAN", "Consulate Wuhan", NULL, 0},
    {"YAOUNDE", "Embassy Yaounde", NULL, 0},
    {"YEKATERINBURG", "Consulate Yekaterinburg", NULL, 0},
    {"YEREVAN", "Embassy Yerevan", NULL, 0},
    {"ZAGREB", "Embassy Zagreb", NULL, 0},
    {"ZURICH", "Consulate Zurich", NULL, 0},
};

#define NSTATIONS (sizeof stations / sizeof *stations)

/* Other spellings of a station: abbreviations, words run together with
 * the capital or the sender's title, and misspellings no edit distance
 * finds.  Canonical ids and REF cable ids share most of them; where they
 * differ the entry says for which it holds: USEU is the mission
 * USEUBRUSSELS in canonical ids but BRUSSELS in a REF, TAIPEI is
 * AITTAIPEI in canonical ids, and the short ids-only ones (DOC, SD, KL
 * ...) are too common as words before a number to be taken for a station
 * in a REF.  Looked up before the stations, so that an entry may respell
 * a station for one use. */
static const struct {
  const char *from, *to;
  unsigned uses; /* enum cx_station_use bits */
} aliases[] = {
    /* both */
    {"BA", "BUENOSAIRES", ALL},
    {"BKK", "BANGKOK", ALL},
    {"BRAZIL", "BRASILIA", ALL},
    {"CDCATLANTA", "CDCATLANTAGA", ALL},
    {"DELHI", "NEWDELHI", ALL},
    {"DEPTOFCOMMERCE", "USDOC", ALL},
    {"FSCCHARLESTON", "CHARLESTON", ALL},
    {"HAGUE", "THEHAGUE", ALL},
    {"HCMC", "HOCHIMINHCITY", ALL},
    {"HK", "HONGKONG", ALL},
    {"HOCHIMINH", "HOCHIMINHCITY", ALL},
    {"HOLYSEE", "VATICAN", ALL},
    {"KUALALUMP", "KUALALUMPUR", ALL},
    {"MEXICOCITY", "MEXICO", ALL},
    {"PAP", "PORTAUPRINCE", ALL},
    {"PARISFR", "UNESCOPARISFR", ALL},
    {"PAUP", "PORTAUPRINCE", ALL},
    {"PETERSBURG", "STPETERSBURG", ALL},
    {"PORTA", "PORTAUPRINCE", ALL},
    {"PORTAU", "PORTAUPRINCE", ALL},
    {"PORTAUPR", "PORTAUPRINCE", ALL},
    {"QUEBECCITY", "QUEBEC", ALL},
    {"RIO", "RIODEJANEIRO", ALL},
    {"RIODEJAN", "RIODEJANEIRO", ALL},
    {"RIODEJANIERO", "RIODEJANEIRO", ALL},
    {"SAINTPETERSBURG", "STPETERSBURG", ALL},
    {"SANJSE", "SANJOSE", ALL},
    {"SECDEFWASH", "SECDEF", ALL},
    {"SECDEFWASHDC", "SECDEF", ALL},
    {"SECSTATE", "STATE", ALL},
    {"SECSTATEWASHDC", "STATE", ALL},
    {"SECTATE", "STATE", ALL},
    {"SECTSTATE", "STATE", ALL},
    {"UNESCO", "UNESCOPARISFR", ALL},
    {"UNESCOPARIS", "UNESCOPARISFR", ALL},
    {"UNVIE", "UNVIEVIENNA", ALL},
    {"UNVIENNA", "UNVIEVIENNA", ALL},
    {"USDAFASWASHDC", "USDAFAS", ALL},
    {"USDOCWASHDC", "USDOC", ALL},
    {"USNATOBRUSSELS", "USNATO", ALL},
    {"USUN", "USUNNEWYORK", ALL},
    {"USUNESCO", "UNESCOPARISFR", ALL},
    {"USUNESCOPARISFR", "UNESCOPARISFR", ALL},
    {"USUNNY", "USUNNEWYORK", ALL},
    {"VAT", "VATICAN", ALL},
    {"YANGON", "RANGOON", ALL},
    /* canonical ids only */
    {"ADDIS", "ADDISABABA", IDS},
    {"ATLANTA", "CDCATLANTAGA", IDS},
    {"BSB", "BANDARSERIBEGAWAN", IDS},
    {"CDC", "CDCATLANTAGA", IDS},
    {"DAR", "DARESSALAAM", IDS},
    {"DOC", "USDOC", IDS},
    {"HCM", "HOCHIMINHCITY", IDS},
    {"KL", "KUALALUMPUR", IDS},
    {"MEX", "MEXICO", IDS},
    {"MVD", "MONTEVIDEO", IDS},
    {"NEWYORK", "USUNNEWYORK", IDS},
    {"POS", "PORTOFSPAIN", IDS},
    {"SD", "SANTODOMINGO", IDS},
    {"SDO", "SANTODOMINGO", IDS},
    {"TAIPEI", "AITTAIPEI", IDS},
    {"TANA", "ANTANANARIVO", IDS},
    {"TGG", "TEGUCIGALPA", IDS},
    {"USDA", "USDAFAS", IDS},
    {"USEU", "USEUBRUSSELS", IDS},
    {"WASHDC", "STATE", IDS},
    /* REF cable ids only */
    {"USEU", "BRUSSELS", REFS},
};

size_t cx_station_count(void) {
  return NSTATIONS;
}

const char *cx_station_name(size_t i, const char **origin) {
  if (i >= NSTATIONS) return NULL;
  if (origin) *origin = stations[i].origin;
  return stations[i].name;
}

static const struct station *find_row(const char *s) {
  size_t lo = 0, hi = NSTATIONS;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(s, stations[mid].name);
    if (!c) return &stations[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

const char *cx_station_find(const char *s) {
  const struct station *r = find_row(s);
  return r ? r->name : NULL;
}

#define NALIASES (sizeof aliases / sizeof *aliases)
_Static_assert(NALIASES < 256, "alias indices + 1 are bytes");

/* Made once (station_init): the table's name lengths and letter sets
 * (cx_station_nearest measures s against every row), and the aliases by
 * their first byte, in table order (a lookup compares only those). */
static unsigned char station_len[NSTATIONS];
static unsigned long long station_set[NSTATIONS];
/* the rows of each name length, as bits (row i: bit i % 64 of word i / 64) */
#define ROW_WORDS ((NSTATIONS + 63) / 64)
static unsigned long long rows_of_len[CX_STATION_MAX][ROW_WORDS];
/* 1 + the first alias of each first byte, 1 + the next alias of the same
 * first byte after each (0: none) */
static unsigned char alias_first[256], alias_next[NALIASES];
static pthread_once_t station_once = PTHREAD_ONCE_INIT;

static void station_init(void) {
  for (size_t i = 0; i < NSTATIONS; i++) {
    size_t n = strlen(stations[i].name);
    station_len[i] = (unsigned char)(n < 255 ? n : 255); /* CX_STATION_MAX is below */
    station_set[i] = cx_station_letters(stations[i].name, n);
    if (n < CX_STATION_MAX) rows_of_len[n][i / 64] |= 1ULL << (i % 64);
  }
  for (size_t i = NALIASES; i-- > 0;) { /* from the end: each chain in table order */
    unsigned char c = (unsigned char)aliases[i].from[0];
    alias_next[i] = alias_first[c];
    alias_first[c] = (unsigned char)(i + 1);
  }
}

const char *cx_station_lookup(const char *s, enum cx_station_use use) {
  pthread_once(&station_once, station_init);
  /* the aliases of s's first byte, in table order: the first that matches */
  for (size_t k = alias_first[(unsigned char)s[0]]; k; k = alias_next[k - 1]) {
    size_t i = k - 1;
    if ((aliases[i].uses & (unsigned)use) && !strcmp(aliases[i].from, s)) return aliases[i].to;
  }
  return cx_station_find(s);
}

const char *cx_station_origin(const char *station) {
  const struct station *r = find_row(station);
  return r ? r->origin : NULL;
}

const char *cx_station_in_year(const char *station, int year) {
  const struct station *r = find_row(station);
  if (!r) return NULL;
  return r->renamed && year > r->until ? r->renamed : r->name;
}

/* A lower bound of the distance, cheap to get: every edit changes the
 * count of at most one character on each side (a transposition none), so
 * there are at least as many edits as characters one string has more of
 * than the other.  Characters share 64 counters (c & 63): a shared counter
 * can only lower the bound. */
static int bag_distance(const char *a, size_t la, const char *b, size_t lb) {
  signed char cnt[64] = {0}; /* both lengths are below CX_STATION_MAX */
  for (size_t i = 0; i < la; i++)
    cnt[(unsigned char)a[i] & 63]++;
  for (size_t j = 0; j < lb; j++)
    cnt[(unsigned char)b[j] & 63]--;
  int more = 0, fewer = 0; /* each counter read once, where it was used */
  for (size_t i = 0; i < la; i++) {
    signed char *c = &cnt[(unsigned char)a[i] & 63];
    if (*c > 0) more += *c;
    *c = 0;
  }
  for (size_t j = 0; j < lb; j++) {
    signed char *c = &cnt[(unsigned char)b[j] & 63];
    if (*c < 0) fewer -= *c;
    *c = 0;
  }
  return more > fewer ? more : fewer;
}

unsigned long long cx_station_letters(const char *s, size_t n) {
  unsigned long long m = 0;
  for (size_t i = 0; i < n; i++)
    m |= 1ULL << ((unsigned char)s[i] & 63);
  return m;
}

static int osa_table(const char *a, size_t la, const char *b, size_t lb, int limit);

/* Optimal string alignment on the band |i - j| <= limit of the table: a
 * cell outside it is more than limit, and is read as limit + 1. */
static int osa(const char *a, size_t la, const char *b, size_t lb, int limit) {
  if (la >= CX_STATION_MAX || lb >= CX_STATION_MAX || limit < 0) return limit + 1;
  if ((la > lb ? la - lb : lb - la) > (size_t)limit) return limit + 1;
  if (!la || !lb) return (int)(la + lb);
  /* cheaper still than the counts: the characters one has and the other
   * lacks altogether each cost an edit */
  unsigned long long ma = cx_station_letters(a, la), mb = cx_station_letters(b, lb);
  if (cx_station_more_bits(ma & ~mb, limit) || cx_station_more_bits(mb & ~ma, limit))
    return limit + 1;
  return osa_table(a, la, b, lb, limit);
}

/* osa past its cheap tests. */
static int osa_table(const char *a, size_t la, const char *b, size_t lb, int limit) {
  if (bag_distance(a, la, b, lb) > limit) return limit + 1;
  int d[CX_STATION_MAX + 1][CX_STATION_MAX + 1];
  const int big = limit + 1;
  const size_t band = (size_t)limit;
  for (size_t j = 0; j <= lb; j++)
    d[0][j] = j <= band ? (int)j : big;
  for (size_t i = 1; i <= la; i++) {
    size_t lo = i > band ? i - band : 1, hi = i + band < lb ? i + band : lb;
    d[i][lo - 1] = lo == 1 ? (int)i : big;
    if (hi < lb) d[i][hi + 1] = big;
    int rowmin = d[i][lo - 1];
    for (size_t j = lo; j <= hi; j++) {
      int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
        v = d[i - 2][j - 2] + 1;
      if (v > big) v = big;
      d[i][j] = v;
      if (v < rowmin) rowmin = v;
    }
    /* the distance is at least the smallest value of any row */
    if (rowmin > limit) return big;
  }
  return d[la][lb];
}

int cx_station_distance(const char *a, const char *b, int limit) {
  return osa(a, strlen(a), b, strlen(b), limit);
}

int cx_station_distance_n(const char *a, size_t la, const char *b, size_t lb, int limit) {
  return osa(a, la, b, lb, limit);
}

/* Two rows that are names of one post: a near miss between them is no
 * ambiguity. */
static int same_post(const struct station *a, const struct station *b) {
  return a->origin && b->origin && !strcmp(a->origin, b->origin);
}

/* One row of cx_station_nearest's search: row i's distance from s (n
 * bytes, letter set ms), by osa's tests in its order on the kept length and
 * letter set, for a row whose length is within limit of n. */
static void near_row(const char *s, size_t n, unsigned long long ms, size_t i, int limit,
                     enum cx_station_use use, const struct station **best, int *bestd, int *ties) {
  const struct station *r = &stations[i];
  size_t lb = station_len[i];
  int d;
  if (!n || !lb)
    d = (int)(n + lb);
  else if (cx_station_more_bits(ms & ~station_set[i], limit) ||
           cx_station_more_bits(station_set[i] & ~ms, limit))
    d = limit + 1;
  else
    d = osa_table(s, n, r->name, lb, limit);
  if (d < *bestd) {
    *bestd = d;
    *best = r;
    *ties = 0;
  } else if (d == *bestd && *best) {
    if (use != REFS || !same_post(*best, r))
      ++*ties;
    else if ((*best)->renamed) /* the current name of the two */
      *best = r;
  }
}

const char *cx_station_nearest(const char *s, int limit, enum cx_station_use use) {
  size_t n = strlen(s);
  const struct station *best = NULL;
  int bestd = limit + 1, ties = 0;
  if (n >= CX_STATION_MAX || limit < 0) return NULL; /* every row is limit + 1 away */
  pthread_once(&station_once, station_init);
  unsigned long long ms = cx_station_letters(s, n);
  /* only the rows of the lengths within limit of n, in table order: any
   * other row is limit + 1 away, which changes neither best nor ties */
  size_t lo = n > (size_t)limit ? n - (size_t)limit : 0;
  size_t hi = (size_t)limit < CX_STATION_MAX - 1 - n ? n + (size_t)limit : CX_STATION_MAX - 1;
  unsigned long long rows[ROW_WORDS] = {0};
  for (size_t l = lo; l <= hi; l++)
    for (size_t w = 0; w < ROW_WORDS; w++)
      rows[w] |= rows_of_len[l][w];
  for (size_t w = 0; w < ROW_WORDS; w++)
    for (unsigned long long bits = rows[w]; bits; bits &= bits - 1)
      near_row(s, n, ms, w * 64 + (size_t)__builtin_ctzll(bits), limit, use, &best, &bestd, &ties);
  return best && !ties ? best->name : NULL;
}

const char *cx_station_part(const char *s) {
  size_t n = strlen(s);
  const char *hit = NULL;
  int hits = 0;
  for (size_t i = 0; i < NSTATIONS; i++) {
    const char *name = stations[i].name;
    size_t sl = strlen(name);
    if (sl <= n) continue;
    if (!strncmp(name, s, n) || !strcmp(name + sl - n, s)) {
      hit = name;
      hits++;
    }
  }
  return hits == 1 ? hit : NULL;
}

/* The words of an FM line that name the station: "AMEMBASSY RIO DE
 * JANEIRO", "SECSTATE WASHDC", "RUEHMO/AMEMBASSY MOSCOW".  The longest run
 * of words that squeezed together is a station or one of its spellings,
 * the earliest such run first, so that the sender's title in front
 * (AMEMBASSY, AMCONSUL, USMISSION, USINT, US OFFICE FSC ...) is passed
 * over and "USEU BRUSSELS" is the mission, not the embassy.  A word with
 * a digit (a serial, a date) or "//" (an office suffix) ends the name. */
#define FM_WORDS 12

const char *cx_station_from_fm(const char *fm) {
  if (!fm) return NULL;
  const char *w[FM_WORDS];
  size_t wl[FM_WORDS], nw = 0;
  const char *p = fm;
  while (*p == ' ' || *p == '\t')
    p++;
  /* a routing indicator in front: "RUEHMO/AMEMBASSY MOSCOW" */
  const char *slash = strchr(p, '/');
  if (slash && slash > p && slash[1] != '/' && (size_t)(slash - p) <= 8 &&
      strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == (size_t)(slash - p))
    p = slash + 1;
  while (*p && nw < FM_WORDS) {
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
      p++;
    if (!*p || (p[0] == '/' && p[1] == '/')) break; /* office suffix */
    const char *s = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
           !(p[0] == '/' && p[1] == '/'))
      p++;
    size_t k = 0;
    while (k < (size_t)(p - s) && !isdigit((unsigned char)s[k]))
      k++;
    if (k < (size_t)(p - s)) break; /* a serial or a date: past the name */
    w[nw] = s;
    wl[nw++] = (size_t)(p - s);
  }
  for (size_t i = 0; i < nw; i++) {
    for (size_t j = nw; j > i; j--) {
      char sq[CX_STATION_MAX];
      size_t n = 0;
      int fits = 1;
      for (size_t k = i; k < j && fits; k++)
        for (size_t c = 0; c < wl[k]; c++) {
          unsigned char ch = (unsigned char)w[k][c];
          if (!isalpha(ch)) continue; /* PORT-AU-PRINCE, N'DJAMENA */
          if (n + 1 >= sizeof sq) {
            fits = 0;
            break;
          }
          sq[n++] = (char)toupper(ch);
        }
      if (!fits || n < 2) continue;
      sq[n] = '\0';
      /* the REF spellings: the ids-only abbreviations (WASHDC, DOC, SD
       * ...) would take "CIA WASHDC" for the Department */
      const char *r = cx_station_lookup(sq, REFS);
      if (r) return r;
    }
  }
  return NULL;
}

const char *cx_station_origin_from_fm(const char *fm) {
  const char *st = cx_station_from_fm(fm);
  return st ? cx_station_origin(st) : NULL;
}
