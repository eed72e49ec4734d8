from ungkultur.lib import throttle


def test_a_subject_is_blocked_at_the_limit_and_others_are_not():
    for _ in range(3):
        assert not throttle.is_blocked("login", "a@example.org", limit=3)
        throttle.record_failure("login", "a@example.org", window_seconds=60)
    assert throttle.is_blocked("login", "a@example.org", limit=3)
    assert not throttle.is_blocked("login", "b@example.org", limit=3)
    assert not throttle.is_blocked("reset", "a@example.org", limit=3)


def test_forget_lifts_the_block():
    for _ in range(3):
        throttle.record_failure("login", "a@example.org", window_seconds=60)
    throttle.forget("login", "a@example.org")
    assert not throttle.is_blocked("login", "a@example.org", limit=3)
