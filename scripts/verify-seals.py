#!/usr/bin/env python3
"""Check Eventloom's seals and proofs from what the API returned, without Eventloom.

    scripts/verify-seals.py --public-key HEX FILE...

Each FILE holds JSON objects (one document, or one per line) as the API returns them:
`GET /v1/events/{id}/proof` (an inclusion proof with its seal) and
`GET /v1/seals/{a}/consistency/{b}` (a consistency proof with both seals). For each it
checks that every seal is signed by HEX (the seals' Ed25519 public key, hex) over
"eventloom-seal-v1 <sequence> <tree_size> <root_hash> <through>", that the inclusion path
leads from SHA-256(0x00 || event_hash) to the seal's root (RFC 9162 2.1.3.2), and that
the consistency path proves the second tree extends the first (RFC 9162 2.1.4.2). Two
seals with the same number but different contents are a failure too. It prints
`OK <what>` or `FAILED <what>: <reason>` per proof, then a summary; exit 0 when all
hold, 1 when one fails, 2 on bad usage or input. Needs Python 3 and `cryptography`
(Debian: python3-cryptography) for Ed25519. See docs/seals.md.
"""

import argparse
import hashlib
import json
import sys

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:
    print("verify-seals: needs the cryptography package (apt install python3-cryptography)", file=sys.stderr)
    sys.exit(2)


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def leaf(event_hash):
    return hashlib.sha256(b"\x00" + event_hash).digest()


def verify_inclusion(leaf_hash, index, size, path, root):
    if index < 0 or index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size, new_size, old_root, new_root, proof):
    if old_size < 0 or old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node(c, fr)
            sr = node(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


class Checker:
    def __init__(self, public_key_hex):
        raw = bytes.fromhex(public_key_hex)
        if len(raw) != 32:
            raise ValueError("the public key is 32 bytes of hex")
        self.public_key_hex = raw.hex()
        self.key = Ed25519PublicKey.from_public_bytes(raw)
        self.seals = {}
        self.failures = 0
        self.checked = 0

    def seal(self, seal):
        """None when the seal is signed by the key and agrees with every seal of its number seen; else why not."""
        text = "eventloom-seal-v1 %d %d %s %s" % (seal["sequence"], seal["tree_size"], seal["root_hash"], seal["through"])
        if seal.get("public_key", "").lower() != self.public_key_hex:
            return "seal %d is signed with another key (%s)" % (seal["sequence"], seal.get("key_id"))
        try:
            self.key.verify(bytes.fromhex(seal["signature"]), text.encode())
        except (InvalidSignature, ValueError):
            return "seal %d: the signature does not verify" % seal["sequence"]
        seen = self.seals.setdefault(seal["sequence"], (seal["tree_size"], seal["root_hash"]))
        if seen != (seal["tree_size"], seal["root_hash"]):
            return "seal %d appears with two different trees" % seal["sequence"]
        return None

    def report(self, what, reason):
        self.checked += 1
        if reason:
            self.failures += 1
            print("FAILED %s: %s" % (what, reason))
        else:
            print("OK %s" % what)

    def check(self, document):
        if "inclusion_path" in document:
            seal = document["seal"]
            what = "event %s in seal %d" % (document["event_id"], seal["sequence"])
            reason = self.seal(seal)
            if not reason:
                ok = verify_inclusion(leaf(bytes.fromhex(document["event_hash"])), document["leaf_index"], seal["tree_size"],
                                      [bytes.fromhex(p) for p in document["inclusion_path"]], bytes.fromhex(seal["root_hash"]))
                reason = None if ok else "the inclusion path does not lead to the seal's root"
            self.report(what, reason)
        elif "consistency_path" in document:
            first, second = document["first"], document["second"]
            what = "seal %d extends seal %d" % (second["sequence"], first["sequence"])
            reason = self.seal(first) or self.seal(second)
            if not reason:
                ok = verify_consistency(first["tree_size"], second["tree_size"], bytes.fromhex(first["root_hash"]),
                                        bytes.fromhex(second["root_hash"]), [bytes.fromhex(p) for p in document["consistency_path"]])
                reason = None if ok else "the consistency path does not prove it"
            self.report(what, reason)
        else:
            raise ValueError("neither an inclusion nor a consistency proof")


def documents(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    try:
        value = json.loads(text)
        return value if isinstance(value, list) else [value]
    except json.JSONDecodeError:
        return [json.loads(line) for line in text.splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser(description="Check Eventloom seals and proofs without Eventloom.")
    parser.add_argument("--public-key", required=True, help="the seals' Ed25519 public key, hex")
    parser.add_argument("files", nargs="+", help="JSON from /v1/events/{id}/proof and /v1/seals/{a}/consistency/{b}")
    args = parser.parse_args()
    try:
        checker = Checker(args.public_key)
        for path in args.files:
            for document in documents(path):
                checker.check(document)
    except (OSError, ValueError, KeyError, TypeError) as error:
        print("verify-seals: %s" % error, file=sys.stderr)
        sys.exit(2)
    print("%d proofs: %s" % (checker.checked, "all hold" if checker.failures == 0 else "%d failed" % checker.failures))
    sys.exit(1 if checker.failures else 0)


if __name__ == "__main__":
    main()
