from ungkultur.lib.networks import address_in

INTERNAL = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]


def test_loopback_and_private_addresses_are_inside():
    for address in [
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "172.20.0.5",
        "192.168.1.10",
        "::ffff:127.0.0.1",
    ]:
        assert address_in(address, INTERNAL), address


def test_public_addresses_are_outside():
    for address in ["8.8.8.8", "172.32.0.1", "2001:db8::1", "::ffff:8.8.8.8"]:
        assert not address_in(address, INTERNAL), address


def test_garbage_and_empty_are_outside():
    assert not address_in("", INTERNAL)
    assert not address_in("127.0.0.1, 8.8.8.8", INTERNAL)
    assert not address_in("localhost", INTERNAL)


def test_an_empty_setting_lets_nobody_in():
    assert not address_in("127.0.0.1", [])
    assert not address_in("127.0.0.1", [""])
