"""Every source of the shipped data is cited by its document's title, never by its file name."""

from __future__ import annotations

from cmhcost.loading.paths import shipped_services
from cmhcost.loading.reader import load_services
from cmhcost.schema.documents import DOCUMENTS, citation
from cmhcost.schema.services import Provenance
from tests.conftest import SEEDS


def test_every_document_the_data_quotes_has_a_title() -> None:
    text = shipped_services().read_text(encoding="utf-8")
    quoted = {line.split(":", 1)[1].strip() for line in text.splitlines() if "document:" in line}
    assert quoted and quoted <= set(DOCUMENTS)
    assert load_services([shipped_services()]).services  # the data reads


def test_a_citation_names_title_series_place_year_section_and_lines() -> None:
    source = Provenance(
        document="004_151886dbd2479ba8.txt",
        section="4.1.3 Trieste",
        lines=(120, 122),
        quote="x",
    )
    assert citation(source).text == (
        "Comprehensive mental health service networks: promoting person-centred and rights-based "
        "approaches (technical package, Guidance and technical packages on community mental "
        "health services: promoting person-centred and rights-based approaches). Geneva: World "
        "Health Organization; 2021. Section 4.1.3 Trieste, lines 120-122"
    )
    assert "004_" not in citation(source).text and citation(source).locator == source.document


def test_the_titles_are_those_of_the_texts() -> None:
    for name, document in DOCUMENTS.items():
        path = SEEDS / name
        if not path.exists():  # a checkout without the shared sources beside it
            continue
        head = " ".join(path.read_text(encoding="utf-8").split()[:4000]).casefold()
        title = document.title.split(" (")[0].split(":")[0].casefold()
        assert title in head, name
