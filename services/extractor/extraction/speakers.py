"""Who a figure is credited to, read from the dependency parse of its sentence.

From the figure's number the tree is climbed to the first reporting verb that governs its clause ('X said',
'said X', 'X told reporters', 'X put the figure at'); its subject is the source (the agent when passive, the noun a
relative clause hangs from when the subject is 'who' or 'which'). Before the climb the figure's own phrase is read:
'N, according to X' right after it, 'N identified by X', 'N put forward by X', and the gapped 'X N' of 'police
counted 900 and the organisers 2,000'. Pronouns resolve only to people, organisations and groups (spaCy's
PERSON/ORG/NORP, a title and name, a speaker named before), never to a place. `Verdict.decided` tells the caller
whether the tree settled the question; when it did not, the word rules in attribution.py answer.
"""
from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from services.extractor.extraction import lexicon as lx
from services.extractor.extraction import parse
from services.extractor.extraction.sentences import in_other_brackets

DATA_FILE = Path(__file__).parent / "data" / "speakers.json"
_SPEAKER_ENTS = ("PERSON", "ORG", "NORP")
_MAX_WORDS = 16


class DataError(ValueError):
    """speakers.json does not have the shape this module reads."""


def _words(raw: Any, key: str) -> frozenset[str]:
    if not isinstance(raw, list) or not raw or not all(isinstance(w, str) and w and w == w.lower() for w in raw):
        raise DataError(f"{DATA_FILE.name}: '{key}' must be a non-empty list of lower-case words")
    return frozenset(raw)


@dataclass(frozen=True)
class Vocabulary:
    reporting: dict[str, frozenset[str] | None]
    subordinate_marks: frozenset[str]
    title_aliases: dict[str, str]
    organisation_nouns: frozenset[str]
    official_count_nouns: frozenset[str]
    not_speakers: frozenset[str]


def load_vocabulary(path: Path = DATA_FILE) -> Vocabulary:
    """The data file, validated: a wrong shape is a one-line DataError naming the file and the key."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read {path.name}: {exc}") from None
    keys = ("reporting_lemmas", "subordinate_marks", "title_aliases", "organisation_nouns", "official_count_nouns",
            "not_speakers")
    if not isinstance(raw, dict) or any(k not in raw for k in keys):
        raise DataError(f"{path.name}: needs the keys {', '.join(keys)}")
    reporting = raw["reporting_lemmas"]
    if not isinstance(reporting, dict) or not reporting:
        raise DataError(f"{path.name}: 'reporting_lemmas' must map lemmas to null or a list of words")
    for lemma, needs in reporting.items():
        if not lemma or lemma != lemma.lower() or not (needs is None or isinstance(needs, list)):
            raise DataError(f"{path.name}: 'reporting_lemmas'[{lemma!r}] must be null or a list of words")
    aliases = raw["title_aliases"]
    if not isinstance(aliases, dict) or not all(isinstance(v, str) and v for v in aliases.values()):
        raise DataError(f"{path.name}: 'title_aliases' must map abbreviations to titles")
    return Vocabulary(
        reporting={k: (_words(v, f"reporting_lemmas.{k}") if v is not None else None) for k, v in reporting.items()},
        subordinate_marks=_words(raw["subordinate_marks"], "subordinate_marks"),
        title_aliases=dict(aliases), organisation_nouns=_words(raw["organisation_nouns"], "organisation_nouns"),
        official_count_nouns=_words(raw["official_count_nouns"], "official_count_nouns"),
        not_speakers=_words(raw["not_speakers"], "not_speakers"))


VOCABULARY = load_vocabulary()
_TITLES = {t.lower() for t in lx.PERSON_TITLES} | set(VOCABULARY.title_aliases)
_TITLE_WORDS = {t for t in _TITLES if " " not in t}
_TITLE_NAME_RE = re.compile(
    r"(?<![\w.])(?i:(?P<title>" + "|".join(re.escape(t) for t in sorted(_TITLES, key=len, reverse=True)) +
    r"))\s+(?P<name>(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]+)")

_SPEECH_FORMS = sorted({w for w in lx.ATTRIBUTION_VERBS if w.endswith(("ed", "s")) or w in ("said", "told", "wrote")},
                       key=len, reverse=True)
# "Ana Ruiz has said ...": a name that speaks is a person, whatever else the words could name
# a non-restrictive clause may stand between the name and the verb: "Ana Ruiz, who lives nearby, told ..."
_ASIDE = r"(?:,\s+(?:who|which)\s[^,.;]{1,80},)?"
_NAME_SAID_RE = re.compile(r"(?P<name>(?:[A-Z][\w’'.-]+\s+){1,4}[A-Z][\w’'-]+)" + _ASIDE +
                           r"\s+(?:has\s+|had\s+|have\s+)?(?:"
                           + "|".join(re.escape(w) for w in _SPEECH_FORMS if " " not in w) + r")\b")


_SURNAME_SAID_RE = re.compile(r"\b(?P<name>[A-Z][\w’'-]+)" + _ASIDE + r"\s+(?:"
                              + "|".join(re.escape(w) for w in _SPEECH_FORMS if " " not in w) + r")\b")


@dataclass(frozen=True)
class Verdict:
    """The tree's answer: `decided` False means it says nothing and the word rules should answer."""

    source: str | None
    decided: bool


UNDECIDED = Verdict(None, False)


@dataclass(frozen=True)
class Mention:
    """Someone who may be referred back to: a person (kind PERSON) or an organisation or group."""

    offset: int  # in the article
    text: str
    kind: str  # PERSON, ORG, NORP or GROUP (a plural speaker such as 'officials')
    nouns: frozenset[str] = frozenset()  # titles and kind nouns it was named with ('governor', 'union')
    speaker: bool = False  # the subject of a reporting verb


def _title(word: str) -> str:
    low = word.lower()
    return VOCABULARY.title_aliases.get(low, low.rstrip("."))


def _lemma(token) -> str:
    return token.lemma_.lower()


# ------------------------------------------------------------------------------------------------ the figure


def _figure_anchor(doc, rel_start: int):
    """The token that stands for the figure: its last number word, raised over 'two' -> 'million'."""
    span = doc.char_span(rel_start, min(parse.doc_length(doc), rel_start + 1), alignment_mode="expand")
    first = span[0] if span is not None and len(span) else next((t for t in doc if t.idx + len(t) > rel_start), None)
    if first is None:
        return None, None
    anchor, last = None, first
    for token in doc[first.i:first.i + 8]:
        if token.like_num or token.pos_ == "NUM" or token.ent_type_ in ("CARDINAL", "MONEY", "QUANTITY"):
            anchor, last = token, token
        elif anchor is not None:
            break
    if anchor is None:
        return None, None
    while anchor.head.i != anchor.i and anchor.dep_ in ("compound", "quantmod") and (
            anchor.head.like_num or anchor.head.pos_ == "NUM"):
        anchor = anchor.head
    return anchor, last


def _is_reporting(verb, path=()) -> bool:
    """A reporting verb; one that needs a particle ('put ... at N') has it on the verb or on the figure's path."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    lemma = _lemma(verb)
    if lemma not in VOCABULARY.reporting:
        return False
    needs = VOCABULARY.reporting[lemma]
    if needs is not None and "ccomp" in needs:  # "a study found that ...", not "they will find 20 people"
        return any(t.dep_ == "ccomp" and t.head.i == verb.i for t in path)
    return needs is None or any(c.lower_ in needs for c in verb.children if c.dep_ in ("prep", "prt", "advmod")) \
        or any(t.lower_ in needs and t.dep_ in ("prep", "prt") for t in path)


def _according_object(token):
    """'according to X' hanging from `token`: X's head token."""
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "according":
            found = _according_target(child)
            if found is not None:
                return found
    return None


def _according_target(according):
    for to in according.children:
        if to.lower_ == "to":
            for obj in to.children:
                if obj.dep_ == "pobj":
                    return obj
    nxt = according.nbor(1) if according.i + 1 < len(according.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for obj in nxt.children:
            if obj.dep_ == "pobj":
                return obj
    return None


def _according_after(doc, last):
    """'N, according to X' / '(N, according to X)': the first 'according to' after the figure, with no other
    figure between them."""
    for token in doc[last.i + 1:]:
        if token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to":
            return _according_target(token)
        if (token.like_num or token.pos_ == "NUM") and token.ent_type_ not in ("DATE", "TIME"):
            return None
        if token.text in ".;" or token.lower_ in ("while", "whereas"):
            return None
    return None


def _source_like(token) -> bool:
    return token.ent_type_ in _SPEAKER_ENTS or _lemma(token) in lx.SOURCE_NOUNS or token.lower_ in lx.SOURCE_NOUNS


def _own_phrase(anchor, noun):
    """Who the figure's own phrase credits: 'N identified by X', 'the N put forward by X', 'and X N'."""
    for holder in dict.fromkeys((anchor, noun)):
        for child in holder.children:
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                obj = next((o for o in child.children if o.dep_ == "pobj"), None)
                if obj is not None and _source_like(obj):
                    return obj  # the gapped "... and 3,000 by the unions"
            if child.dep_ in ("acl", "relcl") and _is_reporting(child):
                for grand in child.children:
                    if grand.dep_ == "agent":
                        obj = next((o for o in grand.children if o.dep_ == "pobj"), None)
                        if obj is not None:
                            return obj
                    if grand.dep_ == "nsubj" and grand.lower_ not in ("which", "that", "who"):
                        return grand  # "the 900 the organisers counted", "N people, which experts consider ..."
    gapped = anchor.head if anchor.dep_ in ("nummod", "appos") else None
    if gapped is not None and gapped.dep_ == "conj" and gapped.i < anchor.i and _source_like(gapped) and \
            (anchor.dep_ == "nummod" or _lemma(gapped) in lx.SOURCE_NOUNS) and \
            not any(t.text == "(" for t in anchor.doc[gapped.i:anchor.i]):  # "Lyon (2,000)": a place's figure
        return gapped  # "the police counted 900 and the organisers 2,000": the gapped subject
    for child in anchor.children:
        if child.dep_ in ("compound", "nmod", "poss") and child.i < anchor.i and child.ent_type_ in _SPEAKER_ENTS:
            return child  # "the police 806,000, the union 1.5 million"
    return None


def _own_subject(verb):
    """The verb's own subject: the nearest on its left ('At the start, the police counted'), the agent when
    passive, the noun a relative clause hangs from when the subject is 'who' or 'which'."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if subjects:
        left = [c for c in subjects if c.i < verb.i]
        child = left[-1] if left else subjects[0]
        if child.lower_ in ("who", "which", "that") and verb.dep_ in ("relcl", "acl"):
            return verb.head
        if child.ent_type_ == "GPE":  # a dateline parsed as the subject: "CITY, Region • the governor said"
            titled = [a for a in child.children if a.dep_ == "appos" and a.ent_type_ != "GPE" and _speaker_like(a)]
            if titled:
                return titled[-1]
        if not _speaker_like(child):
            # "900 died, mostly farmers – far above the toll – an aid official told Reuters": a speaker right
            # before the verb, hung on the figure's aside as its apposition, is the subject
            right_before = [a for a in child.children if a.dep_ == "appos" and _speaker_like(a)
                            and a.right_edge.i == verb.i - 1]
            if right_before:
                return right_before[-1]
        return child
    for child in verb.children:
        if child.dep_ == "agent":
            return next((o for o in child.children if o.dep_ == "pobj"), None)
    return None


def _subject(verb):
    """The subject of a reporting verb; one without ('..., saying', 'and added') takes that of the nearest
    reporting verb it hangs from, else of the nearest clause it hangs from."""
    own = _own_subject(verb)
    if own is not None or any(c.dep_ == "nsubjpass" for c in verb.children):
        return own
    if verb.dep_ == "advcl" and verb.tag_ == "VBG":
        # "..., a figure the rebels disputed, saying they had killed 60": the participle speaks for the clause
        # just before its comma, which the parser may have hung elsewhere
        before = [t for t in verb.doc[verb.head.i + 1:verb.i] if t.tag_ in ("VBD", "VBZ", "VBP")
                  and t.dep_ in ("relcl", "ccomp", "conj") and _own_subject(t) is not None]
        if before:
            return _own_subject(before[-1])
    if verb.dep_ == "conj" and verb.head.i != verb.i:
        shared = _own_subject(verb.head)  # "X analysed ... and estimated that": coordinated verbs share X
        if shared is not None:
            return shared
    fallback, token = None, verb
    for _ in range(4):
        if token.dep_ not in ("conj", "advcl", "xcomp", "ccomp") or token.head.i == token.i:
            break
        token = token.head
        subject = _own_subject(token)
        if subject is not None and _is_reporting(token):
            return subject
        if subject is not None and fallback is None:
            fallback = subject
    return fallback


def _is_official(token) -> bool:
    return _lemma(token) in VOCABULARY.official_count_nouns and any(
        c.dep_ == "amod" and c.lower_ == "official" for c in token.children)


def _official_count(path) -> bool:
    """'the official toll is 71', 'the number on the official list': an official figure, whoever gave it."""
    for token in path:
        if _is_official(token):
            return True
        for child in token.children:
            if child.dep_ in ("nsubj", "nsubjpass", "prep", "pobj") and child.i != token.i:
                # "the count of names on the official register": anywhere in the subject's own phrase
                if any(_is_official(t) for t in child.subtree):
                    return True
        if token.pos_ in ("VERB", "AUX"):
            break  # the figure's own clause only
    return False


def _speaker_like(token) -> bool:
    return token.ent_type_ in _SPEAKER_ENTS or token.ent_type_ == "GPE" or token.pos_ in ("PROPN", "PRON") or \
        _lemma(token) in lx.SOURCE_NOUNS or token.lower_ in lx.SOURCE_NOUNS or _lemma(token) in _TITLE_WORDS or \
        _lemma(token) in VOCABULARY.organisation_nouns


def _credited_by(noun):
    """The agent of a reporting participle on the noun: 'the figure, released by the government', '400 casualties
    given by the rebels'."""
    for acl in (c for c in noun.children if c.dep_ == "acl" and (_is_reporting(c) or _lemma(c) == "give")):
        agent = next((c for c in acl.children if c.dep_ == "agent"), None)
        if agent is not None:
            return next((o for o in agent.children if o.dep_ == "pobj"), None)
    return None


def _climb(anchor, noun):
    """(speaker token, 'according to' token, whether that came first, blocked, path), climbing from the figure
    to the sentence root. Of the reporting verbs on the way, the first whose subject is someone wins ('these
    images show why ..., said X': X)."""
    according, according_first, speakers = None, False, []
    path = [anchor] if noun is anchor else [anchor, noun]
    token, blocked = noun, False
    while token.head.i != token.i:
        child, token = token, token.head
        path.append(token)
        if (child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in VOCABULARY.subordinate_marks
                                          for m in child.children)) or (
                child.dep_ == "prep" and child.lower_ in VOCABULARY.subordinate_marks and len(path) > 2):
            blocked = True  # "..., after 300 homes burned": background, not what the verb above reports
            break
        if _is_reporting(token, path) and child.dep_ != "conj":  # "X counted 900 and pulverised ...": not reported
            subject = _subject(token)
            if subject is not None and not (subject.left_edge.i <= anchor.i <= subject.right_edge.i) and \
                    subject.lower_ not in ("we", "i"):
                # a subject that holds the figure itself is a misparse, not a speaker; "'We counted 57,' said X":
                # the first person inside a quote is its speaker, named by the verb outside it
                speakers.append(subject)
        if according is None:
            according = _according_object(token)
            according_first = according is not None and not speakers
    if not speakers and not blocked:
        speakers = _trailing_conj_speakers(anchor, path)
    speaker = next((s for s in speakers if _speaker_like(s)), speakers[0] if speakers else None)
    return speaker, according, according_first, blocked, path


_ASIDE_PUNCT = frozenset({",", "–", "—", "-"})


def _trailing_conj_speakers(anchor, path) -> list:
    """'1,000 may have died – twice the official toll – a UN envoy told AFP': the parser may join the trailing
    attribution to the figure's verb as a coordinated verb; after a comma or a dash it still reports the figure."""
    found = []
    for token in path:
        for conj in (c for c in token.children if c.dep_ == "conj" and c.i > anchor.i and _is_reporting(c)):
            subject = _own_subject(conj)
            if subject is not None and _speaker_like(subject) and subject.left_edge.i > anchor.i and \
                    subject.doc[subject.left_edge.i - 1].text in _ASIDE_PUNCT:
                found.append(subject)
    return found


# ------------------------------------------------------------------------------------------------ the phrase


_QUOTES = frozenset("\"“”‘’'")
_CUT_DEPS = {"appos", "relcl", "acl", "punct", "advcl", "parataxis", "ccomp"}


def _phrase_tokens(head):
    """The speaker's noun phrase without its apposition, relative clause or anything after a comma."""
    keep = {head.i}
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ in _CUT_DEPS or child.i in keep or child.dep_ == "nummod" or child.like_num:
                continue
            if child.dep_ == "prep" and child.lower_ not in ("of", "in", "at", "for", "from") and not (
                    child.text[:1].isupper() and token.text[:1].isupper() and child.i == token.i + 1
                    and any(o.dep_ == "pobj" and o.text[:1].isupper() for o in child.children)):
                continue  # a capitalised preposition inside a name stays: 'Doctors Without Borders'

            if child.dep_ == "prep" and child.i < head.i:
                continue
            keep.add(child.i)
            stack.append(child)
    doc = head.doc
    # quotation marks around a name inside the phrase ('the "Blue Hats" rescue group') stay in it
    keep.update(t.i for t in doc[max(0, min(keep) - 1):max(keep) + 2] if t.text in _QUOTES and t.head.i in keep)
    # the contiguous run around the head
    run = [head.i]
    i = head.i - 1
    while i in keep:
        run.insert(0, i)
        i -= 1
    i = head.i + 1
    while i in keep:
        run.append(i)
        i += 1
    words = [doc[i] for i in run if doc[i].dep_ != "det" or doc[i].i != run[0]]
    while words and (words[0].dep_ in ("det", "cc") or (words[0].is_punct and words[0].text not in _QUOTES)):
        words = words[1:]
    while words and words[-1].is_punct and words[-1].text not in _QUOTES:
        words = words[:-1]
    return words


def _text(words) -> str:
    text = "".join(t.text_with_ws for t in words).strip(" ,;:—–-")
    for opening, closing in (("“", "”"), ('"', '"')):  # a quotation mark stays only when its pair does
        if text.count(opening) + text.count(closing) == 1 or (opening == closing and text.count(opening) % 2):
            text = text.replace(opening, "").replace(closing, "").strip()
    text = text.strip("’'").strip()
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    return re.sub(r"\s*[’']s$", "", text)  # "the ministry's": the owner, not the possessive


# ------------------------------------------------------------------------------------------------ mentions


_CACHE: "weakref.WeakKeyDictionary[Any, list[Mention]]" = weakref.WeakKeyDictionary()


def _entity_mention(ent, offset: int, speaker: bool = False) -> Mention:
    nouns = set()
    before = ent.doc[max(0, ent.start - 3):ent.start]
    nouns.update(_title(t.text) for t in before if _title(t.text) in _TITLE_WORDS or t.lower_ in _TITLES)
    root = ent.root
    if root.dep_ == "compound":
        nouns.add(_lemma(root.head))
    for child in root.children:
        if child.dep_ == "appos":
            nouns.add(_lemma(child))
    if root.dep_ == "appos":
        nouns.add(_lemma(root.head))
    if ent.label_ == "NORP" and root.dep_ in ("amod", "compound"):
        return None  # "a South Korean academic": an adjective, not a group that can be referred to
    return Mention(offset + ent.start_char, ent.text, ent.label_, frozenset(nouns), speaker)


def _doc_mentions(doc, offset: int) -> list[Mention]:
    found = []
    speakers = set()
    for token in doc:
        if _is_reporting(token):
            subject = _subject(token)
            if subject is not None:
                speakers.add(subject.i)
    for i in speakers:  # "Ana Ruiz and Tom Berg estimated ...; they added": a pair is a group
        token = doc[i]
        if token.ent_type_ == "PERSON" and any(c.dep_ == "conj" for c in token.children):
            words = _phrase_tokens(token)
            found.append(Mention(offset + words[0].idx, _text(words), "GROUP", frozenset(), True))
    for ent in doc.ents:
        if ent.label_ in _SPEAKER_ENTS:
            mention = _entity_mention(ent, offset, any(t.i in speakers for t in ent))
            if mention is not None:
                found.append(mention)
    for i in speakers:
        token = doc[i]
        if token.ent_type_ == "GPE":  # "Myanmar said ...; they added": a country that speaks is its government
            ent = next((e for e in doc.ents if e.start <= i < e.end), None)
            if ent is not None:
                found.append(Mention(offset + ent.start_char, ent.text, "ORG", frozenset(), True))
            continue
        if token.ent_type_ or token.pos_ == "PRON" or _lemma(token) in VOCABULARY.not_speakers:
            continue
        words = _phrase_tokens(token)
        if not words:
            continue
        lemma = _lemma(token)
        plural = token.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in token.children)
        kind = "PERSON" if lemma in _TITLE_WORDS and not plural else ("GROUP" if plural else "THING")
        if any(t.ent_type_ == "GPE" for t in words) and kind != "PERSON" and lemma not in lx.SOURCE_NOUNS:
            continue
        found.append(Mention(offset + words[0].idx, _text(words), kind, frozenset({lemma}), True))
    return found


def _text_mentions(context: str, offset: int, known_people: dict[str, str] | None = None) -> list[Mention]:
    """Title + name ('Gov. Ana Ruiz') and a name that speaks ('Ana Ruiz said') in text the parser did not see.
    'The governor of X' is no antecedent: its only name is a place's."""
    from services.extractor.extraction.attribution import _names_place, persons_in
    found = []
    for match in _TITLE_NAME_RE.finditer(context):
        name = match.group("name")
        people = persons_in(match.group())  # "Major General Pat Ryder": the name without its titles
        name = people[-1] if people and match.group().endswith(people[-1]) else name
        if _names_place(name):
            continue
        found.append(Mention(offset + match.start(), name, "PERSON",
                             frozenset({_title(match.group("title"))})))
    for match in _NAME_SAID_RE.finditer(context):
        name = match.group("name")
        people = persons_in(name)
        if people and people[-1] and name.endswith(people[-1]):
            found.append(Mention(offset + match.start("name"), people[-1], "PERSON", frozenset(), True))
    known = {m.text.split()[-1]: m.text for m in found if m.kind == "PERSON" and " " in m.text}
    for match in _SURNAME_SAID_RE.finditer(context):  # "Ruiz told the radio": a person named in full before
        full = known.get(match.group("name")) or (known_people or {}).get(match.group("name"))
        if full:
            found.append(Mention(offset + match.start("name"), full, "PERSON", frozenset(), True))
    return found


def _mentions(article, docs, context: str, before: int) -> list[Mention]:
    cached = _CACHE.get(article)
    if cached is None:
        cached = []
        for start, doc in docs:
            cached.extend(_doc_mentions(doc, start))
        _CACHE[article] = cached
    found = [m for m in cached if m.offset < before]
    people = {m.text.split()[-1]: m.text for m in found if m.kind == "PERSON" and " " in m.text}
    found.extend(_text_mentions_cached(context, before - len(context), tuple(sorted(people.items()))))
    return sorted(found, key=lambda m: m.offset)


@lru_cache(maxsize=256)
def _text_mentions_cached(context: str, offset: int, people: tuple[tuple[str, str], ...]) -> tuple[Mention, ...]:
    return tuple(_text_mentions(context, offset, dict(people)))  # the figures of one sentence share a context


def _surname(text: str) -> str:
    return re.sub(r"[’']s$", "", text.split()[-1]) if text.split() else text


def _resolve_pronoun(pronoun: str, mentions: list[Mention], text: str = "", text_offset: int = 0) -> str | None:
    """he/she: the person last mentioned: by full name, by surname alone ('Ruiz said ...') or by a title
    ('the governor of X');
    it/they: the organisation or group that spoke last, else the last one named. Never a place."""
    low = pronoun.lower()
    if low in ("he", "she", "i"):
        last_at: dict[str, int] = {}
        for mention in mentions:
            if mention.kind != "PERSON":
                continue
            name = re.sub(r"[’']s$", "", mention.text)
            surname = _surname(name)
            found = [m.start() for m in re.finditer(r"\b" + re.escape(surname) + r"\b", text)] if surname else []
            at = max([mention.offset] + [text_offset + f for f in found])
            if at >= last_at.get(name, -1):
                last_at[name] = at
        from services.extractor.extraction.attribution import _last_role, persons_in
        role = _last_role(text) if text else None
        if role and (not last_at or text_offset + role[1] > max(last_at.values())) and not persons_in(
                text[role[1]:]):
            return role[0]  # "The health minister toured the ward. ... she said": described, not named
        if not last_at:
            return None
        best = max(last_at.values())
        # of the names written last, the fullest ('Stuart Cundy' over 'Cundy')
        return max((n for n, at in last_at.items() if at == best), key=len)
    elif low == "it":
        wanted = ("ORG", "THING")
    elif low in ("they", "we"):
        wanted = ("ORG", "NORP", "GROUP")
    else:
        return None
    for mention in reversed(mentions):  # the last speaker first: "X warned ... a victim, Y. He said"
        if mention.kind in wanted and mention.speaker:
            return mention.text
    for mention in reversed(mentions):
        if mention.kind in wanted and mention.kind != "NORP":
            return mention.text
    return None


def _resolve_description(head, words, mentions: list[Mention]) -> str | None:
    """'the governor' -> the governor named before; 'the union' -> the union named before."""
    lemma = _lemma(head)
    if head.tag_ != "NN" or any(t.i != head.i and t.dep_ != "amod" for t in words):
        return None  # only a bare singular 'the union', 'the governor': 'the army chief's office' names itself
    determiner = head.doc[words[0].i - 1] if words[0].i > 0 else None
    if determiner is None or determiner.lower_ != "the":
        return None
    if lemma in _TITLE_WORDS:
        for mention in reversed(mentions):
            if mention.kind == "PERSON" and lemma in mention.nouns:
                return mention.text
        return None
    if lemma in VOCABULARY.organisation_nouns:
        for mention in reversed(mentions):
            if mention.kind == "ORG" and lemma in mention.nouns:
                return mention.text
        orgs = [m for m in mentions if m.kind == "ORG" and m.text[:1].isupper()]
        for mention in reversed(orgs):  # an organisation that spoke, else the last one named
            if mention.speaker:
                return mention.text
        if orgs:
            return orgs[-1].text
    return None


def _owner(noun):
    """Whose figure a figure noun is: 'the ministry's estimate', 'estimates by/from X', 'figures released by X'."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ != "PRON":
            return child
    for child in noun.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
            obj = next((o for o in child.children if o.dep_ == "pobj"), None)
            if obj is not None and _speaker_like(obj):
                return obj
        if child.dep_ == "acl":
            for grand in child.children:
                if grand.dep_ == "agent":
                    obj = next((o for o in grand.children if o.dep_ == "pobj"), None)
                    if obj is not None:
                        return obj
    return None


def _name(head, article, docs, context: str, offset: int) -> str | None:
    """The speaker's text: a pronoun or 'the governor' resolved, a surname expanded; None if it names no one."""
    if head.lower_ in ("he", "she", "it", "they", "we", "i"):
        mentions = _mentions(article, docs, context, offset + head.idx)
        before = context + head.doc.text[:head.idx]
        return _resolve_pronoun(head.text, mentions, before, offset + head.idx - len(before))
    if _lemma(head) in VOCABULARY.not_speakers and head.pos_ == "NOUN":
        owner = _owner(head)  # "according to the ministry's estimate", "figures from the UN"
        return _name(owner, article, docs, context, offset) if owner is not None else None
    if _lemma(head) in VOCABULARY.not_speakers or head.pos_ == "PRON" or head.like_num or \
            _lemma(head) in lx.EVENT_NOUNS:
        return None  # "the quake claimed 30,000 lives": a disaster does not speak
    if head.ent_type_ in ("GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL") and not _speaker_like(head) \
            and head.ent_type_ != "GPE":
        return None
    words = _phrase_tokens(head)
    if not words:
        return None
    ent = next((e for e in head.doc.ents if e.start <= head.i < e.end and e.label_ in _SPEAKER_ENTS), None)
    if ent is not None and ent.label_ == "PERSON" and len(ent) > 1:
        words = list(ent)  # "spokesman Maj. Gen. Ana Ruiz": the person's name, without the titles
    elif ent is not None and (ent.start < words[0].i or ent.end - 1 > words[-1].i):
        words = sorted({*words, *ent}, key=lambda t: t.i)  # "Doctors Without Borders": the whole name
    if len(words) > _MAX_WORDS:
        words = [t for t in words if t.i <= head.i][-4:]
    if _lemma(head) in _TITLE_WORDS or _lemma(head) in VOCABULARY.organisation_nouns:  # only then look back
        described = _resolve_description(head, words, _mentions(article, docs, context, offset + head.idx))
        if described:
            return described
    text = _text(words)
    if not text or any(ch.isdigit() for ch in text):
        return None
    named_as = next((a for a in head.children if a.dep_ == "appos" and a.ent_type_ == "PERSON"), None)
    if named_as is not None and head.ent_type_ != "PERSON":  # "the city's mayor, Ana Ruiz": keep the name
        ent = next(e for e in head.doc.ents if e.start <= named_as.i < e.end)
        text = f"{text}, {ent.text}"
    from services.extractor.extraction.attribution import expand_name
    return expand_name(text, context)


# ------------------------------------------------------------------------------------------------ entry point


def tree_source(sentence: str, rel_start: int, context: str, in_quote: bool = False) -> Verdict:
    """The source of the figure at `rel_start` in `sentence`, from the parse; UNDECIDED without one.
    `in_quote`: the figure is inside a quotation (which may have opened in an earlier sentence)."""
    article = parse.current()
    if article is None:
        return UNDECIDED
    found = article.sentence_docs(sentence)
    if found is None:
        return UNDECIDED
    index, docs = found
    offset, doc = docs[index]
    if rel_start >= parse.doc_length(doc):
        return UNDECIDED
    try:
        verdict = _read(doc, offset, rel_start, article, docs, context, in_quote)
        if verdict.decided or in_quote or index == 0 or _has_speaker(doc):
            return verdict
        return _continued(docs, index, article, context) or verdict
    except (IndexError, ValueError):  # an odd tree costs the figure its parse, never the article
        return UNDECIDED


def _read(doc, offset: int, rel_start: int, article, docs, context: str, in_quote: bool = False) -> Verdict:
    anchor, last = _figure_anchor(doc, rel_start)
    if anchor is None:
        return UNDECIDED
    noun = anchor.head if anchor.dep_ in ("nummod", "quantmod") and anchor.head.pos_ in ("NOUN", "PROPN") \
        else anchor

    def named(token) -> str | None:
        return _name(token, article, docs, context, offset)

    speaker, according, according_first, blocked, path = _climb(anchor, noun)

    def aside(token) -> bool:  # a credit in brackets that do not hold the figure speaks for its own words only
        return token is not None and in_other_brackets(doc.text, rel_start, token.idx)
    speaker = None if aside(speaker) else speaker
    according = None if aside(according) else according
    # a person named before the figure as its speaker keeps it when a credit trails the sentence: "the governor
    # said that about 400 had left, according to local radio" is the governor's figure as radio relayed it
    person_speaks = speaker is not None and speaker.ent_type_ == "PERSON" and speaker.i < anchor.i
    target = None if person_speaks else _according_after(doc, last)
    target = None if aside(target) else target
    if target is not None and (source := named(target)):
        return Verdict(source, True)
    own = _own_phrase(anchor, noun)
    if own is not None and (source := named(own)):
        return Verdict(source, True)
    credited = _credited_by(noun)
    if credited is None:  # "the figure, released by X, brings the toll to N": the frame noun subject's credit
        subjects = [c for verb in path if verb.pos_ in ("VERB", "AUX") for c in verb.children
                    if c.dep_ in ("nsubj", "nsubjpass") and _lemma(c) in parse.VOCABULARY.frame_nouns]
        credited = next((found for c in subjects if (found := _credited_by(c)) is not None), None)
    if credited is not None and (source := named(credited)):
        return Verdict(source, True)  # "400 casualties given by the rebels", "the figure, released by X, brings"
    # "According to the agency's estimate, ..., the paper reports": a named credit inside the reported clause
    # wins; "according to satellite images, ..., the group said": the speaker does
    if according is not None and according_first and not (person_speaks and according.i > anchor.i) and any(
            t.pos_ == "PROPN" or t.ent_type_ in _SPEAKER_ENTS for t in according.subtree) and \
            (source := named(according)):
        return Verdict(source, True)
    if speaker is not None and (source := named(speaker)):
        return Verdict(source, True)
    if according is not None and (source := named(according)):
        return Verdict(source, True)
    if _official_count(path):
        return Verdict("officials", True)
    if blocked:
        return Verdict(None, True)
    sentence_wide = _sentence_according(doc, path)
    if sentence_wide is not None and not aside(sentence_wide) and (source := named(sentence_wide)):
        return Verdict(source, True)
    if in_quote:
        found = _paragraph_speaker(article, docs, context, offset)
        if found:
            return Verdict(found, True)
    if speaker is not None and speaker.pos_ == "PRON" and len(speaker.text) > 1 and speaker.text.isupper():
        return Verdict(speaker.text, True)  # 'WHO said', 'US said': an acronym the tagger read as a pronoun
    if speaker is not None and speaker.pos_ == "PRON":
        # no person the parser saw: a name the word rules find, but never one after 'of' or 'in' ("the mayor of
        # East Harrow Borough ... she said": a place, not her name)
        return Verdict(_rule_antecedent(speaker.lower_, context + doc.text[:speaker.idx]), True)
    return UNDECIDED


_PLACE_PREPOSITIONS = re.compile(r"\b(?:of|in|at|from|to|near|across|outside|inside|into|for)\s+(?:the\s+)?$", re.I)


def _rule_antecedent(pronoun: str, text: str) -> str | None:
    from services.extractor.extraction.attribution import _plural_antecedent, persons_in
    if pronoun in ("they", "we"):
        return _plural_antecedent(text)
    if pronoun not in ("he", "she"):
        return None
    last_at: dict[str, int] = {}
    for name in persons_in(text[-1500:]):
        for found in re.finditer(r"\b" + re.escape(name.split()[-1]) + r"\b", text):
            # the words before the name, without the capitalised words that run into it ('of East Harrow')
            lead = re.sub(r"(?:[A-Z][\w’'.-]*\s+)+$", "", text[max(0, found.start() - 80):found.start()])
            if _PLACE_PREPOSITIONS.search(lead):
                continue
            last_at[name] = found.start()
    return max(last_at, key=lambda n: last_at[n]) if last_at else None


def _has_speaker(doc) -> bool:
    return "according" in doc.text.lower() or any(_is_reporting(t) and _subject(t) is not None for t in doc)


def _continued(docs, index: int, article, context: str) -> Verdict | None:
    """'Police believe 350 people lived there. 255 survived and 14 were away.': a sentence of figures that names
    no speaker, right after one in the same paragraph whose speaker gave figures, goes on with that speaker."""
    offset, doc = docs[index]
    before, previous = docs[index - 1]
    gap = context[len(context) - (offset - before - len(previous.text)):] if offset - before - len(previous.text) \
        <= len(context) else "\n\n"
    if before + len(previous.text) > offset or "\n" in gap or len(gap.strip()) > 2:
        return None  # not the sentence right before, or another paragraph
    earlier = context[:max(0, len(context) - (offset - before))]
    for token in reversed(previous):
        if not _is_reporting(token):
            continue
        subject = _subject(token)
        if subject is None or any(t.like_num for t in subject.subtree):
            continue
        if not any(t.like_num and t.ent_type_ not in ("DATE", "TIME") for t in token.subtree):
            continue  # the speaker gave no figure there
        source = _name(subject, article, docs, earlier, before)
        if source:
            return Verdict(source, True)
    return None


def _sentence_according(doc, path):
    """'N structures burned, M acres ..., and ..., according to the maps': an 'according to' that hangs from the
    root or a clause coordinated with it credits every figure of the sentence that no one else claims."""
    if "according" not in doc.text.lower():
        return None
    roots = {t.i for t in doc if t.head.i == t.i}
    roots |= {t.i for t in doc if t.dep_ == "conj" and t.head.i in roots and t.pos_ in ("VERB", "AUX")}
    if not any(t.i in roots for t in path):
        return None
    for token in doc:
        if token.lower_ == "according" and token.head.i in roots:
            return _according_target(token)
    return None


def _paragraph_speaker(article, docs, context: str, offset: int) -> str | None:
    """A quote with no speaker in its sentence: the speaker named last in the same paragraph ('"...," Ruiz told
    the radio. "They found 20 more."')."""
    paragraphs = context.split("\n\n")
    paragraph = paragraphs.pop()
    # a quotation that runs over paragraphs reopens each one without closing the one before
    while paragraphs and paragraph.lstrip()[:1] in ("“", '"') and \
            paragraphs[-1].count("“") > paragraphs[-1].count("”"):
        paragraph = paragraphs.pop() + "\n\n" + paragraph
    if not paragraph.strip():
        return None
    start = offset - len(paragraph)
    # the whole context: a surname in the paragraph ('Ruiz told') is known by the full name written before it
    mentions = [m for m in _mentions(article, docs, context, offset) if m.offset >= start and m.speaker]
    return mentions[-1].text if mentions else None
