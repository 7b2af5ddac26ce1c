"""Word lists that tell names, titles, places and organisations apart.

No model: SameStory runs where no pretrained tagger can be installed, so the
people, places and organisations in news text are recognised from capitalised
spans plus the lists below. Titles come from nameparser (its 800 honorifics
and job titles, minus a few that are ordinary capitalised words), countries
from pycountry (ISO 3166 names, common names and subdivisions). Everything
here is lower-case and looked up after lower-casing.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import pycountry
from nameparser.config import CONSTANTS as NAME_CONSTANTS

# nameparser titles that are far more often ordinary words or name parts in news.
_NOT_TITLES = frozenset(
    """
    her his me most first rock blues voice discovery mystery family group credit risk
    knowledge information banner met united states kingdom national federal royal
    supreme high right grand english british uk us army navy police law tax social
    computer software marketing advertising strategy analytics film television radio
    opera theater theatre soccer baseball ballet classical comic private mobster
    """.split()
)
_EXTRA_TITLES = frozenset(
    """
    spokesman spokeswoman spokesperson negotiator defense defence foreign interior
    finance economy economic health justice education environment energy trade
    transport labour labor agriculture culture development digital home head deputy
    vice former acting then ex interim chief top senior junior secretary-general
    undersecretary under-secretary state minister ministers president presidents
    chancellor premier mayor governor senator congressman congresswoman lawmaker
    lawmakers ambassador envoy commissioner chairman chairwoman chairperson ceo
    leader opposition sen rep gov gen lt col maj capt sgt adm cmdr supt insp amb
    atty pres mr mrs ms dr prof rev fr msgr hon prosecutor mp mep mk mla lawyer attorney
    analyst economist strategist pollster coach manager striker goalkeeper midfielder
    rapper host anchor commentator columnist reporter pundit quarterback
    """.split()
)
TITLE_WORDS = frozenset(
    {title.lower().rstrip(".") for title in NAME_CONSTANTS.titles} - _NOT_TITLES
) | _EXTRA_TITLES

NAME_PARTICLES = frozenset(
    """
    van von de der den dem da das del della di du dos la le ter vel bin ibn al el zu
    op ten dei degli
    """.split()
)

# Capitalised words that start sentences or phrases but never start a name.
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those it its his her their our my your we they he she i
    you in on at by to of for from with without into onto over under after before
    during since until while when whenever where whereas if unless because although
    though as than but and or nor so yet also even still then now however meanwhile
    moreover furthermore nevertheless instead despite amid among between against
    according following including like unlike about above across along around behind
    beyond near outside inside through throughout toward towards upon via what which
    who whom whose why how whether not no yes all both each every either neither some
    many most more much few several such other another any only just there here
    today yesterday tomorrow last next early late earlier later once twice thus hence
    perhaps maybe indeed already again ever never always often sometimes please thank
    thanks dear hello oh ok okay well sure let let's here's there's it's that's
    what's who's we're they're i'm i've we've you're don't can't won't didn't
    doesn't isn't aren't wasn't weren't one two three four five six seven eight nine ten
    eleven twelve twenty hundred thousand million billion dozens hundreds thousands
    millions second third fourth fifth
    """.split()
)
CALENDAR_WORDS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december jan feb mar apr
    jun jul aug sep sept oct nov dec christmas easter ramadan
    """.split()
)

# The last word of an organisation's name ("Russian Foreign Ministry").
ORGANISATION_HEADS = frozenset(
    """
    ministry ministries party agency council commission committee union bank court
    courts parliament assembly congress senate army navy police department office
    organization organisation association institute institution university college
    school academy company corporation corp inc ltd llc plc group fund alliance forces
    force guard service services administration authority bureau board foundation
    center centre times post news journal press network tribune herald gazette
    telegraph guardian review magazine television tv radio channel broadcaster
    airlines airways railways motors bureau federation league club team church
    mission cabinet government regime kremlin pentagon parliament duma bundestag show
    podcast
    rada knesset coalition movement front brigade brigades battalion regiment
    command ministry secretariat tribunal prosecutor's directorate observatory
    hospital clinic laboratory laboratories lab studios records foundation trust
    society chamber exchange reserve treasury staff unit corps caucus delegation circuit
    """.split()
)
# The first word of an organisation's name ("Ministry of Defence").
ORGANISATION_LEADS = frozenset(
    "ministry department university bank office institute council court house".split()
)
KNOWN_ORGANISATIONS = frozenset(
    """
    nato un eu who imf opec osce fbi cia nsa kgb fsb gru mi6 nasa un-security-council
    reuters interfax tass ria afp ap dpa ansa efe bloomberg xinhua cnn bbc nbc abc cbs
    fox msnbc npr pbs nytimes politico axios kremlin pentagon hamas hezbollah taliban
    isis isil al-qaeda google facebook meta twitter apple amazon microsoft tesla
    gazprom rosneft wagner greenpeace amnesty unicef unesco wto g7 g20 brics asean
    """.split()
) | {"white house", "downing street", "the kremlin", "red cross", "european union",
     "united nations", "security council", "world bank", "foreign office",
     "supreme court", "justice department", "state department", "european commission",
     "european parliament", "federal reserve", "wall street", "elysee palace",
     "élysée palace", "human rights watch", "amnesty international", "al qaeda",
     "al-qaeda", "al shabaab", "al-shabaab", "islamic state", "boko haram", "fox news",
     "planned parenthood", "black lives matter", "the associated press", "associated press"}

# Nationality adjectives: descriptors before a name, never part of it.
DEMONYMS = frozenset(
    """
    afghan albanian algerian american andorran angolan argentine argentinian armenian
    australian austrian azerbaijani azeri bahraini bangladeshi belarusian belgian
    bolivian bosnian brazilian british bulgarian burmese cambodian cameroonian
    canadian chadian chilean chinese colombian congolese croatian cuban cypriot czech
    danish dutch ecuadorian egyptian emirati english eritrean estonian ethiopian
    european filipino finnish french georgian german ghanaian greek guatemalan haitian
    honduran hungarian icelandic indian indonesian iranian iraqi irish israeli italian
    ivorian jamaican japanese jordanian kazakh kenyan korean kosovar kurdish kuwaiti
    kyrgyz lao latvian lebanese liberian libyan lithuanian luxembourgish macedonian
    malagasy malaysian malian maltese mexican moldovan mongolian montenegrin
    moroccan mozambican namibian nepalese nigerian nigerien norwegian omani pakistani
    palestinian panamanian paraguayan persian peruvian polish portuguese qatari
    romanian russian rwandan saudi scottish senegalese serbian singaporean slovak
    slovenian somali african asian spanish sudanese swedish swiss syrian taiwanese
    tajik tanzanian thai tunisian turkish turkmen ugandan ukrainian uruguayan uzbek
    venezuelan vietnamese welsh yemeni zambian zimbabwean western eastern northern
    southern soviet arab latin nordic baltic balkan transatlantic pro-russian
    pro-kremlin pro-western us u.s. uk eu un democratic republican conservative
    liberal socialist communist green labour
    """.split()
)

# Role nouns that stand for a named person ("the Ukrainian ambassador").
ROLE_NOUNS = frozenset(
    """
    ambassador minister president chancellor premier negotiator spokesman
    spokeswoman spokesperson mayor governor senator congressman congresswoman
    secretary envoy diplomat commander general prosecutor judge chairman chairwoman
    chair ceo director head leader chief adviser advisor aide
    lawmaker representative commissioner king queen prince pope monarch delegate
    attorney lawyer coach manager founder owner economist analyst expert professor
    researcher scientist doctor spokesperson mother father wife husband son daughter
    brother sister widow witness victim resident activist candidate nominee speaker
    """.split()
)
# Roles newsrooms use for people they do not name ("a senior official said"): kept as a
# mention, never resolved to someone the article names for another reason.
ANONYMOUS_ROLES = frozenset("official officer source insider staffer person".split())
# Plural or collective subjects: a quote after "officials said" has no single speaker.
GROUP_NOUNS = frozenset(
    """
    officials police authorities democrats republicans conservatives liberals critics
    experts analysts observers sources diplomats leaders lawmakers residents witnesses
    protesters people investigators prosecutors organizers organisers researchers
    scientists economists doctors activists supporters opponents voters members
    negotiators ministers representatives delegates officers soldiers troops staff
    """.split()
)

FEMALE_WORDS = frozenset(
    """
    she her mrs ms miss madam madame mme lady dame queen princess duchess countess
    baroness spokeswoman chairwoman congresswoman councilwoman businesswoman actress
    mother wife daughter sister grandmother widow girlfriend aunt niece woman
    """.split()
)
MALE_WORDS = frozenset(
    """
    he him his mr sir lord king prince duke count baron spokesman chairman congressman
    councilman businessman actor father husband son brother grandfather widower
    boyfriend uncle nephew man
    """.split()
)

# Common given names of public figures in English-language news, for "she said" to skip
# a man named in between (and "he said" a woman). A name in neither list is compatible
# with both pronouns.
FEMALE_GIVEN_NAMES = frozenset(
    """
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    margaret betty sandra ashley dorothy kimberly emily donna michelle carol amanda melissa
    deborah stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna
    brenda pamela nicole emma samantha katherine christine debra rachel catherine carolyn
    janet ruth maria heather diane virginia julie joyce victoria olivia kelly christina
    lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline frances gloria
    ann teresa kathryn sara janice jean alice madison doris abigail julia judy grace denise
    amber marilyn beverly danielle theresa sophia marie diana brittany natalie isabella
    charlotte rose alexis kayla hillary kamala nikki ilhan alexandria elise tulsi kirsten
    dianne marsha susan liz kristi sarah huckabee ursula angela annalena theresa nicola
    giorgia marine jacinda sanna mette kaja ivanka melania michelle jill condoleezza
    madeleine janet christine ruth sonia elena amy kyrsten maxine nancy tara
    """.split()
) - {"jean"}
MALE_GIVEN_NAMES = frozenset(
    """
    james robert john michael william david richard joseph thomas charles christopher
    daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george
    timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry
    justin scott brandon benjamin samuel gregory alexander frank patrick raymond jack dennis
    jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah
    jeremy christian keith roger terry gerald harold sean austin carl arthur lawrence dylan
    jesse jordan bryan billy joe bruce gabriel logan albert willie alan juan wayne elijah
    randy roy vincent ralph eugene russell bobby mason philip louis barack bernie mitch
    chuck ted marco rand lindsey mike rudy rick jeb newt bill hunter beau vladimir volodymyr
    dmitry sergei emmanuel olaf boris rishi keir xi recep benjamin mohammed muhammad ali
    ahmed hassan abdel kim jens antony lloyd merrick jerome jay pete ron greg kevin tim
    """.split()
) - {"kim", "terry", "jordan", "christian"}
_COUNTRY_ALIASES = {
    "russia": "Russia", "britain": "United Kingdom", "great britain": "United Kingdom",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "england": "United Kingdom",
    "scotland": "United Kingdom", "wales": "United Kingdom", "us": "United States",
    "u.s.": "United States", "usa": "United States", "u.s.a.": "United States",
    "america": "United States", "united states of america": "United States",
    "turkey": "Turkey", "czech republic": "Czech Republic", "holland": "Netherlands",
    "the netherlands": "Netherlands", "ivory coast": "Côte d'Ivoire", "kosovo": "Kosovo",
    "palestine": "Palestine", "vatican": "Holy See", "burma": "Myanmar",
    "south korea": "South Korea", "north korea": "North Korea", "iran": "Iran",
    "syria": "Syria", "vietnam": "Vietnam", "taiwan": "Taiwan", "laos": "Laos",
    "bolivia": "Bolivia", "venezuela": "Venezuela", "tanzania": "Tanzania",
    "moldova": "Moldova", "congo": "Congo", "macedonia": "North Macedonia",
    "swaziland": "Eswatini", "east timor": "Timor-Leste", "brunei": "Brunei",
}
# ISO names that English news never uses.
_DISPLAY_NAMES = {"Russian Federation": "Russia", "Türkiye": "Turkey", "Czechia": "Czech Republic"}
_SUBDIVISION_COUNTRIES = frozenset("US CA AU IN CN DE MX BR".split())

# Cities and regions often in the news; "_" joins the words of a multi-word name.
_CITIES_AND_REGIONS = """
    moscow kyiv kiev kharkiv kherson odesa odessa mariupol lviv dnipro chernihiv
    zaporizhzhia bakhmut donetsk luhansk donbas donbass crimea sevastopol mykolaiv
    minsk warsaw berlin brussels paris london madrid rome vienna prague budapest
    bucharest sofia athens ankara istanbul tehran baghdad damascus beirut jerusalem
    tel_aviv gaza gaza_strip cairo riyadh doha dubai kabul islamabad delhi new_delhi
    mumbai beijing shanghai hong_kong taipei tokyo seoul pyongyang manila jakarta
    bangkok hanoi sydney canberra ottawa toronto montreal vancouver washington
    washington_dc new_york new_york_city chicago los_angeles san_francisco boston
    miami houston dallas atlanta seattle philadelphia detroit denver phoenix
    mexico_city havana caracas bogota lima santiago brasilia sao_paulo rio
    buenos_aires geneva zurich bern munich frankfurt hamburg cologne stuttgart
    dresden leipzig amsterdam the_hague rotterdam copenhagen oslo stockholm helsinki
    tallinn riga vilnius dublin edinburgh lisbon belgrade zagreb sarajevo tbilisi
    yerevan baku astana almaty tashkent nairobi lagos johannesburg cape_town
    addis_ababa khartoum tripoli tunis algiers rabat davos strasbourg luxembourg
    monaco normandy bavaria siberia chechnya europe asia africa antarctica arctic
    balkans caucasus middle_east scandinavia mediterranean latin_america
    north_america south_america east_asia central_asia eastern_europe western_europe
    west_bank golan sinai kashmir tibet xinjiang kurdistan silicon_valley
    capitol_hill brooklyn manhattan bronx harlem
"""
PLACE_NAMES = frozenset(word.replace("_", " ") for word in _CITIES_AND_REGIONS.split())


@functools.lru_cache(maxsize=131_072)
def fold(text: str) -> str:
    """Lower-case, accents removed: the key for every lookup and name comparison."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _fold_table() -> dict[int, str]:
    table = {code: chr(code).lower() for code in range(ord("A"), ord("Z") + 1)}
    for code in range(0x80, 0x2000):
        char = chr(code)
        base = fold(char)
        if len(char.lower()) != 1 or not base:
            table[code] = char
        elif base != char:
            table[code] = base[0]
    return table


def fold_keeping_offsets(text: str) -> str:
    """:func:`fold` one character for one character, so offsets still match ``text``."""
    return text.translate(_FOLD_TABLE)


def _country_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        display = getattr(country, "common_name", None) or country.name
        display = _DISPLAY_NAMES.get(display, display)
        for name in (country.name, display, getattr(country, "official_name", None)):
            if name:
                table[fold(name)] = display
    for alias, display in _COUNTRY_ALIASES.items():
        table[alias] = display
    return table


def _subdivision_names() -> frozenset[str]:
    """Top-level states and provinces of the countries whose regions news names most.

    Every ISO subdivision would turn surnames into places ("Nelson", "Hanover").
    """
    names = set()
    for subdivision in pycountry.subdivisions:
        if subdivision.country_code in _SUBDIVISION_COUNTRIES and subdivision.parent_code is None:
            names.add(fold(subdivision.name))
    return frozenset(names)


@functools.cache
def _tables() -> tuple[dict[str, str], frozenset[str]]:
    return _country_table(), _subdivision_names()


def country_name(text: str) -> str | None:
    """The display name of the country ``text`` names ("USA" → "United States"), else None."""
    return _tables()[0].get(fold(text))


def is_place(text: str) -> bool:
    """Whether ``text`` is a country, an ISO subdivision or a listed city or region."""
    key = fold(text)
    countries, subdivisions = _tables()
    return key in countries or key in PLACE_NAMES or key in subdivisions


_FOLD_TABLE = _fold_table()


def word_alternation(words) -> str:
    """A regex alternation matching exactly ``words``, shaped as a trie.

    A flat ``a|b|c…`` of a hundred words is tried word by word at every
    position of the text; the trie shares prefixes, so the regex engine
    rejects most positions on their first character (several times faster).
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict) -> str:
    ends = "" in node
    branches = [re.escape(char) + _trie_pattern(child)
                for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
    if len(branches) > 1 and not ends:
        return body
    return f"(?:{body})?" if ends else body
