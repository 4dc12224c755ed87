#!/usr/bin/env python3
"""An independent joiner written from proto/HANDSHAKE.md, checked against the
C++ host (handshake_host_tool). Uses only the Python standard library plus
libsodium through ctypes, and encodes the few protobuf messages by hand, so
nothing is shared with the C++ implementation but the document.

Usage: interop_joiner.py HOST_TOOL
Runs: a pairing with the right code plus one encrypted round trip, and a
pairing with a wrong code that must be refused with WRONG_CODE.
"""
import ctypes
import ctypes.util
import hashlib
import hmac
import os
import struct
import subprocess
import sys

sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
assert sodium.sodium_init() >= 0


# --- byte helpers (HANDSHAKE.md section 1) ---------------------------------
def leb128(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def lv_cat(*parts):
    return b"".join(leb128(len(p)) + p for p in parts)


def sha512(b):
    return hashlib.sha512(b).digest()


def hmac512(key, msg):
    return hmac.new(key, msg, hashlib.sha512).digest()


def expand32(prk, label):
    return hmac512(prk, label + b"\x01")[:32]


def aead_encrypt(key, nonce, ad, plain):
    out = ctypes.create_string_buffer(len(plain) + 16)
    n = ctypes.c_ulonglong()
    sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(out, ctypes.byref(n), plain, ctypes.c_ulonglong(len(plain)),
                                                      ad, ctypes.c_ulonglong(len(ad)), None, nonce, key)
    return out.raw[: n.value]


def aead_decrypt(key, nonce, ad, sealed):
    out = ctypes.create_string_buffer(max(1, len(sealed)))
    n = ctypes.c_ulonglong()
    rc = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(out, ctypes.byref(n), None, sealed,
                                                           ctypes.c_ulonglong(len(sealed)), ad,
                                                           ctypes.c_ulonglong(len(ad)), nonce, key)
    return None if rc != 0 else out.raw[: n.value]


def ristretto_from_hash(h64):
    out = ctypes.create_string_buffer(32)
    sodium.crypto_core_ristretto255_from_hash(out, h64)
    return out.raw


def ristretto_mult(scalar, point):
    out = ctypes.create_string_buffer(32)
    if sodium.crypto_scalarmult_ristretto255(out, scalar, point) != 0:
        return None
    return out.raw


# --- minimal protobuf (proto/attune/v1/pairing.proto) ----------------------
def varint(n):
    return leb128(n)


def field_varint(num, v):
    return varint(num << 3) + varint(v) if v else b""


def field_bytes(num, b):
    return varint((num << 3) | 2) + varint(len(b)) + b if b else b""


def parse(buf):
    fields, i = {}, 0
    while i < len(buf):
        key, i = read_varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = read_varint(buf, i)
        elif wt == 2:
            n, i = read_varint(buf, i)
            v, i = buf[i: i + n], i + n
        else:
            raise ValueError("unexpected wire type")
        fields.setdefault(num, []).append(v)
    return fields


def read_varint(buf, i):
    shift = v = 0
    while True:
        b = buf[i]
        i += 1
        v |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return v, i


def get(fields, num, default=b""):
    return fields.get(num, [default])[-1]


# --- pipe framing to the tool ----------------------------------------------
class Pipe:
    def __init__(self, tool, code):
        self.p = subprocess.Popen([tool, code], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def send(self, b):
        self.p.stdin.write(struct.pack(">I", len(b)) + b)
        self.p.stdin.flush()

    def recv(self):
        n = self.p.stdout.read(4)
        if len(n) < 4:
            return None
        return self.p.stdout.read(struct.unpack(">I", n)[0])

    def close(self):
        self.p.stdin.close()
        return self.p.wait(timeout=30)


# Section 6.1: plaintexts are padded (0x80, then zeros) to a size bucket.
BUCKETS = [256 << i for i in range(8)] + [65504]


def pad(plain):
    size = next(b for b in BUCKETS if b >= len(plain) + 1)
    return plain + b"\x80" + bytes(size - len(plain) - 1)


def unpad(padded):
    body = padded.rstrip(b"\x00")
    assert body.endswith(b"\x80"), "padding marker missing"
    return body[:-1]


def run_joiner(tool, host_code, typed_code):
    pipe = Pipe(tool, host_code)
    seed = os.urandom(32)
    pk = ctypes.create_string_buffer(32)
    sk = ctypes.create_string_buffer(64)
    sodium.crypto_sign_seed_keypair(pk, sk, seed)
    device_id = b"python-joiner"

    # ClientHello, code mode.
    client_nonce = os.urandom(32)
    hello = field_varint(1, 1) + field_varint(2, 1) + field_bytes(3, client_nonce)
    pipe.send(field_bytes(1, hello))

    reply = parse(pipe.recv())
    assert 2 in reply, "expected ServerHello"
    sh = parse(reply[2][0])
    server_version, server_nonce, ya = get(sh, 1, 0), get(sh, 2), get(sh, 3)
    assert server_version == 1 and len(server_nonce) == 32 and len(ya) == 32

    # CPace, joiner = party B (section 3.1).
    prs = typed_code.encode()
    dsi = b"CPaceRistretto255"
    ci = b"attune.v1 code pairing"
    sid = client_nonce + server_nonce
    zpad = max(0, 128 - len(leb128(len(prs)) + prs) - len(leb128(len(dsi)) + dsi) - 1)
    g = ristretto_from_hash(sha512(lv_cat(dsi, prs, bytes(zpad), ci, sid)))
    yb_scalar = bytearray(os.urandom(32))
    yb_scalar[31] &= 0x0F
    yb_scalar = bytes(yb_scalar)
    yb = ristretto_mult(yb_scalar, g)
    k = ristretto_mult(yb_scalar, ya)
    assert k is not None
    isk = sha512(lv_cat(b"CPaceRistretto255_ISK", sid, k) + lv_cat(ya, b"") + lv_cat(yb, b""))

    # Transcript and keys (section 4).
    th = sha512(lv_cat(b"attune.v1 handshake", struct.pack(">I", 1), struct.pack(">I", 1), client_nonce, b"",
                       struct.pack(">I", server_version), server_nonce, ya, yb))
    prk = hmac512(th, isk)
    keys = {name: expand32(prk, b"attune.v1 " + name.encode()) for name in
            ["client confirm", "server confirm", "client proof", "server proof", "client to server",
             "server to client"]}

    # ClientFinish (section 5).
    sig = ctypes.create_string_buffer(64)
    msg = lv_cat(b"attune.v1 client proof", th, device_id, pk.raw)
    sodium.crypto_sign_detached(sig, None, msg, ctypes.c_ulonglong(len(msg)), sk)
    proof = field_bytes(1, device_id) + field_bytes(2, pk.raw) + field_bytes(3, sig.raw)
    sealed = aead_encrypt(keys["client proof"], bytes(24), th, proof)
    finish = field_bytes(1, yb) + field_bytes(2, hmac512(keys["client confirm"], th)) + field_bytes(3, sealed)
    pipe.send(field_bytes(3, finish))

    reply = parse(pipe.recv())
    if 5 in reply:
        reason = get(parse(reply[5][0]), 1, 0)
        pipe.close()
        return ("refused", reason)
    sf = parse(reply[4][0])
    assert hmac.compare_digest(get(sf, 1), hmac512(keys["server confirm"], th)), "host confirmation"
    host_proof = aead_decrypt(keys["server proof"], bytes(24), th, get(sf, 2))
    assert host_proof is not None, "host proof does not open"
    hp = parse(host_proof)
    host_id, host_pk, host_sig = get(hp, 1), get(hp, 2), get(hp, 3)
    signed = lv_cat(b"attune.v1 server proof", th, host_id, host_pk)
    assert sodium.crypto_sign_verify_detached(host_sig, signed, ctypes.c_ulonglong(len(signed)), host_pk) == 0

    # One encrypted round trip (section 6), padded to size buckets (6.1).
    def seal(counter, kind, payload):
        plain = pad(bytes([kind]) + payload)
        header = struct.pack(">QI", counter, len(plain) + 16)
        return header + aead_encrypt(keys["client to server"], bytes(16) + struct.pack(">Q", counter), header,
                                     plain)

    def open_frame(frame, expected):
        counter, length = struct.unpack(">QI", frame[:12])
        assert counter == expected and length == len(frame) - 12
        plain = aead_decrypt(keys["server to client"], bytes(16) + struct.pack(">Q", counter), frame[:12],
                             frame[12:])
        assert plain is not None, "frame does not open"
        assert len(plain) in BUCKETS, len(plain)
        plain = unpad(plain)
        return plain[0], plain[1:]

    pipe.send(seal(0, 0, b"hello from python"))
    kind, payload = open_frame(pipe.recv(), 0)
    assert (kind, payload) == (0, b"echo: hello from python"), payload
    kind, payload = open_frame(pipe.recv(), 1)
    assert kind == 1
    assert pipe.close() == 0
    return ("paired", host_id.decode())


def main():
    tool = sys.argv[1]
    result = run_joiner(tool, "482913", "482913")
    assert result == ("paired", "interop-host"), result
    print("right code: paired and exchanged an encrypted frame with", result[1])
    result = run_joiner(tool, "482913", "482914")
    assert result == ("refused", 1), result  # HANDSHAKE_REFUSAL_REASON_WRONG_CODE
    print("wrong code: refused with WRONG_CODE")


if __name__ == "__main__":
    main()
