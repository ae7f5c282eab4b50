#!/usr/bin/env python3
"""Kills Sluice with SIGKILL while a chain of persistent queries runs, and checks the outputs.

A generator appends batches of events to an input topic between rounds; in each round the engine
(`sluice run` on the data directory, which resumes the recorded queries) is started, left to work
for a random moment and killed with SIGKILL. At the end a clean `sluice run --until-idle` lets it
finish. The output topics of the chain (a stateless filter, a windowed aggregate over a
repartition, and a stream-table join) must then equal, record for record, those of a reference run
that was never killed: nothing lost, nothing duplicated.

Short form for CI (the default): 20 rounds. Longer: --rounds 200 --batch 20000.

    .ci/fault-injection.py [--sluice PATH] [--rounds N] [--batch N] [--seed N] [--keep]
"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SETUP = """
CREATE TABLE users (id INT PRIMARY KEY, region STRING)
  WITH (KAFKA_TOPIC='users', FORMAT='JSON', PARTITIONS=2);
CREATE STREAM events (id INT KEY, amount INT, ts BIGINT)
  WITH (KAFKA_TOPIC='events', FORMAT='JSON', PARTITIONS=2, TIMESTAMP='ts');
CREATE STREAM big AS SELECT id, amount, ts FROM events WHERE amount > 10;
CREATE TABLE per_bucket AS SELECT amount % 7 AS bucket, COUNT(*) AS n, SUM(amount) AS total
  FROM big WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY amount % 7;
CREATE STREAM enriched AS SELECT e.id, e.amount, u.region FROM events e JOIN users u ON e.id = u.id;
"""

SINKS = ["BIG", "PER_BUCKET", "ENRICHED"]


def sluice(binary, args, stdin=None, check=True):
    result = subprocess.run([binary] + args, input=stdin, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.exit(f"fault-injection: sluice {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def batches(seed, count, size):
    """Deterministic event batches: keyed lines `id|{json}` with increasing event time."""
    rng = random.Random(seed)
    # Event time far after the users' (wall-clock) rows, so every replay joins them in the same order.
    ts = 4_000_000_000_000
    out = []
    for _ in range(count):
        lines = []
        for _ in range(size):
            ts += rng.randint(0, 40)
            key = rng.randint(1, 50)
            lines.append(f'{key}|{{"amount":{rng.randint(0, 100)},"ts":{ts}}}')
        out.append("\n".join(lines) + "\n")
    return out


def users():
    regions = ["north", "south", "east", "west"]
    return "".join(f'{i}|{{"region":"{regions[i % 4]}"}}\n' for i in range(1, 51))


def prepare(binary, directory):
    sluice(binary, ["produce", "users", "-k", "|", "--partitions", "2", "--data-dir", directory], stdin=users())
    with open(os.path.join(directory, "..", os.path.basename(directory) + "-setup.sql"), "w") as f:
        f.write(SETUP)
    sluice(binary, ["run", f.name, "--until-idle", "--data-dir", directory])


def feed(binary, directory, batch):
    sluice(binary, ["produce", "events", "-k", "|", "--data-dir", directory], stdin=batch)


def contents(binary, directory):
    return {sink: sluice(binary, ["consume", sink, "--from-beginning", "--decode", "--data-dir", directory]).stdout for sink in SINKS}


def windowed_counts(text):
    """(key with window, N, TOTAL) of each PER_BUCKET update, in order."""
    for line in text.splitlines():
        if not line.startswith("rowtime:"):
            continue
        key = line.split(", key: ", 1)[1].split(", value: ", 1)[0]
        value = line.split(", value: ", 1)[1].rsplit(", partition: ", 1)[0]
        n = int(value.split('"N":', 1)[1].split(",", 1)[0])
        total = int(value.split('"TOTAL":', 1)[1].split("}", 1)[0])
        yield key, n, total


def count_sequences(text):
    """The final (N, TOTAL) per window, and the windows whose N did not go 1, 2, 3, ..."""
    last = {}
    problems = []
    for key, n, total in windowed_counts(text):
        previous = last.get(key, (0, 0))[0]
        if n != previous + 1:
            problems.append(f"{key}: {previous} then {n}")
        last[key] = (n, total)
    return last, problems


def final_counts(text):
    return count_sequences(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sluice", default=os.environ.get("SLUICE_BIN", ".build/debug/sluice"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--batch", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=int(os.environ.get("FAULT_SEED", "7")))
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    options = parser.parse_args()
    binary = os.path.abspath(options.sluice)
    work = tempfile.mkdtemp(prefix="sluice-fault-")
    rng = random.Random(options.seed)
    data = batches(options.seed, options.rounds, options.batch)

    reference = os.path.join(work, "reference")
    prepare(binary, reference)
    for batch in data:
        feed(binary, reference, batch)
    sluice(binary, ["run", "--until-idle", "--data-dir", reference])
    expected = contents(binary, reference)

    crashed = os.path.join(work, "crashed")
    prepare(binary, crashed)
    kills = 0
    for batch in data:
        feed(binary, crashed, batch)
        engine = subprocess.Popen(
            # Frequent state snapshots, so restarts resume from snapshots as well as replay.
            [binary, "run", "--data-dir", crashed, "-p", "sluice.state.snapshot.records=700"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.05, 1.0))
        if engine.poll() is None:
            engine.send_signal(signal.SIGKILL)
            kills += 1
        engine.wait()
    sluice(binary, ["run", "--until-idle", "--data-dir", crashed])
    actual = contents(binary, crashed)

    failed = False
    for sink in ["BIG", "ENRICHED"]:
        # One input partition feeds each output partition: the records must match one for one.
        want = expected[sink].splitlines()
        got = actual[sink].splitlines()
        same = want == got
        missing = len(set(want) - set(got))
        print(f"fault-injection: {sink}: reference {len(want)} records, after {kills} kills {len(got)}: "
              + ("identical" if same else f"DIFFERENT ({missing} missing, {len(got) - len(want):+d} records)"))
        failed = failed or not same or len(want) == 0
    # The aggregate reads a repartition topic that two upstream tasks write into, so the order in
    # which its inputs interleave depends on scheduling (as in Kafka Streams). Exactly-once shows
    # in the counts instead: each window's updates count 1, 2, 3, ... with no repeat or gap, and end
    # where the reference ends.
    want = final_counts(expected["PER_BUCKET"])
    got_final, problems = count_sequences(actual["PER_BUCKET"])
    same = want[0] == got_final and not problems and not want[1]
    print(f"fault-injection: PER_BUCKET: {len(want[0])} windows in the reference, {len(got_final)} after {kills} kills: "
          + ("same final counts, no count repeated or skipped" if same
             else f"DIFFERENT ({sum(1 for k in want[0] if want[0][k] != got_final.get(k))} windows differ; "
                  f"{len(problems)} broken count sequences, e.g. {problems[:3]})"))
    failed = failed or not same or not want[0]
    if options.keep or failed:
        print(f"fault-injection: data kept in {work}")
    else:
        shutil.rmtree(work)
    if kills < options.rounds // 2:
        print(f"fault-injection: only {kills} of {options.rounds} rounds were killed mid-run")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
