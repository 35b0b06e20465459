"""Who a figure is attributed to: 'according to X', 'X said', 'said X', a quote's speaker, a pronoun's person."""
from __future__ import annotations

import re
from functools import lru_cache

from services.extractor.extraction import lexicon as lx
from services.extractor.extraction.parse import current
from services.extractor.extraction.sentences import without_other_brackets
from services.extractor.extraction.speakers import tree_source

# Almost any surname is some town: a name is a place here only as a country, a region or a city this big.
_PLACE_NOT_PERSON_POPULATION = 100_000

_VERB_FORMS = sorted(lx.ATTRIBUTION_VERBS | {"saying", "claiming", "reporting", "estimating", "warning",
                                              "labeled", "labelled", "called", "dismissed", "denied", "denies",
                                              "rejected", "insisting", "adding", "noting", "announcing",
                                              # revising a tally is stating a figure: "X raised the toll to N"
                                              "upped", "raised", "lowered", "revised"},
                     key=len, reverse=True)
_VERB_RE = re.compile(r"\b(" + "|".join(re.escape(v) for v in _VERB_FORMS if v != "according") + r")\b", re.I)
_ACCORDING_RE = re.compile(r"\b(?:according to|per|citing|data from|figures from|estimates? (?:by|from))\s+"
                           r"(?P<src>[^.;:()“,]+?)(?=\s*(?:[.;:()“,]|,\s+(?:which|who|and|but|while|as)\b|"
                           r",\s+(?:the|a)\s+[a-z]|$|\s+(?:that|who|which|in\s+(?:a|an|the)\s+[a-z]+\s+"
                           r"(?:published|released)|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|"
                           r"sunday))\b))", re.I)
_TRAILING_SAID_RE = re.compile(r"[,—–][”\"’]?\s*(?P<src>[^,;:“”\"]{2,120}?)\s+(?:said|says|reported|reports|estimated|"
                               r"estimates|claimed|claims|insisted|tweeted|posted|told\s+[A-Z][\w’']*(?:\s+[A-Z][\w’']*)*|added|wrote|noted|confirmed|"
                               r"warned|stated|announced)\b[^,;]*[.!?”\"’]*\s*$")
_SAID_X_RE = re.compile(r"[,”\"]\s*(?:said|says|according to|added|wrote|noted)\s+(?P<src>[^,.;“”\"]{2,90})")
_PASSIVE_AGENT_RE = re.compile(r"\b(?:was|were|is|are|been)\s+(?:made|released|published|conducted|compiled|produced|"
                               r"carried\s+out|issued|reported|estimated|calculated|announced|confirmed)\s+by\s+"
                               r"(?P<src>[^.;:()“”\"]+?)\s*(?:[.;:()“”\"]|$)", re.I)
_AS_CREDITED_RE = re.compile(r"[^.;]{0,40}?\bas\s+(?:announced|reported|stated|given|confirmed|counted|tallied)\s+by\s+"
                             r"(?P<src>[^.;:()“”\"]+?)\s*(?:[.;:()“”\"]|\s+(?:with|and|on|in|at|for)\s|$)", re.I)
_QUOTE_RE = re.compile(r"[“\"]([^”\"]*)[”\"]?")
_LEADING_NOISE = re.compile(r"^(?:(?:and|but|meanwhile|however|while|as|when|also|separately|in addition|"
                            r"instead|yet|so|then|still|now|earlier|later|previously|moreover|further|"
                            r"on the other hand|the|a|an)\b[\s,]*)+", re.I)
_TRAILING_NOISE = re.compile(r"(?:(?:^|\s+)(?:has|have|had|also|previously|later|separately|already|again|once|"
                             r"recently|first|then|initially|now|officially|publicly|has also|have also|"
                             r"had also|on\s+\w+day|last\s+\w+|this\s+\w+|on\s+\w+|in\s+a\s+\w+|in\s+an\s+\w+|"
                             r"in\s+\w+|will|would|could|may|might|is|are|was|were|been|being|not|never|"
                             r"repeatedly|consistently|widely|(?:released|published|issued)(?:\s+on)?\s+\w+|"
                             r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday))+$", re.I)
_NAME_RE = re.compile(r"\b(?:[A-Z][a-zà-ÿ’'-]+|[A-Z]\.)(?:\s+(?:[A-Z][a-zà-ÿ’'-]+|[A-Z]\.|(?:al-|bin|de|van|von)\b))+")
_RELATIVE_START = re.compile(r"^\s*(?:which|who|whose|where|in\s+which)\b", re.I)
_NOT_NAMES = ({t.title() for t in lx.PERSON_TITLES} | {"The", "This", "That", "North", "South", "East", "West",
              "Major", "General", "Minister", "President", "Secretary", "Defense", "Defence", "Foreign", "Prime",
              "National", "Security", "Advisor", "Adviser", "Spokesman", "Press", "Deputy", "Chief", "Senior",
              "State", "Department", "Ministry", "White", "House", "Pentagon", "Kremlin", "Sen", "Rep"})
_MAX_SOURCE_WORDS = 16
_PRONOUN_RE = re.compile(r"^(he|she|they|it|we|i)$", re.I)


def plausible(source: str) -> bool:
    """A name, or a phrase whose words say who speaks ('city officials'); not a stray clause."""
    words = source.split()
    lowered = [re.sub(r"(?:[’']s)?\W*$", "", w.lower()).strip("“\"’'") for w in words]
    if any(w in ("was", "were", "is", "are", "surveyed", "contrast", "replacing", "interview") for w in lowered):
        return False
    if lowered[0] in lx.EVENT_NOUNS or lowered[0].rstrip("s") in lx.EVENT_NOUNS or lowered[-1] in lx.WEEKDAYS:
        return False
    if words[0][:1].isupper() or words[0][:1] in "“\"":
        return True
    return any(w in lx.SOURCE_NOUNS for w in lowered)


def clean_source(raw: str) -> str | None:
    text = raw.strip(" ,;:—–-\"“”'’")
    text = _LEADING_NOISE.sub("", text).strip()
    text = _TRAILING_NOISE.sub("", text).strip(" ,")
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    words = text.split()
    if not words or len(words) > _MAX_SOURCE_WORDS:
        return None
    if any(ch.isdigit() for ch in text):
        return None
    if words[0].lower() in {"it", "this", "that", "there", "these", "those", "which", "who", "what", "some"}:
        return None
    if not _PRONOUN_RE.match(text) and not plausible(text):
        return None
    return text


def persons_in(text: str) -> list[str]:
    """Names of people in order of mention ('Pat Ryder', 'Timothy Cho'), titles removed."""
    names = []
    for match in _NAME_RE.finditer(text):
        words = [w for w in match.group().split() if w.rstrip(".") not in _NOT_NAMES and w not in _NOT_NAMES]
        while words and _LEADING_NOISE.match(words[0] + " "):
            words = words[1:]  # "While Putin": a conjunction that starts the sentence is not a first name
        if words and re.search(r"[’']s$", words[-1]):
            continue  # "Wagner Group's": a possessive names an owner, not a speaker
        if len(words) < 2 or _names_place(" ".join(words)):
            continue
        if any(_names_country(w) or w.lower() in lx.EVENT_NOUNS or w.lower().rstrip("s") in lx.EVENT_NOUNS
               for w in words):
            continue  # "Hurricanes Maria": an event, not a person; "Syrian Arab Red Crescent": not a person
        names.append(" ".join(words))
    return names


def _lookup(name: str) -> list:
    # imported on first use, so `python -m services.extractor.extraction.gazetteer` runs it only once
    from services.extractor.extraction.gazetteer import get_gazetteer
    return get_gazetteer().lookup(name)


@lru_cache(maxsize=8192)
def _names_place(name: str) -> bool:
    """'Cox's Bazar', 'North Kordofan': a country, a region or a large city, not a person."""
    return any(p.kind != "city" or (p.population or 0) >= _PLACE_NOT_PERSON_POPULATION
               for p in _lookup(name))


@lru_cache(maxsize=8192)
def _names_country(word: str) -> bool:
    """'Russian', 'Turkey': one word that names a country, itself or by its demonym."""
    return any(p.kind == "country" for p in _lookup(word))


def expand_name(source: str, context: str) -> str:
    """'Cho' -> 'Timothy Cho' when the article named the person in full earlier."""
    if " " in source or not source[:1].isupper():
        return source
    for name in reversed(persons_in(context)):
        if name.split()[-1] == source:
            return name
    return source


def resolve_pronoun(pronoun: str, context: str) -> str | None:
    """'he'/'she' -> the person mentioned last, by full name or by surname alone ('Trump said, ...')."""
    if pronoun.lower() == "they":
        return _plural_antecedent(context)
    if pronoun.lower() not in ("he", "she"):
        return None
    people = persons_in(context)
    last_at: dict[str, int] = {}
    for name in people:
        surname = name.split()[-1]
        found = [m.start() for m in re.finditer(r"\b" + re.escape(surname) + r"\b", context)]
        if found:
            last_at[name] = max(found)
    role = _last_role(context)
    if role and (not last_at or role[1] > max(last_at.values())) and not persons_in(context[role[1]:]):
        return role[0]  # "The health minister toured the ward. ... she said": the person last mentioned
    if not people:
        return None
    return max(last_at, key=lambda name: last_at[name]) if last_at else people[-1]


# "the governor", "a police spokesman", "the health minister of the region": a person described by a title
_ROLE_RE = re.compile(r"\b(?:[Tt]he|[Aa]n?)\s+((?:[a-z]+\s+){0,2}?(?:" + "|".join(
    re.escape(t) for t in sorted(lx.PERSON_TITLES, key=len, reverse=True) if t.isalpha() or " " in t)
    + r"))\b(?!\s+[A-Z])(?:\s+of\s+((?:[A-Z][\w’'-]*\s*)+))?")


def _last_role(context: str) -> tuple[str, int] | None:
    """The person last described by a title rather than named, and where: ('governor of Upper Nile State', 210).
    A title before a name ('the governor Ana Lima') is the name's, and the name is found as a person."""
    found = None
    for match in _ROLE_RE.finditer(context[-600:]):
        role = match.group(1) + (f" of {match.group(2).strip()}" if match.group(2) else "")
        found = (role, len(context) - 600 + match.start() if len(context) > 600 else match.start())
    return found


_PLURAL_SPEAKERS_RE = re.compile(
    r"\b(?P<pair>[A-Z][\w’'-]+\s+[A-Z][\w’'-]+\s+and\s+[A-Z][\w’'-]+\s+[A-Z][\w’'-]+)|"
    r"\b(?P<group>(?:[A-Z][\w’'-]+\s+)*(?:officials|authorities|researchers|scientists|analysts|experts|"
    r"investigators|organizers|organisers))\b")


def _plural_antecedent(context: str) -> str | None:
    """'they' -> the last pair of named people or group of speakers mentioned ('Ana Ruiz and Tom Berg')."""
    found = None
    for match in _PLURAL_SPEAKERS_RE.finditer(context[-600:]):
        found = match.group("pair") or match.group("group")
    return found


def _subject_before(sentence: str, verb_start: int) -> str | None:
    before = sentence[:verb_start]
    segments = re.split(r",|;|:|\s—\s|\s–\s|\bthat\b|“|”|\"|\(|\)|\b(?:after|before|when|while|because|"
                        r"although|once|until)\b", before)
    segments = [s for s in segments if s.strip()]
    while segments and _RELATIVE_START.match(segments[-1]):
        segments.pop()
    # skip asides and bare auxiliaries: "Russia, on the other hand, has labeled ..."
    for segment in reversed(segments):
        if clean_source(segment):
            return segment
    return None


def attribute(sentence: str, figure_start: int, context: str, quote_open: bool = False) -> str | None:
    """The source of the figure at `figure_start` (offset in the sentence), or None if unattributed.

    `context` is the article text before the sentence, for pronouns and quote speakers. The dependency parse
    answers first (speakers.py); the word rules answer where it says nothing or no model is loaded."""
    credit = _AS_CREDITED_RE.match(sentence, figure_start)
    if credit:  # "35,418 as announced by President Erdogan": the credit next to the figure wins
        source = _resolve(credit.group("src"), context)
        if source:
            return source
    gapped = _gapped_credit(sentence, figure_start)
    if gapped:  # "police counted 8,000 and the unions 15,000": the verb is left out, its subject is not
        return gapped
    verdict = tree_source(sentence, figure_start, context, quote_open or inside_quote(sentence, figure_start))
    if verdict.decided:
        return verdict.source
    source = _by_rules(without_other_brackets(sentence, figure_start), figure_start, context, quote_open,
                       official=current() is None)
    return None if source and _holds_a_verb(sentence, source) else source


# "..., and the unions 15,000", "..., the opposition 300": a speaker noun (or a capitalised name) right before the
# figure, after a comma or a conjunction, with the figure ending its clause
_GAPPED_RE = re.compile(r"(?:,\s*(?:and|while|but|whereas)?|\b(?:and|while|but|whereas))\s+(?:the\s+)?"
                        r"(?P<src>(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*|(?:[A-Z][\w’'.-]*\s+){0,2}(?:[a-z]+\s+)?[a-z]+)\s+$")
_FIGURE_ENDS_CLAUSE_RE = re.compile(r"[\d.,]*\d(?:\s*(?:million|thousand|billion))?\s*(?:[,.;:)]|and\b|$)")


def _gapped_credit(sentence: str, figure_start: int) -> str | None:
    """The subject of a reporting verb left out in a second clause: 'police counted 8,000 marchers, and the
    unions 15,000'. Only after a clause with a reporting verb and a figure of its own, and only for a speaker
    noun or a name that is no place."""
    match = _GAPPED_RE.search(sentence, 0, figure_start)
    if match is None or not _FIGURE_ENDS_CLAUSE_RE.match(sentence, figure_start):
        return None
    before = sentence[:match.start()]
    if not re.search(r"\d", before) or not _VERB_RE.search(before):
        return None
    src = match.group("src")
    words = src.lower().split()
    if src[:1].isupper() and src.split()[-1][:1].isupper():
        if _names_place(src) or words[0] in lx.MONTHS or words[0] in lx.WEEKDAYS:
            return None
        return src
    return src if words[-1] in lx.SOURCE_NOUNS else None


def _holds_a_verb(sentence: str, source: str) -> bool:
    """Whether the parse reads a finite verb inside a source the word rules found ('Turnout also climbed'): a clause, not
    a speaker. False without a parse."""
    article = current()
    found = article.sentence_docs(sentence) if article is not None else None
    at = sentence.find(source)
    if found is None or at < 0:
        return False
    index, docs = found
    offset, doc = docs[index]
    # a finite verb only: 'Russian-held' and 'based in' belong to a speaker's description
    return any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc if at <= t.idx < at + len(source))


def _by_rules(sentence: str, figure_start: int, context: str, quote_open: bool, official: bool) -> str | None:
    candidates: list[tuple[int, str]] = []
    in_quote = quote_open or inside_quote(sentence, figure_start)
    if in_quote:
        # a quoted report names its own source ("'Altenburg and Still ... estimated that ...,' the report said")
        inner = _quoted_attribution(sentence, figure_start, context)
        if inner:
            return inner
        # the speaker of a quote outranks a credit such as "per an Al Jazeera translation"
        # a quote opened in an earlier sentence: mark it open so that only the words after it count as outside
        opened_before = quote_open and not inside_quote(sentence, figure_start)
        speaker = _quote_speaker(("“" if opened_before else "") + sentence, context)
        if speaker:
            return speaker

    # "X said/reported/estimated ... <figure>": the nearest speech verb before the figure
    for match in _VERB_RE.finditer(sentence):
        if match.start() >= figure_start:
            break
        if in_quote and inside_quote(sentence, match.start()):
            continue
        verb = match.group(1).lower()
        if re.search(r"\b(?:the|a|an|these|those|his|her|their|its|such|media|news|of|in)\s+(?:(?:official|new|"
                     r"latest|initial|final|revised|updated|own|previous|earlier|first|current|independent)\s+)?$",
                     sentence[:match.start()], re.I):
            continue  # "the reports", "a claim": a noun, not a speech verb
        if re.search(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$", sentence[:match.start()], re.I):
            continue  # "is widely believed", "was estimated": passive, the subject is not the source
        raw = _subject_before(sentence, match.start())
        if raw is None:
            continue
        inner_verb = _VERB_RE.search(raw)
        if inner_verb and clean_source(raw[:inner_verb.start()]):
            raw = raw[:inner_verb.start()]  # "The mayor said she doesn't think ...": the first speaker
        if verb.endswith("ing") and sentence[:match.start()].rstrip().endswith(","):
            # "South Korean lawmakers have weighed in, claiming ...": the main clause's subject
            raw = _main_subject(sentence[:match.start()])
        source = _resolve(raw, context)
        if source:
            candidates.append((0, source))
    if candidates:
        return candidates[-1][1]

    matches = list(_ACCORDING_RE.finditer(sentence))
    after = [m for m in matches if m.start() >= figure_start]
    match = after[0] if after else (matches[-1] if matches else None)
    if match:
        raw = match.group("src")
        # "the city's mayor, Ihor Terekhov": keep a name in apposition
        apposition = re.match(r",\s*([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3})\s*(?:[.,;]|$)", sentence[match.end():])
        if apposition:
            raw = f"{raw}, {apposition.group(1)}"
        source = _resolve(raw, context)
        if source:
            return source

    match = _PASSIVE_AGENT_RE.search(sentence)
    if match:
        source = _resolve(match.group("src"), context)
        if source:
            return source

    tail = sentence[figure_start:]
    for pattern in (_TRAILING_SAID_RE, _SAID_X_RE):
        match = pattern.search(tail)
        if match:
            source = _resolve(match.group("src"), context)
            if source:
                return source

    if in_quote:
        return _quote_speaker(sentence, context)
    # with a parse, speakers.py reads "the official toll" from the figure's own clause
    if (official and re.search(r"\bofficial\s+(?:death\s+)?(?:toll|count|tally|figures?)\b", sentence, re.I)) or (
            figure_start < 40 and re.match(r"\W*officially\b", sentence, re.I)):
        return "officials"  # "the official death toll": an official count, whoever announced it
    return None


def _quoted_attribution(sentence: str, figure_start: int, context: str) -> str | None:
    """'X estimated that ... <figure>' inside the same quote as the figure: X, a name or a third party."""
    opening = max(sentence.rfind("“", 0, figure_start), sentence.rfind('"', 0, figure_start))
    inner = sentence[opening + 1:figure_start] if opening >= 0 else sentence[:figure_start]
    found = None
    for match in re.finditer(r"\b(?:estimated|calculated|counted|found|concluded|reported)\s+that\b", inner):
        raw = _subject_before(inner, match.start())
        source = clean_source(raw) if raw else None
        if source and _PRONOUN_RE.match(source):
            found = _resolve(source, context) or found
        elif source:
            people = persons_in(inner[:match.start()])
            found = people[0] if people else expand_name(source, context)
    return found


def _main_subject(text: str) -> str:
    """The sentence's first noun phrase: the words before its first verb or auxiliary."""
    head = re.split(r",", _LEADING_NOISE.sub("", text.strip()))[0]
    return re.split(r"\s+(?:has|have|had|is|are|was|were|will|would|could|" + "|".join(
        re.escape(v) for v in _VERB_FORMS if v != "according") + r")\b", head)[0]


def _resolve(raw: str, context: str) -> str | None:
    source = clean_source(raw)
    if source is None:
        return None
    if _PRONOUN_RE.match(source):
        return resolve_pronoun(source, context)
    return expand_name(source, context)


def inside_quote(sentence: str, position: int) -> bool:
    """Whether `position` is inside a quotation. Marks are read in order, so a text that begins inside a quote
    and reopens one ('... died,” she said, “40 more') is inside it again; a straight mark opens or closes."""
    opened = False
    for ch in sentence[:position]:
        if ch == "“":
            opened = True
        elif ch == "”":
            opened = False
        elif ch == '"':
            opened = not opened
    return opened


_SPEAKER_VERB = re.compile(r"(?P<src>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*|\b[Hh]e|\b[Ss]he)\s+(?:said|says|added|"
                           r"wrote|told|warned|stated|posted|tweeted|insisted|declared|claimed)\b")


def _quote_speaker(sentence: str, context: str) -> str | None:
    """Speaker of a quote: 'X said' outside the quotes, or the previous sentence's 'X warned..., saying,'."""
    outside = _QUOTE_RE.sub(" ", sentence)
    match = re.search(r"^\W*(?P<src>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)+)\s*,[^,]{3,120},\s+(?:said|says|added|wrote|"
                      r"told|warned|stated|posted|claimed)\b", outside)
    if match:
        return _resolve(match.group("src"), context)
    match = re.search(_SPEAKER_VERB, outside)
    if match:
        return _resolve(match.group("src"), context)
    match = re.search(r"(?:said|says|added|wrote|warned|stated)\s+(?P<src>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)",
                      outside)
    if match:
        return _resolve(match.group("src"), context)
    opened = context.rfind("“")
    if opened > context.rfind("”"):
        # the quote opened sentences ago: its speaker is named where it opened ("Trump tweeted, “...")
        lead_in = re.split(r"(?<=[.!?”])\s+", context[:opened].strip())[-1] if context[:opened].strip() else ""
        match = re.search(_SPEAKER_VERB, lead_in)
        if match:
            return _resolve(match.group("src"), context[:opened])
    previous = re.split(r"(?<=[.!?”])\s+", context.strip())[-1] if context.strip() else ""
    match = re.search(r"^(?P<src>.+?)\s+(?:said|says|warned|told|added|wrote|stated|posted|explained)\b.*"
                      r"(?:saying|said|:)\s*[,:]?\s*[“\"]?\s*$", previous)
    if match:
        return _resolve(match.group("src"), context[: max(0, len(context) - len(previous))] + match.group("src"))
    people = persons_in(previous)
    return people[-1] if people else None
