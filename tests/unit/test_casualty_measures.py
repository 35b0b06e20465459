"""Casualty measures read from the structure, in sentences written for these tests: a part named after the verb
of its whole ('..., including two firefighters') is counted as the whole is, and a loss is a death only when
people are what was lost."""
import pytest

from tests.helpers import claims_of
from tests.unit.parse_helpers import claims_by_value as _by_value, needs_model


@needs_model
@pytest.mark.parametrize("text, whole, part, measure", [
    ("Nine people died on Sunday, including two firefighters.", 9, 2, "killed"),
    ("Dozens were arrested, among them 12 students.", None, 12, "arrested"),
    ("At least 300 villagers were killed when the militia attacked, including at least 40 children.", 300, 40,
     "killed"),
])
def test_a_part_hanging_from_the_wholes_verb_is_counted_as_the_whole_is(text, whole, part, measure):
    claims = _by_value(text)
    assert claims[part].measure == measure
    if whole is not None:
        assert claims[whole].measure == measure
        # a part is another quantity than its whole: the two are never compared
        assert claims[part].quantity_key != claims[whole].quantity_key


@needs_model
@pytest.mark.parametrize("text, value, measure", [
    ("The regiment lost 300 men in the assault on the ridge.", 300, "killed"),
    ("The general admitted losses of 1,200 soldiers in the offensive.", 1200, "killed"),
])
def test_lost_people_are_casualties(text, value, measure):
    assert _by_value(text)[value].measure == measure


@pytest.mark.parametrize("text, value", [
    ("The company lost 300 jobs last year.", 300),
    ("The party lost 30 seats in the election.", 30),
])
def test_lost_things_are_not_deaths(text, value):
    assert _by_value(text)[value].measure != "killed"


@needs_model
@pytest.mark.parametrize("text, value, measure", [
    ("Coastguards said 11 sailors are missing and presumed dead after the trawler sank.", 11, "killed"),
    ("Two workers were injured and later died in hospital.", 2, "killed"),
    # the second state has its own figure: each keeps its own
    ("Four climbers were injured and 3 died on the glacier.", 4, "injured"),
    ("Some 20 people were injured and taken to hospital.", 20, "injured"),
])
def test_a_later_state_without_a_figure_of_its_own_moves_the_count(text, value, measure):
    assert _by_value(text)[value].measure == measure


@needs_model
def test_a_presumed_toll_beside_a_confirmed_one_is_another_quantity():
    both = _by_value("Coastguards said 4 sailors have died and 11 are missing, presumed dead, after the trawler sank.")
    assert both[4].measure == both[11].measure == "killed"
    assert both[4].quantity_key != both[11].quantity_key


@needs_model
def test_a_presumed_toll_alone_is_the_toll_as_it_stands():
    # the toll announced as "missing and presumed dead" is the one later reports raise or confirm
    presumed = _by_value("Coastguards said 11 sailors are missing and presumed dead after the trawler sank.")[11]
    confirmed = _by_value("Coastguards said 4 sailors have died after the trawler sank.")[4]
    assert presumed.measure == confirmed.measure == "killed"
    assert presumed.quantity_key == confirmed.quantity_key


@needs_model
def test_parts_of_a_toll_are_quantities_of_their_own():
    parts = _by_value("The bus crash killed 40 people – 12 Germans and 28 Austrians, the police said.")
    assert len({parts[40].quantity_key, parts[12].quantity_key, parts[28].quantity_key}) == 3
    including = _by_value("The landslide killed 31 villagers, including 9 children, officials said.")
    alone = _by_value("The landslide killed 9 children, officials said.")
    assert including[9].quantity_key == alone[9].quantity_key != including[31].quantity_key
    of_the = _by_value("Of the 52 miners trapped underground, 17 were rescued alive and 6 died.")
    assert of_the[6].quantity_key != _by_value("Six miners died underground.")[6].quantity_key


@needs_model
def test_others_feared_dead_leave_the_confirmed_figure_as_it_is():
    eight = _by_value("Eight hikers died on the ridge and others are feared dead.")[8]
    assert eight.quantity_key == _by_value("Eight hikers died on the ridge.")[8].quantity_key


@pytest.mark.parametrize("text, value", [
    ("Troops said 40 gunmen were killed and six others were captured.", 6),
    ("In the raids, 40 bodies of gunmen were found and eight other captured alive, the army said.", 8),
])
def test_captives_are_counted_as_captured_not_killed(text, value):
    claims = _by_value(text)
    assert claims[value].measure == "captured"
    assert claims[40].measure == "killed"
    assert claims[value].quantity_key != claims[40].quantity_key  # never compared with the dead


@pytest.mark.parametrize("text, value, entity", [
    ("Twelve soldiers died and 40 others were wounded in the ambush.", 40, "soldiers"),
    ("Divers recovered 14 bodies, and 31 others are still missing.", 31, "people"),  # not more bodies
])
def test_others_are_of_the_kind_the_figure_before_counted(text, value, entity):
    (claim,) = [c for c in claims_of(text) if c.value == value]
    assert claim.entity == entity


@pytest.mark.parametrize("text, value", [
    ("Rescuers said 38 miners were trapped underground after the collapse.", 38),
    ("Floodwaters trapped 200 villagers on rooftops, officials said.", 200),
])
def test_people_trapped_are_a_measure_of_their_own(text, value):
    (claim,) = [c for c in claims_of(text) if c.value == value]
    assert claim.measure == "trapped"


@needs_model
def test_bodies_recovered_are_a_part_of_the_toll_not_its_rival():
    found = _by_value("Rescuers pulled 12 bodies from the rubble on Monday, bringing the toll to 80.")
    assert found[12].measure == "bodies_recovered" and found[80].measure == "killed"
    assert found[12].quantity_key != found[80].quantity_key
    assert _by_value("Forty bodies were brought to the city morgue overnight.")[40].measure == "bodies_recovered"
    assert _by_value("The confirmed body count has risen to 4,300.")[4300].measure == "killed"


@needs_model
def test_damaged_or_destroyed_is_counted_as_the_destruction():
    assert _by_value("Inspectors said 1,400 homes were damaged or destroyed by the storm.")[1400].measure == \
        "homes_destroyed"
    both = _by_value("Inspectors said 300 buildings were destroyed and 900 were damaged.")
    assert (both[300].measure, both[900].measure) == ("buildings_destroyed", "buildings_damaged")
