#!/usr/bin/env python3
"""Checks the test vectors in proto/HANDSHAKE.md (section 10) with a second,
independent implementation: the helpers of interop_joiner.py (Python +
libsodium via ctypes, written from the document alone). From the vectors'
fixed inputs it recomputes every other value as the document's prose says,
and each must equal the hex the document shows.

Usage: check_vectors.py HANDSHAKE.md
"""
import ctypes
import os
import re
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "pairing"))
from interop_joiner import (aead_encrypt, expand32, field_bytes, field_varint, hmac512, leb128,  # noqa: E402
                            lv_cat, ristretto_from_hash, ristretto_mult, sha512, sodium)


def read_vectors(path):
    text = open(path, encoding="utf-8").read()
    block = re.search(r"<!-- generated: handshake-vectors .*?-->\n```\n(.*?)```", text, re.S)
    assert block, "no handshake-vectors block in " + path
    values = {}
    for line in block.group(1).splitlines():
        if " = " in line and not line.startswith("#"):
            name, value = line.split(" = ", 1)
            values[name] = value[1:-1].encode() if value.startswith('"') else bytes.fromhex(value)
    return values


def keypair(seed):
    pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(64)
    sodium.crypto_sign_seed_keypair(pk, sk, seed)
    return pk.raw, sk.raw


def sign(sk, msg):
    sig = ctypes.create_string_buffer(64)
    sodium.crypto_sign_detached(sig, None, msg, ctypes.c_ulonglong(len(msg)), sk)
    return sig.raw


def x25519(secret, public=None):
    out = ctypes.create_string_buffer(32)
    if public is None:
        sodium.crypto_scalarmult_base(out, secret)
    else:
        assert sodium.crypto_scalarmult(out, secret, public) == 0
    return out.raw


def framed(envelope):
    """README.md, "Transport and framing": a 4-byte big-endian length, then the Envelope."""
    return struct.pack(">I", len(envelope)) + envelope


def sealed_frame(key, counter, kind, payload):
    """HANDSHAKE.md section 6: header, then the padded kind byte and payload, sealed."""
    plain = pad(bytes([kind]) + payload)
    header = struct.pack(">QI", counter, len(plain) + 16)
    return header + aead_encrypt(key, bytes(16) + struct.pack(">Q", counter), header, plain)


def after_secret(v, mode, secret, client_share, server_share, finish_share, out):
    """Sections 4 to 6 for one mode; puts each recomputed value into `out`."""
    p = mode + "."
    u32 = lambda n: struct.pack(">I", n)  # noqa: E731
    mode_number = 1 if mode == "code" else 2
    out[p + "transcript_input"] = lv_cat(b"attune.v1 handshake", u32(1), u32(mode_number), v["client_nonce"],
                                         client_share, u32(1), v["server_nonce"], server_share, finish_share)
    th = out[p + "th"] = sha512(out[p + "transcript_input"])
    prk = out[p + "prk"] = hmac512(th, secret)
    keys = {}
    for label in ["client confirm", "server confirm", "client proof", "server proof", "client to server",
                  "server to client"]:
        keys[label] = out[p + label.replace(" ", "_") + "_key"] = expand32(prk, b"attune.v1 " + label.encode())
    out[p + "ClientFinish.confirm"] = hmac512(keys["client confirm"], th)
    out[p + "ServerFinish.confirm"] = hmac512(keys["server confirm"], th)
    for who, label, key in [("joiner", b"attune.v1 client proof", "client proof"),
                            ("host", b"attune.v1 server proof", "server proof")]:
        pk, sk = keypair(v[who + "_seed"])
        signed = out[p + who + "_proof.signed"] = lv_cat(label, th, v[who + "_device_id"], pk)
        sig = out[p + who + "_proof.signature"] = sign(sk, signed)
        proof = out[p + who + "_proof.IdentityProof"] = (field_bytes(1, v[who + "_device_id"]) +
                                                         field_bytes(2, pk) + field_bytes(3, sig))
        out[p + who + "_proof.sealed_proof"] = aead_encrypt(keys[key], bytes(24), th, proof)
    for direction, key in [("joiner_to_host", "client to server"), ("host_to_joiner", "server to client")]:
        out[p + "frame_" + direction] = sealed_frame(keys[key], 0, 0, v[p + "frame_" + direction + ".payload"])
        out[p + "frame_" + direction + ".payload"] = v[p + "frame_" + direction + ".payload"]
    # The same as they travel: Envelope.handshake (12) holding HandshakeMessage.client_hello (1), and
    # Envelope.sealed (13) holding the frame's bytes.
    client_hello = (field_varint(1, 1) + field_varint(2, mode_number) + field_bytes(3, v["client_nonce"]) +
                    (field_bytes(4, client_share) if client_share else b""))
    out[p + "wire.ClientHello"] = framed(field_bytes(12, field_bytes(1, client_hello)))
    out[p + "wire.frame_joiner_to_host"] = framed(field_bytes(13, out[p + "frame_joiner_to_host"]))
    # The joiner's close frame (kind 1), after its data frame: counter 1, Close{GOING_AWAY, words}.
    goodbye = out[p + "close_joiner_to_host.Close"] = (field_varint(1, 1) +
                                                       field_bytes(2, b"This device closed Attune for now."))
    out[p + "close_joiner_to_host"] = sealed_frame(keys["client to server"], 1, 1, goodbye)


# Section 6.1: a sealed plaintext is padded with 0x80 and then zeros up to the
# smallest size bucket that holds it.
BUCKETS = [256 << i for i in range(8)] + [65504]


def pad(plain):
    size = next(b for b in BUCKETS if b >= len(plain) + 1)
    return plain + b"\x80" + bytes(size - len(plain) - 1)


def recompute(v):
    out = {}
    for who in ["host", "joiner"]:
        out[who + "_public_key"] = keypair(v[who + "_seed"])[0]
    # Code mode: CPace, host = party A, joiner = party B (section 3.1).
    sid = out["code.sid"] = v["client_nonce"] + v["server_nonce"]
    dsi, prs, ci = b"CPaceRistretto255", v["code"], b"attune.v1 code pairing"
    zpad = max(0, 128 - len(leb128(len(prs)) + prs) - len(leb128(len(dsi)) + dsi) - 1)
    gen_str = out["code.gen_str"] = lv_cat(dsi, prs, bytes(zpad), ci, sid)
    g = out["code.g"] = ristretto_from_hash(sha512(gen_str))
    ya_s, yb_s = bytearray(v["host_cpace_scalar_draw"]), bytearray(v["joiner_cpace_scalar_draw"])
    ya_s[31] &= 0x0F
    yb_s[31] &= 0x0F
    ya = out["code.Ya"] = ristretto_mult(bytes(ya_s), g)
    yb = out["code.Yb"] = ristretto_mult(bytes(yb_s), g)
    k = out["code.K"] = ristretto_mult(bytes(yb_s), ya)
    assert k == ristretto_mult(bytes(ya_s), yb)
    isk = out["code.ISK"] = sha512(lv_cat(b"CPaceRistretto255_ISK", sid, k) + lv_cat(ya, b"") + lv_cat(yb, b""))
    after_secret(v, "code", isk, b"", ya, yb, out)
    # Pinned mode: ephemeral X25519 (section 3.2).
    jp = out["pinned.ClientHello.key_share"] = x25519(v["joiner_x25519_secret"])
    hp = out["pinned.ServerHello.key_share"] = x25519(v["host_x25519_secret"])
    s = out["pinned.S"] = x25519(v["joiner_x25519_secret"], hp)
    assert s == x25519(v["host_x25519_secret"], jp)
    after_secret(v, "pinned", s, jp, hp, b"", out)
    # README.md, "Ratings for the coach": the record, then sodium_pad to 192 bytes.
    record = (field_bytes(1, b"0123456789abcdef0123456789abcdef") + field_bytes(2, v["joiner_device_id"]) +
              field_bytes(3, v["host_device_id"]) + b"\x25" + struct.pack("<I", 7) +
              b"\x29" + struct.pack("<q", 1700000000000) + field_varint(6, 3))  # STEP_GAUGE = 3
    out["coach.CoachLevelRecord"] = record
    out["coach.padded"] = record + b"\x80" + bytes(192 - len(record) - 1)
    return out


def main():
    v = read_vectors(sys.argv[1])
    out = recompute(v)
    wrong = [name for name, value in out.items() if v.get(name) != value]
    missing = [name for name in v if name not in out and not name.endswith(("_seed", "_draw", "_secret",
                                                                            "_device_id", "nonce", "code"))]
    for name in wrong:
        print("differs from the document:", name, "\n  document:", v.get(name, b"").hex(),
              "\n  computed:", out[name].hex())
    for name in missing:
        print("not recomputed here:", name)
    if wrong or missing:
        sys.exit(1)
    print("all", len(out), "derived vectors in", sys.argv[1], "recomputed independently")


if __name__ == "__main__":
    main()
