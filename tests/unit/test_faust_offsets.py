"""The commit guard: a Faust worker commits a partition only up to records it processed, and reads a
partition again when a record was skipped while later ones were processed."""
import asyncio
from collections import defaultdict
from types import SimpleNamespace

from faust.transport.consumer import Consumer
from faust.types import TP
from intervaltree import IntervalTree

from services.common import faust_offsets
from services.common.faust_offsets import (commit_check, expected_offset, install_offset_guards, record_start,
                                           skipped_offset)

CLAIMS_3 = TP("claims", 3)


def test_a_run_that_starts_at_the_expected_offset_may_be_committed():
    assert commit_check([4, 5, 6], [], expected=4) == "commit"
    assert commit_check([0, 1], [], expected=0) == "commit"


def test_a_missing_head_holds_the_commit():
    assert commit_check([1, 2, 3], [], expected=0) == "head_missing"
    # Faust itself lets exactly this one-record gap pass
    assert commit_check([5, 6], [], expected=4) == "head_missing"


def test_offsets_without_records_count_as_processed():
    # a transaction marker at 4: the consumer saw 3 then 5
    assert commit_check([5, 6], [(4, 5)], expected=4) == "commit"
    assert commit_check([8], [(2, 8)], expected=5) == "commit"


def test_nothing_is_committed_before_the_start_is_known():
    assert commit_check([0, 1], [], expected=None) == "start_unknown"
    assert commit_check([2], [], expected=3) == "start_unknown"  # only offsets committed already


class _FaustConsumer:
    """The members of Faust's consumer that its commit bookkeeping uses."""

    def __init__(self, generation: int = 7) -> None:
        self.app = SimpleNamespace(consumer_generation_id=generation)
        self._acked = defaultdict(list)
        self._acked_index = defaultdict(set)
        self._gap = defaultdict(IntervalTree)
        self._committed_offset = defaultdict(lambda: None)
        self._unacked_messages = []
        self._read_offset = defaultdict(lambda: None)
        self.queued = []  # events waiting in the claims agent's queue
        self.app.topics = SimpleNamespace(acks_enabled_for=lambda topic: topic == "claims",
                                          _tp_index={CLAIMS_3: [SimpleNamespace(queue=SimpleNamespace(_queue=self.queued))]})
        self.sought = []
        self.in_transaction = False

    def ack(self, *offsets: int, tp: TP = CLAIMS_3) -> None:
        for offset in offsets:
            self._acked[tp].append(offset)
            self._acked_index[tp].add(offset)

    def read(self, offset: int, tp: TP = CLAIMS_3) -> None:
        self._read_offset[tp] = offset

    def assignment(self):
        return {CLAIMS_3, TP("claimwatch-alerter-quantities-changelog", 3)}

    async def earliest_offsets(self, *tps):
        return {tp: 0 for tp in tps}

    async def seek(self, tp, offset):
        self.sought.append((tp, offset))
        self._read_offset[tp] = offset or None


def _new_offset(consumer) -> int | None:
    install_offset_guards()
    return Consumer._new_offset(consumer, CLAIMS_3)


def test_a_partition_new_to_the_group_commits_from_its_start():
    consumer = _FaustConsumer()
    consumer.ack(0, 1, 2)
    assert _new_offset(consumer) is None  # not sought yet: where it starts is unknown
    record_start(consumer, CLAIMS_3, 0)
    assert _new_offset(consumer) == 3


def test_a_skipped_first_record_is_not_committed_past():
    consumer = _FaustConsumer()
    record_start(consumer, CLAIMS_3, 0)
    consumer.ack(1, 2, 3)
    assert _new_offset(consumer) is None
    consumer.ack(0)  # read again and processed
    assert _new_offset(consumer) == 4


def test_a_start_from_an_earlier_generation_does_not_count():
    consumer = _FaustConsumer(generation=7)
    record_start(consumer, CLAIMS_3, 0)
    consumer.app.consumer_generation_id = 8  # a rebalance since; Faust has not sought again yet
    consumer.ack(0, 1)
    assert expected_offset(consumer, CLAIMS_3) is None
    assert _new_offset(consumer) is None


def test_records_acknowledged_again_below_the_committed_offset_are_dropped():
    consumer = _FaustConsumer()
    consumer._committed_offset[CLAIMS_3] = 5
    consumer.ack(2, 3, 5, 6)  # 2 and 3 processed a second time after a re-read
    assert _new_offset(consumer) == 7
    assert consumer._acked_index[CLAIMS_3] == set()


def test_a_record_read_but_never_processed_is_found():
    consumer = _FaustConsumer()
    consumer._committed_offset[CLAIMS_3] = 4
    assert skipped_offset(consumer, CLAIMS_3) is None  # nothing read yet
    consumer.read(3)
    assert skipped_offset(consumer, CLAIMS_3) is None  # all read is committed
    consumer.read(6)
    assert skipped_offset(consumer, CLAIMS_3) == 4
    consumer.queued.append(SimpleNamespace(message=SimpleNamespace(tp=CLAIMS_3, offset=4)))
    assert skipped_offset(consumer, CLAIMS_3) is None  # waiting for the agent
    consumer.queued.clear()
    consumer._unacked_messages.append(SimpleNamespace(tp=CLAIMS_3, offset=4))
    assert skipped_offset(consumer, CLAIMS_3) is None  # being processed
    consumer._unacked_messages.clear()
    consumer.ack(4)
    assert skipped_offset(consumer, CLAIMS_3) is None  # processed, not committed yet


def _age_stalls(consumer) -> None:
    consumer.claimwatch_stalls = {tp: (offset, since - faust_offsets.TAIL_REREAD_AFTER_S)
                                  for tp, (offset, since) in consumer.claimwatch_stalls.items()}


def test_a_skipped_record_is_read_again_once_it_stays_skipped():
    consumer = _FaustConsumer()
    record_start(consumer, CLAIMS_3, 0)
    consumer.read(2)
    consumer.ack(1, 2)
    asyncio.run(faust_offsets.reread_skipped(consumer))
    assert consumer.sought == []  # not yet: it may be on its way to the agent
    _age_stalls(consumer)
    asyncio.run(faust_offsets.reread_skipped(consumer))
    assert consumer.sought == [(CLAIMS_3, 0)]


def test_a_skipped_last_record_is_read_again():
    """Nothing after it was processed, so no commit is held back: only the read position tells."""
    consumer = _FaustConsumer()
    consumer._committed_offset[CLAIMS_3] = 9
    consumer.read(9)
    asyncio.run(faust_offsets.reread_skipped(consumer))
    _age_stalls(consumer)
    asyncio.run(faust_offsets.reread_skipped(consumer))
    assert consumer.sought == [(CLAIMS_3, 9)]


def test_a_record_that_arrives_in_time_is_not_read_again():
    consumer = _FaustConsumer()
    consumer._committed_offset[CLAIMS_3] = 9
    consumer.read(9)
    asyncio.run(faust_offsets.reread_skipped(consumer))
    consumer.ack(9)
    _age_stalls(consumer)
    asyncio.run(faust_offsets.reread_skipped(consumer))
    assert consumer.sought == [] and consumer.claimwatch_stalls == {}


def test_under_exactly_once_faust_keeps_its_slack_for_transaction_markers():
    consumer = _FaustConsumer()
    consumer.in_transaction = True
    record_start(consumer, CLAIMS_3, 0)
    consumer.ack(1, 2)  # offset 0 is a transaction's marker: it is never delivered
    consumer.read(2)
    assert _new_offset(consumer) == 3
    consumer.claimwatch_stalls = {CLAIMS_3: (0, 0.0)}  # as if it had looked skipped for long
    asyncio.run(faust_offsets.reread_skipped(consumer))
    assert consumer.sought == []


def test_a_record_that_stays_skipped_is_read_again_only_a_few_times():
    consumer = _FaustConsumer()
    consumer._committed_offset[CLAIMS_3] = 9
    for _ in range(faust_offsets.MAX_REREADS + 2):
        consumer.read(9)
        asyncio.run(faust_offsets.reread_skipped(consumer))
        _age_stalls(consumer)
        asyncio.run(faust_offsets.reread_skipped(consumer))
    assert consumer.sought == [(CLAIMS_3, 9)] * faust_offsets.MAX_REREADS


def test_a_tail_record_waits_longer_than_a_batch_takes():
    consumer = _FaustConsumer()
    consumer._committed_offset[CLAIMS_3] = 9
    consumer.read(9)
    asyncio.run(faust_offsets.reread_skipped(consumer))
    offset, since = consumer.claimwatch_stalls[CLAIMS_3]
    consumer.claimwatch_stalls[CLAIMS_3] = (offset, since - faust_offsets.REREAD_AFTER_S - 1)
    asyncio.run(faust_offsets.reread_skipped(consumer))
    assert consumer.sought == []  # nothing after it was processed: it may be in a batch


def test_a_reread_logs_what_it_saw_of_the_partition():
    consumer = _FaustConsumer()
    consumer._committed_offset[CLAIMS_3] = 70
    consumer.read(75)
    consumer.ack(72, 73)
    consumer._paused_partitions = {CLAIMS_3}
    state = faust_offsets._reread_state(consumer, CLAIMS_3)
    assert "paused=True" in state and "committed=70" in state and "read=75" in state and "acked=[72, 73]" in state
