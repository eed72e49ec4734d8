from xml.etree import ElementTree

from ungkultur.lib.charts import Bar, bar_chart, line_chart

NS = {"s": "http://www.w3.org/2000/svg"}


def test_bar_chart_is_accessible_svg_with_escaped_labels():
    svg = bar_chart(
        [Bar("Kulturskole <A&B>", 12.5), Bar("Klubb", 3)], title="Deltakelse", unit=" %", decimals=1
    )
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find("s:title", NS).text == "Deltakelse"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Kulturskole <A&B>" in texts and "12,5 %" in texts and "3,0 %" in texts


def test_a_hidden_value_is_marked_not_drawn_as_zero():
    svg = bar_chart([Bar("Sola", None), Bar("Arendal", 40)], title="t", hidden_label="skjult")
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "skjult" in texts and "0" not in texts


def test_line_chart_breaks_at_a_missing_value():
    svg = line_chart(["2024H", "2025V", "2025H"], {"Arendal": [1, None, 3]}, title="t")
    root = ElementTree.fromstring(svg)
    assert len(root.findall("s:polyline", NS)) == 2
    assert len(root.findall("s:circle", NS)) == 2
