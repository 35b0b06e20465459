"""A pronoun refers to the person last mentioned, named or described by a title, never to a place."""
import pytest

from tests.helpers import claims_of


@pytest.mark.parametrize("text, source", [
    ('The governor of Upper Nile State visited the camps on Tuesday. "At least 40 people have died," he said.',
     "governor of Upper Nile State"),
    ('The health minister toured the ward on Friday. "Twelve patients died overnight," she said.', "health minister"),
    ("A police spokesman spoke outside the station. He said 30 people were arrested.", "police spokesman"),
    ("The governor met Ana Lima on Monday. She said 25 homes had burned.", "Ana Lima"),
    ("Ana Lima, the region's governor, toured the site. She said 25 homes had burned.", "Ana Lima"),
])
def test_a_pronoun_credits_the_person_last_mentioned(text, source):
    assert claims_of(text)[0].source == source
