import hashlib

from ungkultur.lib.tokens import PREFIX_LENGTH, token_hash, token_new, token_prefix


def test_new_tokens_are_long_and_distinct():
    tokens = {token_new() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(t) >= 43 for t in tokens)


def test_hash_is_hex_sha256():
    assert token_hash("abc") == hashlib.sha256(b"abc").hexdigest()
    assert len(token_hash(token_new())) == 64


def test_hash_differs_for_different_tokens():
    assert token_hash("abc") != token_hash("abd")


def test_prefix_is_the_start_of_the_token():
    raw = token_new()
    assert token_prefix(raw) == raw[:PREFIX_LENGTH]
    assert len(token_prefix(raw)) == 8
