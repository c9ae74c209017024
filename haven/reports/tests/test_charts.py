"""The server-drawn SVG charts: valid XML, labels in their own scripts, mirrored for right-to-left."""

from __future__ import annotations

from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from haven.reports.charts import LABEL_WIDTH, MARGIN, WIDTH, Point, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [Point("ঢাকা বিভাগ", 40), Point("تهران", 10), Point("Алматы", None), Point("दिल्ली", 0)]


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def _texts(root: ElementTree.Element) -> list[str]:
    return [text.text or "" for text in root.iter(f"{SVG}text")]


def test_it_draws_bars_left_to_right_with_accessible_text() -> None:
    root = _parse(
        bar_chart("Women helped", "By division", POINTS, language="bn", rtl=False, suppressed_mark="*")
    )
    assert root.get("role") == "img" and root.get("direction") == "ltr"
    assert root.findtext(f"{SVG}title") == "Women helped" and root.findtext(f"{SVG}desc") == "By division"
    title = root.find(f"{SVG}title")
    assert title is not None and str(title.get("id")) in (root.get("aria-labelledby") or "")
    texts = _texts(root)
    assert {"ঢাকা বিভাগ", "تهران", "Алматы", "दिल्ली"} <= set(texts)
    assert "\u09ea\u09e6" in texts and "*" in texts  # 40 in Bengali digits; the suppressed mark
    bars = list(root.iter(f"{SVG}rect"))
    assert [float(bar.get("x") or 0) for bar in bars] == [MARGIN + LABEL_WIDTH] * 4
    widths = [float(bar.get("width") or 0) for bar in bars]
    assert widths[0] == WIDTH - LABEL_WIDTH - 70 - MARGIN * 2 and widths[1] == widths[0] / 4
    assert widths[2] == 0 and widths[3] == 0


def test_it_mirrors_bars_right_to_left() -> None:
    root = _parse(bar_chart("زنان", "استان", POINTS, language="fa", rtl=True))
    assert root.get("direction") == "rtl"
    labels = [text for text in root.iter(f"{SVG}text") if text.get("class") == "chart-label"]
    assert {float(text.get("x") or 0) for text in labels} == {WIDTH - MARGIN}
    bar_end = WIDTH - MARGIN - LABEL_WIDTH
    for bar in root.iter(f"{SVG}rect"):
        # Every bar ends where the labels begin: it grows leftwards from the right.
        assert float(bar.get("x") or 0) + float(bar.get("width") or 0) == bar_end
    assert "۴۰" in _texts(root) and "تهران" in _texts(root)  # Persian digits


def test_it_runs_a_line_from_the_right_in_rtl_and_breaks_it_at_hidden_values() -> None:
    months = [
        Point("فروردین", 5),
        Point("اردیبهشت", 7),
        Point("خرداد", None),
        Point("تیر", 9),
        Point("مرداد", 6),
    ]
    for rtl in (False, True):
        root = _parse(line_chart("Calls", "By month", months, language="fa", rtl=rtl))
        xs = [float(c.get("cx") or 0) for c in root.iter(f"{SVG}circle")]
        assert len(xs) == 4
        assert (xs == sorted(xs, reverse=True)) if rtl else (xs == sorted(xs))
        assert len(list(root.iter(f"{SVG}polyline"))) == 2  # broken at the hidden month
        assert "خرداد" in _texts(root) and "۹" in _texts(root)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.text(max_size=40), st.one_of(st.none(), st.integers(0, 10**9))), max_size=12),
    st.booleans(),
)
def test_it_always_makes_valid_svg_whatever_the_labels(
    pairs: list[tuple[str, int | None]], rtl: bool
) -> None:
    points = [Point("".join(ch for ch in label if ch.isprintable()), value) for label, value in pairs]
    for draw in (bar_chart, line_chart):
        root = _parse(draw("<script>x</script> & co", "d", points, language="en", rtl=rtl))
        assert root.findtext(f"{SVG}title") == "<script>x</script> & co"
        assert root.find(f"{SVG}script") is None
