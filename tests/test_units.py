"""Unit symbols news prints, read from rules/units.toml without quantulum3; letters that are no unit stay none.

quantulum3 takes over a second to import: an ordinary run must never need it (issue 14), so the import
check runs in a fresh interpreter, where no other test has imported it already.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from audit.extract import Matchers, extract_text
from audit.rules import load_rules

RULES = load_rules()
MATCHERS = Matchers(RULES)

# (sentence, value, unit): written from reading the sentence; the unit is the id of its rules/units.toml row.
READ = [
    pytest.param("The phone has 16GB of storage.", 16, "GB", id="GB-glued"),
    pytest.param("It ships with 768 GB of memory.", 768, "GB", id="GB-spaced"),
    pytest.param("An older model had only 256MB.", 256, "MB", id="MB"),
    pytest.param("The 2TB drive was seized.", 2, "TB", id="TB"),
    pytest.param("A 64-bit version followed.", 64, "bit", id="bit-hyphen"),
    pytest.param("The chip runs at 2.93 GHz.", 2.93, "GHz", id="GHz-decimal"),
    pytest.param("A 512-MHz graphics core.", 512, "MHz", id="MHz-hyphen"),
    pytest.param("The station broadcasts on 909 kHz.", 909, "kHz", id="kHz"),
    pytest.param("An 8MP camera on the back.", 8, "megapixel", id="megapixel"),
    pytest.param("Police found 7.62mm cartridges.", 7.62, "mm", id="mm"),
    pytest.param("Up to 2.5cm of rain fell.", 2.5, "cm", id="cm"),
    pytest.param("The plane dropped to 2,000ft.", 2000, "foot", id="ft-glued"),
    pytest.param("The waves were 30 feet high.", 30, "foot", id="feet"),
    pytest.param("Forecasters expect 10 inches of snow.", 10, "inch", id="inch"),
    pytest.param("He ran for 120 yards.", 120, "yard", id="yards"),
    pytest.param("Officers seized 500 grams of heroin.", 500, "gram", id="grams"),
    pytest.param("A 250lb bomb was found.", 250, "lb", id="lb"),
    pytest.param("She carried 8 ounces of gold.", 8, "ounce", id="ounces"),
    pytest.param("Each 330ml can was recalled.", 330, "ml", id="ml"),
    pytest.param("Gusts reached 65 knots.", 65, "knot", id="knots"),
    pytest.param("Winds of 40 m/s were recorded.", 40, "m/s", id="metres-per-second"),
    pytest.param("The 500MW plant closed.", 500, "MW", id="MW"),
    pytest.param("The park adds 3 GW of capacity.", 3, "GW", id="GW"),
    pytest.param("A 75kWh battery pack.", 75, "kWh", id="kWh"),
    pytest.param("The 1400 mAh battery lasts a day.", 1400, "mAh", id="mAh"),
    pytest.param("The screen has 330ppi.", 330, "ppi", id="ppi"),
    pytest.param("Temperatures hit 40 degrees Celsius.", 40, "celsius", id="celsius"),
]

# Letters after digits that are no unit: the figure keeps no unit.
NOT_UNITS = [
    pytest.param("He hit .358 with 44 RBIs in 55 games.", 44, id="RBIs"),
    pytest.param("Rahman (45-7-2, 36 KOs) lost.", 36, id="KOs"),
    pytest.param("He improved to 58-3 (51 KO).", 51, id="KO"),
    pytest.param("Firefighters were called at 7:1 BST to the store.", 1, id="zone-after-a-broken-clock"),
    pytest.param("The screen is 1440 x 900 pixels.", 1440, id="dimension-sign"),
    pytest.param("Prices rose through the 70s and 80s.", 70, id="decade"),
    pytest.param("It records 1080i video.", 1080, id="video-lines"),
    pytest.param("A 3D printer was used.", 3, id="code-3D"),
    pytest.param("The 53-man squad was named.", 53, id="hyphen-word"),
    pytest.param("He scored 2 run homers twice.", 2, id="short-word"),
    pytest.param("There are 6,000 Web sites on the list.", 6000, id="capitalised-word"),
    pytest.param("The fire was at 326 E. Dahlia Avenue.", 326, id="abbreviation"),
    pytest.param("It supports 802.11 b/g networks.", 802.11, id="letter-pair"),
]


def _claims(text: str) -> list:
    """The count, amount and duration claims of a sentence, with their numbers as written."""
    return [c for c in extract_text(text, RULES, matchers=MATCHERS, bare=True) if c.value is not None]


@pytest.mark.parametrize(("text", "value", "unit"), READ)
def test_a_unit_symbol_news_prints_is_read_from_the_table(text, value, unit):
    found = [c for c in _claims(text) if math.isclose(c.value, value)]
    assert found, [(c.text, c.value) for c in _claims(text)]
    assert found[0].unit == unit, [(c.text, c.unit) for c in found]


@pytest.mark.parametrize(("text", "value"), NOT_UNITS)
def test_letters_that_are_no_unit_give_no_unit(text, value):
    units = {c.unit for c in _claims(text) if math.isclose(c.value, value)}
    assert units <= {""}, [(c.text, c.unit) for c in _claims(text)]


def test_reading_them_never_imports_quantulum3():
    texts = [p.values[0] for p in READ + NOT_UNITS]
    code = (
        "import json, sys\n"
        "from audit.extract import Matchers, extract_text\n"
        "from audit.rules import load_rules\n"
        "rules = load_rules(); matchers = Matchers(rules)\n"
        "for text in json.loads(sys.argv[1]): extract_text(text, rules, matchers=matchers, bare=True)\n"
        "print('quantulum3' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, json.dumps(texts)], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
