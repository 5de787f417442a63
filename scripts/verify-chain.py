#!/usr/bin/env python3
"""Recompute every stream's hash chain in an Eventloom event log, without Eventloom.

    scripts/verify-chain.py [--tenant T] DATABASE_URL

DATABASE_URL is a libpq URL (postgres://eventloom@127.0.0.1:55432/eventloom) handed to
psql, which must be on PATH (or named by $PSQL). Needs Python 3 and its standard library
only. The events are streamed from one read-only snapshot, stream by stream; for each
stream the first broken event is printed:

    BROKEN tenant <t> stream <s> version <v> position <tx>-<pos>: <reason>

then `<N> events in <M> streams: every chain intact` (exit 0) or `...: <K> broken`
(exit 1). Exit 2: bad usage, psql missing, or the log could not be read.
The hashed byte layout is in docs/hash-chain.md.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

GENESIS = bytes(32)

# Every text field is sent as the hex of its UTF-8 bytes, so a line holds only hex
# digits, digits, '-', tabs and \N: nothing in the data can break the framing.
EVENTS_SQL = r"""
COPY (
    SELECT 'E',
           encode(convert_to(e.tenant_id, 'UTF8'), 'hex'),
           encode(convert_to(e.stream_id, 'UTF8'), 'hex'),
           e.stream_version,
           e.event_id::text,
           encode(convert_to(e.type, 'UTF8'), 'hex'),
           e.schema_version,
           encode(convert_to(e.data::text, 'UTF8'), 'hex'),
           encode(convert_to(e.metadata::text, 'UTF8'), 'hex'),
           (extract(epoch FROM e.recorded_at) * 1000000)::bigint::text,
           e.tx_id::text,
           e.global_position,
           encode(e.hash, 'hex'),
           s.stream_id IS NOT NULL
      FROM events e
      LEFT JOIN streams s ON s.tenant_id = e.tenant_id AND s.stream_id = e.stream_id
     {where}
     ORDER BY e.tenant_id, e.stream_id, e.stream_version
) TO STDOUT;
"""

# Registered streams with no event at all (e.g. every event deleted).
EMPTY_HEADS_SQL = r"""
COPY (
    SELECT 'H',
           encode(convert_to(s.tenant_id, 'UTF8'), 'hex'),
           encode(convert_to(s.stream_id, 'UTF8'), 'hex')
      FROM streams s
     WHERE NOT EXISTS (SELECT 1 FROM events e
                        WHERE e.tenant_id = s.tenant_id AND e.stream_id = s.stream_id)
       {and_tenant}
     ORDER BY s.tenant_id, s.stream_id
) TO STDOUT;
"""

HASH_MISMATCH = "the stored hash does not match the event's content and the previous hash"


def field(value: bytes) -> bytes:
    """One canonical field: 4-byte big-endian byte length, then the UTF-8 bytes."""
    return len(value).to_bytes(4, "big") + value


def show(raw: bytes) -> str:
    """Text for the report, with control characters escaped so a name cannot fake a line."""
    text = raw.decode("utf-8", errors="replace")
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


UNREGISTERED = "the stream has events but no row in streams"
EMPTY = "the stream is registered but has no events"


class Walk:
    """Per-stream state while events arrive in (tenant, stream, version) order."""

    def __init__(self):
        self.events = 0
        self.streams = 0
        self.broken = 0
        self.key = None

    def report(self, tenant, stream, version, position, reason):
        self.broken += 1
        where = f" position {position}" if position else ""
        print(f"BROKEN tenant {show(tenant)} stream {show(stream)} version {version}{where}: {reason}",
              flush=True)

    def event(self, cols):
        (tenant, stream, version, event_id, type_, schema_version, data, metadata,
         recorded, tx, position, stored, registered) = cols
        tenant, stream = bytes.fromhex(tenant), bytes.fromhex(stream)
        if (tenant, stream) != self.key:
            self.finish()
            self.key = (tenant, stream)
            self.streams += 1
            self.previous = GENESIS
            self.expected = 1
            self.stream_broken = False
            self.registered = registered == "t"
        self.events += 1
        version = int(version)
        stored = bytes.fromhex(stored)
        self.last = (version, stored, f"{tx}-{position}")
        if self.stream_broken:
            return
        canonical = b"".join(field(v) for v in (
            event_id.encode(), tenant, stream, str(version).encode(), bytes.fromhex(type_),
            schema_version.encode(), bytes.fromhex(data), bytes.fromhex(metadata), recorded.encode()))
        if version != self.expected:
            reason = f"expected version {self.expected}: events are missing"
        elif hashlib.sha256(self.previous + canonical).digest() != stored:
            reason = HASH_MISMATCH
        else:
            reason = None
        self.previous = stored
        self.expected = version + 1
        if reason:
            self.stream_broken = True
            self.report(tenant, stream, version, self.last[2], reason)

    def finish(self):
        """Checks the stream just walked is registered in table streams."""
        if self.key is None or self.registered:
            return
        tenant, stream = self.key
        self.report(tenant, stream, 0, None, UNREGISTERED)

    def empty_head(self, cols):
        self.finish()
        self.key = None
        tenant, stream = cols
        self.report(bytes.fromhex(tenant), bytes.fromhex(stream), 0, None, EMPTY)


def fail(message: str) -> "NoReturn":
    print(f"verify-chain: {message}", file=sys.stderr)
    sys.exit(2)


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Recompute every hash chain of an Eventloom event log (see docs/hash-chain.md).")
    parser.add_argument("--tenant", help="verify this tenant's streams only")
    parser.add_argument("database_url", metavar="DATABASE_URL",
                        help="libpq URL, e.g. postgres://eventloom@127.0.0.1:55432/eventloom")
    args = parser.parse_args()

    psql = os.environ.get("PSQL") or shutil.which("psql")
    if not psql:
        fail("psql not found on PATH (set $PSQL to its path)")

    variables = []
    if args.tenant is None:
        where, and_tenant = "", ""
    else:
        # psql quotes the value itself (:'tenant'), so any tenant name is safe.
        variables = ["-v", f"tenant={args.tenant}"]
        where, and_tenant = "WHERE e.tenant_id = :'tenant'", "AND s.tenant_id = :'tenant'"
    script = ("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;\n"
              + EVENTS_SQL.format(where=where)
              + EMPTY_HEADS_SQL.format(and_tenant=and_tenant)
              + "COMMIT;\n")

    walk = Walk()
    with tempfile.TemporaryFile() as errors:
        try:
            proc = subprocess.Popen(
                [psql, "-X", "-q", "-A", "-t", "-w", "-v", "ON_ERROR_STOP=1", *variables,
                 "-d", args.database_url, "-f", "-"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors,
                env={**os.environ, "PGAPPNAME": "verify-chain"})
        except OSError as error:
            fail(f"cannot run {psql}: {error}")
        proc.stdin.write(script.encode())
        proc.stdin.close()
        try:
            for line in proc.stdout:
                cols = line.rstrip(b"\n").decode("ascii").split("\t")
                if cols[0] == "E" and len(cols) == 14:
                    walk.event(cols[1:])
                elif cols[0] == "H" and len(cols) == 3:
                    walk.empty_head(cols[1:])
                else:
                    proc.kill()
                    fail(f"unexpected line from psql: {line[:200]!r}")
            walk.finish()
        finally:
            status = proc.wait()
        if status != 0:
            errors.seek(0)
            detail = errors.read().decode("utf-8", errors="replace").strip()
            fail(f"could not read the event log (psql exit {status}): {detail or 'no message'}")

    print(f"{walk.events} events in {walk.streams} streams: "
          + ("every chain intact" if walk.broken == 0 else f"{walk.broken} broken"))
    return 0 if walk.broken == 0 else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(2)
