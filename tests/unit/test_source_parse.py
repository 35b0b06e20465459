"""Who a figure is credited to, read from spaCy's dependency tree (speakers.py): sentences of our own, two per
pattern of issue 15."""
import json

import pytest

from services.extractor.extraction import parse, speakers
from tests.helpers import claims_of
from tests.unit.parse_helpers import claims_by_value as _by_value, needs_model, words as _words

def _source(text: str, value: int) -> str | None:
    return _by_value(text)[value].source


# The subject of the reporting verb that governs the figure's clause, wherever the verb stands.

@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("About 300 homes were flooded in the valley overnight, the regional council said on Monday.", 300, "council"),
    ("Nearly 90 workers were taken off the rig by helicopter, the operating company reported.", 90, "company"),
    ("Fire chief Marta Olsen told reporters that 14 firefighters were hurt in the blaze.", 14, "olsen"),
    ("The coastguard put the number of missing fishermen at 27.", 27, "coastguard"),
])
def test_the_subject_of_the_governing_reporting_verb(text, value, speaker):
    assert speaker in _words(_source(text, value))


@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    # the reporting verb's subject, not a date or a heading before it
    ("Late on Friday, after a long night, the harbour police counted 1,200 stranded passengers.", 1200, "police"),
    # a subject that holds an apposition: the name, not the description
    ("Ferrovia, the regional rail operator, said 40,000 commuters were stranded.", 40000, "ferrovia"),
])
def test_the_nearest_subject_without_its_apposition(text, value, speaker):
    assert _words(_source(text, value)) == {speaker} or speaker in _words(_source(text, value))


# 'According to X' right after the figure; passive agents in the figure's own phrase; gapped subjects.

@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("The union counted 12,000 marchers in the port, against 3,500, according to the police.", 3500, "police"),
    ("Turnout reached 48,000 in the north (19,000, according to the prefecture).", 19000, "prefecture"),
])
def test_according_to_right_after_the_figure_credits_that_figure(text, value, speaker):
    assert speaker in _words(_source(text, value))


@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("Record in the valley: with 8,000 strikers identified by the police and 15,000 by the unions, the town "
     "beat its own mark.", 15000, "unions"),
    ("The city saw 9,500 walkers, well short of the 26,000 put forward by the organisers.", 26000, "organisers"),
])
def test_an_agent_in_the_figures_own_phrase(text, value, speaker):
    assert speaker in _words(_source(text, value))


@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("In the capital the police counted 5,000 marchers and the organisers 11,000.", 11000, "organisers"),
    ("In Brenholm the prefecture counted 2,400 demonstrators and the unions 6,000.", 6000, "unions"),
])
def test_a_gapped_subject_credits_the_second_figure(text, value, speaker):
    assert speaker in _words(_source(text, value))


# A speaker inside a relative clause.

@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("In Tarvik, where the mayor said that 45 people had drowned, rescue boats arrived late.", 45, "mayor"),
    ("Aid reached Dolmen Bay, where the relief agency counted 600 damaged houses, only on Sunday.", 600, "agency"),
])
def test_a_speaker_in_a_relative_clause(text, value, speaker):
    assert speaker in _words(_source(text, value))


# Quote attribution.

@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("“We have pulled 12 survivors from the river so far,” the rescue chief said.", 12, "chief"),
    ("“At least 70 cars were buried under the mud,” said Pavel Dunn, a local farmer.", 70, "dunn"),
])
def test_a_quote_is_credited_to_its_speaker(text, value, speaker):
    assert speaker in _words(_source(text, value))


# Pronouns resolve to people, organisations and groups: never to a place.

@needs_model
@pytest.mark.parametrize("text, value, place", [
    ("The governor of North Lanark Province toured the shelters on Monday. “At least 35 people have died,” he "
     "said.", 35, "lanark"),
    ("The mayor of East Harrow Borough met the families. “Some 18 homes burned down,” she said.", 18, "harrow"),
])
def test_a_pronoun_never_becomes_a_place(text, value, place):
    source = _source(text, value)
    assert source is None or "governor" in _words(source) or "mayor" in _words(source)
    assert place not in _words(source) or _words(source) & {"governor", "mayor"}


@needs_model
@pytest.mark.parametrize("text, value, person", [
    ("Inspector Lena Marsh spoke in Halden on Friday. She said 19 people were arrested.", 19, "marsh"),
    ("Nurse Tomas Ekberg described the night to a radio station. Later, he said 23 patients were moved.", 23,
     "ekberg"),
])
def test_a_pronoun_resolves_to_the_person_named_before(text, value, person):
    assert person in _words(_source(text, value))


@needs_model
@pytest.mark.parametrize("text, value, person", [
    # the person spoken of last by surname, not a victim named in passing after them
    ("Captain Rhea Molin warned that more could be found as she named a first victim, Jonas Vik. Molin said "
     "the crews were tired. Of the 40, she said 25 were confirmed dead.", 25, "molin"),
    ("Director Ivo Rask thanked the volunteer Petra Lind. Rask said little. Later he said 60 homes were empty.",
     60, "rask"),
])
def test_he_or_she_is_the_person_whose_name_was_written_last(text, value, person):
    assert person in _words(_source(text, value))


# 'The governor', 'the union': a bare description refers back to who was named.

@needs_model
@pytest.mark.parametrize("text, value, name", [
    ("Gov. Mara Quinn toured the coast on Monday. The crews have found 40 boats, the governor said.", 40, "quinn"),
    ("Mayor Piet Holm visited the depot. The city has sent 25 buses, the mayor said.", 25, "holm"),
])
def test_the_title_refers_to_the_person_named_with_it(text, value, name):
    assert name in _words(_source(text, value))


# A figure inside a background clause is not what the verb above it reports.

@needs_model
@pytest.mark.parametrize("text, value", [
    ("Officials placed the toll at 31 after the storm cut power to 200,000 homes.", 200000),
    ("The ministry opened 16 shelters on Monday, after a quake that killed 9,000 people in 1921 struck the "
     "same valley.", 9000),
])
def test_a_figure_in_an_after_clause_is_unattributed(text, value):
    assert _source(text, value) is None


@needs_model
@pytest.mark.parametrize("text, value", [
    ("The old flood claimed 3,000 lives in the delta, the archive shows.", 3000),
    ("The quake claimed 800 lives in the hills.", 800),
])
def test_a_disaster_is_no_speaker(text, value):
    assert _source(text, value) is None or "quake" not in _words(_source(text, value))


@needs_model
@pytest.mark.parametrize("text, value", [
    ("Rescuers will find 20 people a day, probably, until they finish.", 20),
    ("The divers may find 30 more wrecks in the bay.", 30),
])
def test_find_reports_only_a_clause(text, value):
    assert _source(text, value) is None


# The official count is the officials' own.

@needs_model
@pytest.mark.parametrize("text, value", [
    ("The flood's official death toll is now 71.", 71),
    ("The tally of names on the official register of the missing stood at 385.", 385),
])
def test_an_official_count_is_credited_to_officials(text, value):
    assert _source(text, value) == "officials"


# Without a model the word rules answer, and the tree code is never reached.

@pytest.fixture
def rules_only():
    parse.configure("none")
    yield
    parse._configured.clear()
    parse.nlp.cache_clear()


def test_without_a_model_the_word_rules_attribute(rules_only, monkeypatch):
    def boom(*_):
        raise AssertionError("the tree was read without a model")
    monkeypatch.setattr(speakers, "_read", boom)
    assert parse.nlp() is None
    assert "council" in _words(_source("About 300 homes were flooded, the regional council said.", 300))


def test_the_tree_says_nothing_without_a_parse():
    assert speakers.tree_source("About 300 homes were flooded, the council said.", 6, "") == speakers.UNDECIDED


def test_a_malformed_data_file_is_one_line_naming_it(tmp_path):
    bad = tmp_path / "speakers.json"
    raw = json.loads(speakers.DATA_FILE.read_text(encoding="utf-8"))
    raw["reporting_lemmas"]["say"] = "yes"
    bad.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(speakers.DataError) as caught:
        speakers.load_vocabulary(bad)
    assert "speakers.json" in str(caught.value) and "reporting_lemmas" in str(caught.value)
    assert "\n" not in str(caught.value)
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(speakers.DataError):
        speakers.load_vocabulary(bad)


@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("Governor Lena Ortiz said on Friday that about 400 families had left the valley, according to regional "
     "broadcasters.", 400, {"ortiz"}),
    ("Health minister Piet Daalder warned that some 1,200 patients were waiting for beds, according to several "
     "newspapers.", 1200, {"daalder"}),
])
def test_a_person_who_says_the_figure_keeps_it_when_a_credit_trails_the_sentence(text, value, speaker):
    assert speaker <= _words(_source(text, value))


# A verb of denial or dispute is a position on the figure in its complement: its subject is the source, not
# the source of the sentence before (which the denial answers).

@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("The union said 300 workers were laid off this week. The company denied that 250 workers had been let go.",
     250, "company"),
    ("Rescuers said 40 people were missing. The regional governor disputed that 30 people were still unaccounted for.",
     30, "governor"),
])
def test_the_subject_of_a_denial_is_the_source(text, value, speaker):
    assert speaker in _words(_source(text, value))


@pytest.mark.parametrize("text, value, source", [
    ("The mayor said 40 homes were destroyed in the storm.\n\nAdditionally, 300 people were moved to shelters.",
     300, "mayor"),
    ("The coastguard said 12 boats sank overnight.\n\nIn addition, 70 fishermen were brought ashore.", 70,
     "coastguard"),
])
def test_an_additive_opener_keeps_the_previous_source(text, value, source):
    """In the next paragraph too: the opener says the report goes on."""
    found = {c.value: c for c in claims_of(text)}
    assert found[value].source and source in found[value].source.lower()


def test_without_an_opener_a_later_figure_of_another_measure_stays_unattributed():
    found = {c.value: c for c in claims_of("The mayor said 40 homes were destroyed.\n\n"
                                           "300 people were moved to shelters.")}
    assert found[300].source is None


@pytest.mark.parametrize("text, value, source", [
    ("Human Rights Watch said on Monday that 40 villages had burned. HRW said 300 homes were destroyed.", 300,
     "Human Rights Watch"),
    ("The Bureau of Meteorology issued a warning on Friday. The BOM said 90 towns were flooded.", 90,
     "Bureau of Meteorology"),
    ("The union’s estimate put the crowd at 90,000.", 90000, "union"),
])
def test_a_source_is_named_in_full(text, value, source):
    """An acronym the article spells out, and no possessive ending."""
    found = {c.value: c for c in claims_of(text)}
    assert found[value].source == source


@pytest.mark.parametrize("text, value, source", [
    ("Doctors Without Borders said 40 patients died at the clinic.", 40, "Doctors Without Borders"),
    ("Reporters Without Borders said 12 journalists were detained.", 12, "Reporters Without Borders"),
    ("Police with riot shields said 30 people were arrested.", 30, "Police"),
])
def test_a_capitalised_preposition_inside_a_name_stays_in_it(text, value, source):
    assert _by_value(text)[value].source == source


@pytest.mark.parametrize("text, value", [
    ("At least 40 people have died of cholera, WHO said on Monday.", 40),
    ("WHO said 12 people died in the camp.", 12),
])
def test_an_acronym_the_tagger_reads_as_a_pronoun_is_a_source(text, value):
    assert _by_value(text)[value].source == "WHO"


def test_a_pronoun_is_still_resolved_as_a_pronoun():
    found = _by_value("The governor toured the camp. She said 30 families had arrived overnight.")
    assert found[30].source != "She"


@pytest.mark.parametrize("text, value, speaker", [
    ("◾Ortega said the agency has 216 people working in the region.", 216, "Ortega"),
    ("•Baker said 40 people were arrested overnight.", 40, "Baker"),
])
def test_a_bullet_glued_to_the_speakers_name_is_not_part_of_it(text, value, speaker):
    assert _source(text, value) == speaker


# A second clause that leaves the reporting verb out keeps its own subject ("gapping").

@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("The interior ministry counted 1.1 million protesters, while the CGT union 3.5 million.", 3.5e6, "cgt"),
    ("Officials counted 3,000 marchers in Lyon, and organisers 12,000.", 12000, "organisers"),
])
def test_a_gapped_clause_credits_its_own_subject(text, value, speaker):
    assert speaker in _words(_source(text, value))


@needs_model
@pytest.mark.parametrize("text, value, not_a_speaker", [
    ("Police said floods killed 40 people in Brazil, and Chile 131.", 131, "chile"),  # a place is no speaker
    ("The agency recorded 200 cases in May, and the clinics 340 in June.", 340, "clinics"),  # nor a word that
])                                                                                       # names no speaker
def test_no_gapped_credit_to_a_place_or_a_word_that_names_no_speaker(text, value, not_a_speaker):
    claims = _by_value(text)
    assert value not in claims or not_a_speaker not in _words(claims[value].source)


@needs_model
@pytest.mark.parametrize("text, figure", [
    ("Attendance also rose in Dijon, where police counted 5,000, and swelled in Tours with 6,000 to 9,000 people.",
     "6,000"),
    ("Crowds also grew in Porto, where the police counted 3,000 marchers and the unions 7,000, and swelled in Braga "
     "with 2,000 to 4,000 people.", "2,000"),
])
def test_a_clause_before_the_figure_is_no_speaker(text, figure):
    (source,) = [c.source for c in claims_of(text) if figure in c.figure_text]
    assert source is None or not any(w in source.lower() for w in ("rose", "grew", "swelled")), source


# "..., a figure X disputed, saying ...": the participle speaks for the clause just before its comma.

@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("State television said 15 soldiers had been killed in the ambush, a figure the rebels disputed, saying they "
     "had killed 60.", 60, "rebels"),
    ("Officials reported 300 arrests on Friday, a number the organisers rejected, saying police had detained 900.",
     900, "organisers"),
])
def test_a_participle_after_a_disputing_clause_speaks_for_its_subject(text, value, speaker):
    assert speaker in _words(_source(text, value))


@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    # the first person inside a quote is the speaker named outside it
    ('"We have counted 57 bodies so far," said Dr. Amina Yusuf, director of the district hospital.', 57, "yusuf"),
    ('"We have treated 140 patients since dawn," the clinic director said.', 140, "director"),
    # a figure released or given by someone is theirs
    ("The figure, released by the provincial government, brings the number of confirmed deaths to 212.", 212,
     "government"),
    ("Analysts doubted the tally of 400 casualties given by the rebels.", 400, "rebels"),
])
def test_a_speaker_outside_the_quote_or_the_agent_of_a_release(text, value, speaker):
    assert speaker in _words(_source(text, value))


# A trailing attribution after a dash aside: the parser may hang it on the figure's verb or on the aside.

@needs_model
@pytest.mark.parametrize("text, value, speaker", [
    ("Some 300 homes were destroyed – far more than first thought – a local official told the BBC on Monday, "
     "urging calm.", 300, "official"),
    ("More than 900 people may have died in the region, mostly farmers – far above the official toll – a senior "
     "aid official told Reuters on Monday.", 900, "official"),
])
def test_a_speaker_after_a_dash_aside_is_the_source(text, value, speaker):
    assert speaker in _words(_source(text, value))
