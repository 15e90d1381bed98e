"""The seed corpus: bytes unchanged, every claim's words cut exactly from its file."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import SEEDS

# sha256 of ../shared/seeds/*.txt, read when the seeds were copied: the seeds stay byte for byte.
SEED_SHA256 = {
    "000_2d17262e913a53b6.txt": "328f9d370ae37962dce16a17f272e4960c823707dbc56dde34300d58dd51d628",
    "001_d56f81f16242cc2d.txt": "ca98812f3d3575651be289656753d8767269b855fa245c6e2cbf6d74f1f6fbf2",
    "002_5dec68c94f85d850.txt": "9c2a648b8f836f0769436c1ba36485903244d01a20cf0563bc7fc5eb8196e9de",
    "003_cd2895a254cb92bd.txt": "8492b240978148345638ce2eb67249b362dcbdd5e25be4009302e3b45a719388",
    "004_04f21086b02ac016.txt": "e8b86d649576bcb18dc34b495d26a112d368c479ac96d1c58d8eebe3a01d902d",
}


@pytest.mark.parametrize("name", sorted(SEED_SHA256))
def test_seed_bytes_unchanged(name):
    assert hashlib.sha256((SEEDS / name).read_bytes()).hexdigest() == SEED_SHA256[name]


def test_every_claim_text_is_cut_from_its_file(seed_audit):
    texts = {d.source.file: d.text for d in seed_audit.corpus.documents}
    rows = seed_audit.claims.select("file", "text", "char_start", "char_end").iter_rows()
    checked = 0
    for file, text, start, end in rows:
        assert texts[file][start:end] == text, (file, start, end)
        checked += 1
    assert checked > 20


def test_claim_ids_unique_and_sorted_output(seed_audit):
    ids = seed_audit.claims["claim_id"].to_list()
    assert len(ids) == len(set(ids))


def test_decoded_text_is_the_file_text(seed_audit):
    for doc in seed_audit.corpus.documents:
        assert doc.text == (SEEDS / doc.source.file).read_bytes().decode("utf-8-sig")


def test_same_result_on_every_run(rules, seed_audit):
    from audit.pipeline import audit_folder

    again = audit_folder(SEEDS, rules)
    assert again.claims.equals(seed_audit.claims)
    assert again.facts.equals(seed_audit.facts)
