"""Offset bookkeeping that keeps a Faust worker from committing past records it never processed.

Faust commits, per partition, the end of the first run of consecutive acknowledged offsets. It does not check
that the run starts where the group's committed offset is: with no committed offset (a partition new to the
group) any run is taken, and with one it lets a one-record gap pass. Around a rebalance Faust can also drop
records: it resumes the stream partitions before it seeks them, so records fetched before the seek reach the
agents while the flow is still closed (skipped, never acknowledged) and mark the partition as read, so the
same records fetched again after the seek are discarded as seen. Measured on Apache Kafka, two alerters
lost the first records of a partition that way in about one run of three of the routed-lookup test.

Two patches close that, under the default `at_least_once` guarantee. Under `exactly_once`, transaction markers
take offsets that are never delivered, which is what Faust's one-offset slack is for; there Faust's own logic
stays.
- a commit goes ahead only when the run of acknowledged offsets starts at the offset the worker must
  process next (the committed offset, or the partition's start when nothing is committed yet), so a
  skipped record holds the commit back instead of being passed over;
- a partition read past a record that was never processed (not acknowledged, not being processed, not
  queued for an agent) for `REREAD_AFTER_S` while later records were processed, or for
  `TAIL_REREAD_AFTER_S` when none were, is read again from that record, at most `MAX_REREADS` times. The records after it come
  again as duplicates, which the services decide idempotently (a known claim id, the same webhook id).
"""
from __future__ import annotations

import logging
import time
from typing import Iterable, Literal

from faust.transport.consumer import Consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.types import TP

log = logging.getLogger("claimwatch")

# Longer than a record waits in an agent's queue behind ones after it in the same partition (never, in
# order), and than a commit interval (2.8 s), so a head that is merely late is not read again.
REREAD_AFTER_S = 5.0
# A skipped record with nothing processed after it looks the same as one in a batch still being processed (a
# batch's records are neither queued nor acknowledged until it ends), so it waits longer than any batch.
TAIL_REREAD_AFTER_S = 30.0
# Read again at most this often from one offset: a record that keeps being skipped is left to a restart
MAX_REREADS = 3

CommitCheck = Literal["commit", "start_unknown", "head_missing"]


def commit_check(acked: Iterable[int], gaps: Iterable[tuple[int, int]], expected: int | None) -> CommitCheck:
    """May the first run of `acked` offsets be committed, when `expected` is the next offset to process?

    `gaps` are [begin, end) ranges the consumer saw no record in (compacted or transaction-marker offsets),
    which count as processed. Offsets below `expected` were committed before and are ignored."""
    if expected is None:
        return "start_unknown"
    covered = [offset for offset in acked if offset >= expected]
    covered += [max(begin, expected) for begin, end in gaps if end > expected]
    if not covered:
        return "start_unknown"
    return "commit" if min(covered) == expected else "head_missing"


def expected_offset(consumer, tp: TP) -> int | None:
    """The offset this worker must process next in `tp`: the higher of Faust's committed offset and the
    start this module recorded at the last seek in the current generation (None: not sought yet)."""
    known = []
    committed = consumer._committed_offset.get(tp)
    if committed is not None:
        known.append(committed)
    start = getattr(consumer, "claimwatch_starts", {}).get(tp)
    if start is not None and start[0] == consumer.app.consumer_generation_id:
        known.append(start[1])
    return max(known) if known else None


def record_start(consumer, tp: TP, offset: int) -> None:
    _kept(consumer, "claimwatch_starts")[tp] = (consumer.app.consumer_generation_id, offset)


def install_offset_guards() -> None:
    """Patch Faust's consumer once per process (the services call this before building their app)."""
    _seek_uncommitted_to_start()
    _guard_commits()


def _seek_uncommitted_to_start() -> None:
    """After a rebalance Faust seeks each partition to its committed offset. aiokafka seeks only where that
    offset is above 0, so a partition with none keeps the fetch position of the records just dropped from
    the queues. Such partitions go back to their start here (the services' reset policy is `earliest`).
    Every partition's start is recorded for the commit guard."""
    seek = AIOKafkaConsumerThread.seek_to_committed
    if getattr(seek, "claimwatch_seeks_uncommitted", False):
        return

    async def seek_to_committed(self):
        consumer = self._ensure_consumer()

        async def seek_all():
            committed = await consumer.seek_to_committed()
            uncommitted = [tp for tp, offset in committed.items() if not offset]
            starts = {tp: offset for tp, offset in committed.items() if offset}
            if uncommitted:
                await consumer.seek_to_beginning(*uncommitted)
                starts.update(await consumer.beginning_offsets(uncommitted))
            for tp, offset in starts.items():
                record_start(self.consumer, TP(tp.topic, tp.partition), offset)
            return committed
        return await self.call_thread(seek_all)

    seek_to_committed.claimwatch_seeks_uncommitted = True
    AIOKafkaConsumerThread.seek_to_committed = seek_to_committed


def _guard_commits() -> None:
    new_offset = Consumer._new_offset
    if getattr(new_offset, "claimwatch_guarded", False):
        return
    commit_tps = Consumer._commit_tps

    def guarded_new_offset(self, tp: TP):
        if self.in_transaction:
            return new_offset(self, tp)  # transaction markers take offsets: Faust's one-offset slack is for them
        acked = self._acked[tp]
        expected = expected_offset(self, tp)
        if expected is not None and acked and min(acked) < expected:
            stale = {offset for offset in acked if offset < expected}  # acknowledged again after a re-read
            acked[:] = [offset for offset in acked if offset >= expected]
            self._acked_index[tp].difference_update(stale)
        gaps = [(interval.begin, interval.end) for interval in self._gap[tp]] if tp in self._gap else []
        if commit_check(acked, gaps, expected) == "commit":
            return new_offset(self, tp)
        return None

    async def commit_tps_then_reread(self, tps, start_new_transaction: bool) -> bool:
        committed = await commit_tps(self, tps, start_new_transaction)
        await reread_skipped(self)  # Faust calls this every commit interval
        return committed

    guarded_new_offset.claimwatch_guarded = True
    Consumer._new_offset = guarded_new_offset
    Consumer._commit_tps = commit_tps_then_reread


def skipped_offset(consumer, tp: TP) -> int | None:
    """The offset this worker must process next in `tp` when it has read past it without processing it:
    not acknowledged, not being processed, not waiting in an agent's queue. None when there is none."""
    expected = expected_offset(consumer, tp)
    read = consumer._read_offset.get(tp)
    if expected is None or read is None or read < expected:
        return None  # not read that far yet: the fetcher will bring it
    if expected in consumer._acked_index.get(tp, ()):
        return None  # processed; the next commit takes it
    if tp in consumer._gap and consumer._gap[tp].overlaps(expected):
        return None  # no record there (a transaction marker)
    if any(m.tp == tp and m.offset == expected for m in list(consumer._unacked_messages)):
        return None
    for channel in list(consumer.app.topics._tp_index.get(tp, ())):
        for event in list(getattr(getattr(channel, "queue", None), "_queue", ())):
            message = getattr(event, "message", None)
            if message is not None and message.tp == tp and message.offset == expected:
                return None
    return expected


def _kept(consumer, name: str) -> dict:
    """A dict this module keeps on Faust's consumer, made on first use."""
    if not hasattr(consumer, name):
        setattr(consumer, name, {})
    return getattr(consumer, name)


def _rereads(consumer) -> dict[tuple[TP, int], int]:
    return _kept(consumer, "claimwatch_rereads")


def _stalls(consumer) -> dict[TP, tuple[int, float]]:
    return _kept(consumer, "claimwatch_stalls")


def _reread_state(consumer, tp: TP) -> str:
    """What a re-read saw, for the log: why a record can stay unprocessed after it is read again is still open."""
    acked = sorted(consumer._acked.get(tp, ()))
    return (f"paused={tp in getattr(consumer, '_paused_partitions', ())} "
            f"active={tp in (getattr(consumer, '_active_partitions', None) or ())} "
            f"buffered={tp in getattr(consumer, '_buffered_partitions', ())} kafka_paused={_kafka_paused(consumer, tp)} "
            f"committed={consumer._committed_offset.get(tp)} read={consumer._read_offset.get(tp)} "
            f"acked={acked[:2]}..{acked[-1:]} flow={getattr(consumer, 'flow_active', None)}")


def _kafka_paused(consumer, tp: TP) -> bool | None:
    """Whether aiokafka itself holds the partition paused (None: not known), for the re-read log."""
    try:
        return tp in {(p.topic, p.partition) for p in consumer._thread._consumer.paused()}
    except Exception:
        return None


async def reread_skipped(consumer) -> None:
    """Read a partition again from a record this worker skipped, once it has stayed skipped for
    REREAD_AFTER_S (a record can be between the fetcher and an agent for a moment)."""
    if consumer.in_transaction:
        return  # a marker's offset is never delivered: it would look read and not processed
    stalls = _stalls(consumer)
    now = time.monotonic()
    acked_topics = consumer.app.topics.acks_enabled_for
    for tp in consumer.assignment():
        skipped = skipped_offset(consumer, tp) if acked_topics(tp.topic) else None
        if skipped is None:
            stalls.pop(tp, None)
            continue
        first_seen = stalls.setdefault(tp, (skipped, now))
        if first_seen[0] != skipped:
            stalls[tp] = (skipped, now)
            continue
        later_done = any(offset > skipped for offset in consumer._acked.get(tp, ()))
        if now - first_seen[1] < (REREAD_AFTER_S if later_done else TAIL_REREAD_AFTER_S):
            continue
        rereads = _rereads(consumer)
        rereads[(tp, skipped)] = rereads.get((tp, skipped), 0) + 1
        if rereads[(tp, skipped)] > MAX_REREADS:
            if rereads[(tp, skipped)] == MAX_REREADS + 1:
                log.error("%s-%s: the record at offset %s was still not processed after %s re-reads; its "
                          "partition's commit waits for it, and a restart reads it again",
                          tp.topic, tp.partition, skipped, MAX_REREADS)
            continue
        earliest = (await consumer.earliest_offsets(tp)).get(tp)
        if earliest is not None and earliest > skipped:
            record_start(consumer, tp, earliest)  # retention deleted it: go on from the log's start
            skipped = earliest
        log.warning("%s-%s: the record at offset %s was read but not processed; reading the partition again "
                    "from it (records after it come again as duplicates) [%s]", tp.topic, tp.partition, skipped,
                    _reread_state(consumer, tp))
        stalls[tp] = (skipped, now)
        await consumer.seek(tp, skipped)
    for tp in [tp for tp in stalls if tp not in consumer.assignment()]:
        del stalls[tp]
