from ungkultur.lib.import_errors import import_error_text


def test_it_lists_the_errors_it_was_given():
    text = import_error_text(["Linje 2: feil år.", "Linje 5: ukjent kommune."], 2)
    assert text.splitlines() == [
        "Ingenting ble importert: 2 feil i filen.",
        "  Linje 2: feil år.",
        "  Linje 5: ukjent kommune.",
    ]


def test_it_counts_what_it_does_not_show():
    errors = [f"Linje {n}: feil." for n in range(2, 62)]
    text = import_error_text(errors, 75, shown=50)
    lines = text.splitlines()
    assert lines[0] == "Ingenting ble importert: 75 feil i filen."
    assert len(lines) == 1 + 50 + 1
    assert lines[-1] == "  … og 25 feil til."
