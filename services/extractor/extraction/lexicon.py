"""Word lists the extraction rules read. General English news vocabulary, not tuned to any one story."""
from __future__ import annotations

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 10**12}
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}

# Vague quantities: conventional lower bound (gold.json conventions), no upper bound.
VAGUE_PLURALS = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000, "billions": 2_000_000_000,
}
# "a couple thousand", "a few hundred", "several thousand": approximate multipliers of a scale word.
VAGUE_MULTIPLIERS = {"couple": (2, 1.5, 3), "few": (3, 2, 5), "several": (5, 3, 9), "handful": (5, 2, 9)}

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}

# A number followed by one of these measures time, size, rate or rank, not a count of things.
NON_COUNT_UNITS = {
    "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months",
    "year", "years", "decade", "decades", "century", "centuries", "am", "pm", "a.m", "p.m", "gmt", "utc",
    "mile", "miles", "km", "kilometre", "kilometres", "kilometer", "kilometers", "metre", "metres", "meter",
    "meters", "feet", "foot", "ft", "inch", "inches", "cm", "mm", "kg", "kilograms", "pounds", "lbs", "tonnes",
    "mph", "kph", "knots", "degrees", "°", "percent", "per", "%", "pct", "percentage", "times", "fold",
    "magnitude", "points", "point", "storey", "story", "stories", "hectares", "acres", "square",
    "year-old", "years-old", "o'clock", "th", "st", "nd", "rd", "x", "sq",
}
# Words before a number that make it a label, not a count ("Article 5", "Flight 17").
LABEL_NOUNS = {
    "article", "resolution", "chapter", "section", "no", "number", "flight", "route", "highway", "room",
    "page", "line", "phase", "level", "category", "grade", "class", "model", "version", "episode", "season",
    "game", "round", "stage", "unit", "squad", "brigade", "division", "corps", "district", "ward", "block",
    "building", "apartment", "gate", "platform", "channel", "covid", "top", "aged", "age", "ages", "magnitude",
    "mw", "ml", "f", "su", "mig", "s", "t", "kh", "tu", "b", "c", "g", "p", "m", "us", "u.s", "i", "ii", "code",
    "year", "years", "day", "days", "week", "weeks", "month", "months", "hour", "hours",
}
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
# Qualifier phrases that stand right before a figure, longest first when matched.
QUALIFIERS_BEFORE: dict[str, str] = {
    "approximately": "approximate", "about": "approximate", "around": "approximate", "roughly": "approximate",
    "some": "approximate", "an estimated": "exact", "estimated": "exact", "nearly": "nearly", "almost": "nearly",
    "close to": "nearly", "approaching": "nearly", "approached": "nearly", "just under": "nearly",
    "over": "more_than", "more than": "more_than", "above": "more_than", "surpassed": "more_than",
    "surpassing": "more_than", "exceeded": "more_than", "exceeding": "more_than", "topped": "more_than",
    "topping": "more_than", "just over": "more_than", "upwards of": "more_than", "in excess of": "more_than",
    "well over": "more_than", "passed": "more_than", "crossed": "more_than", "beyond": "more_than",
    "at least": "at_least", "no fewer than": "at_least", "no less than": "at_least", "a minimum of": "at_least",
    "not less than": "at_least",
    "up to": "at_most", "as many as": "at_most", "as much as": "at_most", "fewer than": "at_most",
    "less than": "at_most", "no more than": "at_most", "no greater than": "at_most", "at most": "at_most",
    "under": "at_most", "not more than": "at_most", "a maximum of": "at_most",
}
STRICT_QUALIFIER_WORDS = {"over", "more than", "above", "surpassed", "surpassing", "exceeded", "exceeding",
                          "topped", "topping", "just over", "upwards of", "in excess of", "well over", "passed",
                          "crossed", "beyond"}
STRICT_UPPER_WORDS = {"fewer than", "less than", "under"}
QUALIFIERS_AFTER: dict[str, str] = {"or more": "at_least", "or so": "approximate", "plus": "at_least",
                                    "or fewer": "at_most", "or less": "at_most"}

# Nationality adjectives -> the country they name (actors; places come from the gazetteer).
DEMONYMS = {
    "north korean": "North Korea", "north koreans": "North Korea", "south korean": "South Korea",
    "russian": "Russia", "russians": "Russia", "ukrainian": "Ukraine", "ukrainians": "Ukraine",
    "american": "United States", "americans": "United States", "u.s.": "United States", "us": "United States",
    "british": "United Kingdom", "chinese": "China", "iranian": "Iran", "israeli": "Israel",
    "palestinian": "Palestine", "syrian": "Syria", "syrians": "Syria", "turkish": "Turkey", "german": "Germany",
    "french": "France", "polish": "Poland", "belarusian": "Belarus", "indian": "India", "pakistani": "Pakistan",
    "afghan": "Afghanistan", "iraqi": "Iraq", "lebanese": "Lebanon", "yemeni": "Yemen", "sudanese": "Sudan",
    "ethiopian": "Ethiopia", "japanese": "Japan", "mexican": "Mexico", "canadian": "Canada",
    "puerto rican": "Puerto Rico", "haitian": "Haiti", "nigerian": "Nigeria", "somali": "Somalia",
    "libyan": "Libya", "egyptian": "Egypt", "saudi": "Saudi Arabia", "venezuelan": "Venezuela",
    "cuban": "Cuba", "korean": "Korea", "european": "Europe", "nato": "NATO",
}
# Counted nouns -> the measure they suggest when no verb decides.
NOUN_MEASURES = {
    "troops": "troops_deployed", "soldiers": "troops_deployed", "fighters": "troops_deployed",
    "servicemen": "troops_deployed", "personnel": "troops_deployed", "forces": "troops_deployed",
    "mercenaries": "troops_deployed", "contractors": "troops_deployed", "men": "troops_deployed",
    "conscripts": "troops_deployed", "reservists": "troops_deployed", "koreans": "troops_deployed",
    "dead": "killed", "deaths": "killed", "fatalities": "killed", "bodies": "killed", "lives": "killed",
    "victims": "killed", "killed": "killed", "casualties": "casualties", "wounded": "injured",
    "injured": "injured", "injuries": "injured", "missing": "missing", "refugees": "displaced",
    "evacuees": "displaced", "displaced": "displaced", "homeless": "displaced", "arrests": "arrested",
    "viewers": "tv_viewers", "audience": "tv_viewers", "riders": "metro_trips", "trips": "metro_trips",
    "rides": "metro_trips", "passengers": "passengers", "protesters": "crowd_size",
    "demonstrators": "crowd_size", "marchers": "crowd_size", "attendees": "crowd_size",
    "spectators": "crowd_size", "shells": "munitions_supplied", "rounds": "munitions_supplied",
    "munitions": "munitions_supplied", "missiles": "munitions_supplied", "rockets": "munitions_supplied",
    "drones": "drones_launched", "buildings": "buildings_destroyed", "homes": "homes_damaged",
    "houses": "homes_damaged", "apartments": "homes_damaged", "structures": "buildings_destroyed",
    "prisoners": "prisoners", "convicts": "convicts_recruited", "hostages": "hostages",
    "customers": "people_without_power", "households": "households", "vehicles": "vehicles",
    "tanks": "tanks", "aircraft": "aircraft", "jets": "aircraft", "ships": "ships",
}
# Verbs and phrases near a figure -> measure. Checked nearest first.
CUE_MEASURES: list[tuple[str, str]] = [
    ("death toll", "killed"), ("deaths", "killed"), ("death", "killed"), ("killed", "killed"),
    ("killing", "killed"), ("died", "killed"), ("die", "killed"), ("dead", "killed"), ("perished", "killed"),
    ("lost their lives", "killed"), ("fatalities", "killed"), ("bodies", "killed"), ("toll", "killed"),
    ("injured", "injured"), ("injuring", "injured"), ("wounded", "injured"), ("wounding", "injured"),
    ("hurt", "injured"), ("injuries", "injured"), ("casualties", "casualties"),
    ("missing", "missing"), ("displaced", "displaced"), ("evacuated", "displaced"), ("fled", "displaced"),
    ("homeless", "displaced"), ("arrested", "arrested"), ("detained", "arrested"),
    ("without power", "people_without_power"), ("without electricity", "people_without_power"),
    ("lost power", "people_without_power"),
    ("collapsed", "buildings_destroyed"), ("toppled", "buildings_destroyed"), ("destroyed", "buildings_destroyed"),
    ("damaged", "buildings_damaged"),
    ("ridership", "metro_trips"), ("metro", "metro_trips"), ("subway", "metro_trips"), ("trips", "metro_trips"),
    ("viewers", "tv_viewers"), ("tuned in", "tv_viewers"), ("audience", "tv_viewers"),
    ("audiences", "tv_viewers"), ("ratings", "tv_viewers"), ("riders", "metro_trips"), ("rides", "metro_trips"),
    ("fighters", "troops_deployed"), ("troops", "troops_deployed"), ("soldiers", "troops_deployed"),
    ("crowd", "crowd_size"), ("attended", "crowd_size"), ("attendance", "crowd_size"), ("crowds", "crowd_size"),
    ("attract", "crowd_size"), ("attracted", "crowd_size"), ("participated", "crowd_size"), ("drew", "crowd_size"),
    ("body count", "killed"), ("lost", "killed"), ("losses", "killed"), ("power", "people_without_power"),
    ("station entries", "metro_trips"), ("entries", "metro_trips"), ("ridden", "metro_trips"),
    ("turned out", "crowd_size"), ("turnout", "crowd_size"), ("marched", "crowd_size"), ("rally", "crowd_size"),
    ("gathered", "crowd_size"), ("protest", "crowd_size"), ("march", "crowd_size"),
    ("deployed", "troops_deployed"), ("stationed", "troops_deployed"), ("sent", "troops_deployed"),
    ("recruited", "recruited"), ("supplied", "munitions_supplied"), ("ammunition", "munitions_supplied"),
    ("spent", "spending"), ("spending", "spending"), ("cost", "spending"), ("budget", "spending"),
]
PERSON_NOUNS = {"troops", "soldiers", "fighters", "servicemen", "personnel", "forces", "mercenaries", "men",
                "conscripts", "koreans", "victims", "contractors", "convicts", "prisoners"}
MEASURE_OF_PEOPLE = {"people", "persons", "civilians", "residents", "children", "women", "adults", "others",
                     "individuals", "citizens", "inhabitants", "villagers", "migrants", "patients", "workers"}

# Measures whose figures are tallies of harm at a place: keyed per country.
PLACE_SCOPED_MEASURES = {"killed", "injured", "missing", "displaced", "casualties", "buildings_destroyed",
                         "buildings_damaged", "homes_damaged", "people_without_power", "arrested"}
# Event nouns that make a casualty figure one incident (key includes its date), not a running tally.
INCIDENT_NOUNS = {"airstrike", "airstrikes", "air strike", "drone", "drones", "missile", "missiles", "shelling",
                  "bombing", "strike", "strikes", "explosion", "blast", "shooting", "raid", "ambush", "attack"}
# Event nouns that name a running story (actor of a casualty tally).
EVENT_NOUNS = ["earthquake", "earthquakes", "quake", "quakes", "hurricane", "typhoon", "cyclone", "storm", "flood", "flooding",
               "wildfire", "fire", "tsunami", "landslide", "eruption", "famine", "epidemic", "outbreak",
               "pandemic", "inauguration", "march", "war", "invasion", "offensive", "mutiny", "battle",
               "siege", "protest", "protests", "election", "crash", "collision", "heatwave"]

ATTRIBUTION_VERBS = {
    "said", "says", "say", "reported", "reports", "report", "told", "tells", "estimated", "estimates",
    "estimate", "confirmed", "confirms", "announced", "announces", "claimed", "claims", "claim", "warned",
    "warns", "stated", "states", "tweeted", "posted", "wrote", "writes", "added", "noted", "insisted",
    "believes", "believe", "believed", "counted", "recorded", "found", "finds", "showed", "shows", "show",
    "put", "puts", "put the", "revealed", "disclosed", "acknowledged", "admitted", "alleged", "asserted",
    "explained", "indicated", "suggested", "concluded", "calculated", "projected", "predicted", "expects",
    "expected", "argued", "testified", "declared", "informed", "briefed", "assessed", "assesses",
    "according", "cited", "quoted", "published", "released", "tallied", "registered", "documented",
    "placed", "put", "raised", "revised", "lowered", "updated", "pegged", "provided", "gave", "listed",
}
# Nouns that make a lowercase phrase a plausible source ("city officials", "intelligence sources").
SOURCE_NOUNS = {
    "officials", "official", "authorities", "authority", "researchers", "scientists", "lawmakers", "sources",
    "source", "police", "ministry", "government", "agency", "analysts", "experts", "organizers", "organisers",
    "spokesman", "spokeswoman", "spokesperson", "mayor", "governor", "minister", "department", "office",
    "service", "intelligence", "military", "army", "administration", "media", "outlets", "study", "survey",
    "commission", "committee", "council", "group", "officers", "medics", "rescuers", "hospital", "hospitals",
    "estimates", "data", "census", "statistics", "president", "secretary", "commander", "monitor", "monitors",
    "observers", "diplomats", "leader", "leaders", "residents", "witnesses", "activists", "legislators",
}
PERSON_TITLES = {
    "president", "prime minister", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson",
    "general", "gen.", "maj.", "major", "colonel", "col.", "lt.", "lieutenant", "admiral", "adm.", "sen.",
    "senator", "rep.", "representative", "governor", "gov.", "mayor", "chancellor", "ambassador", "director",
    "chief", "commander", "dr.", "mr.", "mrs.", "ms.", "professor", "prof.", "king", "queen", "pope",
    "leader", "head", "advisor", "adviser", "coordinator", "press secretary", "defector", "analyst",
}
PROJECTION_CUES = ("expected", "expects", "expect", "could", "may ", "might", "will ", "would", "plans to",
                   "plan to", "planned", "planning", "projected", "projection", "forecast", "predicted",
                   "likely to", "set to", "poised to", "to increase", "to rise", "to reach", "to grow",
                   "imminently", "by the end of", "in the coming", "is preparing", "are preparing", "intends",
                   "aims to", "will be", "could reach", "may reach", "prepared to send", "ready to send",
                   "to send", "to deploy")
ESTIMATE_CUES = ("estimate", "estimated", "estimates", "estimating", "study", "studies", "analysis",
                 "analyses", "believed", "likely", "extrapolat", "survey", "model", "researchers",
                 "excess deaths", "assessment", "assessed", "calculated", "projected", "thought to",
                 "approximate figure", "approximate number", "extrapolat", "statistical", "review found", "review of")
DENIAL_CUES = ("fake news", "denied", "denies", "deny", "denying", "dismissed", "dismisses", "false",
               "falsely", "untrue", "baseless", "fabricated", "fabrication", "refuted", "refutes", "rejected",
               "rejects", "lies", "not true", "no evidence", "hoax", "propaganda", "disinformation",
               "misinformation", "debunked", "exaggerated")
RETRACTION_CUES = ("retracted", "retracts", "withdrew", "withdrawn", "corrected", "correction", "erroneous",
                   "revised down", "walked back")
CUMULATIVE_CUES = ("since ", "so far", "to date", "in total", "total of", "cumulative", "overall",
                   "altogether", "in all", "all told", "throughout", "over the course", "running total")
SUM_CUES = ("in total", "total of", "overall", "altogether", "in all", "all told")  # a whole, not a running tally
INCREMENT_AFTER = ("more", "additional", "extra", "further", "new")
INCREMENT_BEFORE = ("another", "an additional", "a further", "an extra", "additional")
# Frequent verbs that end a counted-noun phrase ("thousands of soldiers continue to fight").
COMMON_VERBS = {
    "continue", "continues", "continued", "remain", "remains", "remained", "fight", "fights", "fought", "live",
    "lives", "lived", "work", "works", "die", "dies", "arrive", "arrives", "stay", "stays", "face", "faces",
    "need", "needs", "make", "makes", "made", "take", "takes", "took", "come", "comes", "came", "go", "goes",
    "went", "flee", "flees", "join", "joins", "joined", "serve", "serves", "wait", "waits", "attend", "attends",
    "watch", "watched", "gather", "gathered", "lost", "lose", "get", "got", "gets", "became", "become", "becomes",
    "begin", "began", "keep", "kept", "help", "helped", "try", "tried", "want", "wanted", "seem", "seemed",
    "appear", "appeared", "do", "did", "does", "marched", "march", "rode", "ride", "crowded", "packed", "filled",
    "descended", "showed", "turned", "flocked", "lined", "poured", "stood", "waited", "tuned", "streamed",
}
# The counted noun a figure implies when the text names none ("the death toll rose to 64").
MEASURE_ENTITIES = {
    "killed": "deaths", "injured": "injured people", "missing": "missing people", "displaced": "displaced people",
    "casualties": "casualties", "tv_viewers": "TV viewers", "metro_trips": "Metro riders (trips)",
    "crowd_size": "people", "troops_deployed": "troops", "munitions_supplied": "munitions",
    "people_without_power": "people without power", "buildings_destroyed": "buildings",
    "buildings_damaged": "buildings", "spending": "USD",
}
