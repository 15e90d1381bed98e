"""Story grouping on hand-written corpora: same event in other words, briefs, wire copies, follow-ups,
and events that share places and actors but not the event (another year, another place, another story
on the same day).

Each case is a few short pages and the grouping a reader would make of them (written by hand, from
reading the pages, never from the program's output). The signals and settings are audit.link.stories and
rules/stories.toml; docs/stories.md explains them.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from audit import lexicon
from audit.ingest import assign_stories, read_corpus, story_scores
from audit.link.stories import article_features, settings_of
from audit.link.stories.blocking import candidate_pairs
from audit.link.stories.features import Salience, article_signals, is_dateline
from audit.rules import load_rule_file, load_rules
from tests.conftest import ROOT, S000, S001, S002, S004, SEEDS

# A page: (file name, publication date or "", text: headline, blank line, body).
IRAQ_2020 = (
    "US troops wounded in Iraq base attack\n\n"
    "Iranian missiles struck the Ain al-Asad air base in Anbar province on January 8, 2020, "
    "the Pentagon said. Eleven US service members were treated for concussion symptoms. "
    "President Donald Trump said no Americans were harmed in the strike. "
    "Iran said the attack answered the killing of Qassem Soleimani in Baghdad.\n"
)
IRAQ_2020_REWRITE = (
    "Pentagon revises toll of Iranian strike\n\n"
    "Dozens of American soldiers suffered brain injuries when Tehran fired ballistic missiles at Ain al-Asad "
    "in western Iraq in January 2020, defence officials admitted. "
    "Trump had first played down the injuries as headaches. "
    "The barrage came days after Soleimani was killed by a drone near Baghdad airport. "
    "The count of injured rose from 11 to 34 and later to 110.\n"
)
IRAQ_2024 = (
    "Rocket attack targets Ain al-Asad base in Iraq\n\n"
    "Rockets hit the Ain al-Asad air base in Anbar province on August 5, 2024, wounding several US "
    "service members, the Pentagon said. "
    "Iran-backed militias have attacked US troops in Iraq and Syria repeatedly since October 2023. "
    "President Joe Biden was briefed on the attack, the White House said.\n"
)
QUAKE_WIRE = (
    "Strong earthquake hits eastern Turkey\n\n"
    "A magnitude 6.1 earthquake struck Van province in eastern Turkey on Monday, killing at least 40 people, "
    "the disaster agency AFAD said. Rescuers in the town of Ercis pulled survivors from collapsed buildings "
    "through the night. About 200 people were injured and 80 buildings collapsed. "
    "Interior Minister Suleyman Soylu said tents were being sent to the region.\n"
)
QUAKE_REPOST = "Quake in Van: at least 40 dead\n\n" + QUAKE_WIRE.split("\n\n", 1)[1]
QUAKE_OTHER_WORDS = (
    "Dozens die as tremor flattens homes near Lake Van\n\n"
    "Forty people lost their lives and some 200 were hurt after a 6.1 tremor shook Ercis and nearby "
    "villages, according to AFAD. Soylu promised shelter for families left homeless in Van. "
    "Eighty structures were reduced to rubble, and volunteers dug with bare hands in freezing cold. "
    "Aftershocks continued into Tuesday morning.\n"
)
QUAKE_BRIEF = (
    "In brief\n\nA 6.1 quake in Van province killed 40 people, AFAD said. Rescuers searched rubble in Ercis.\n"
)
QUAKE_FRENCH = (
    "Séisme meurtrier dans l'est de la Turquie\n\n"
    "Un séisme de magnitude 6.1 a frappé lundi la province de Van, dans l'est de la Turquie, faisant au "
    "moins 40 morts, selon l'agence AFAD. À Ercis, les secouristes ont sorti des survivants des décombres. "
    "Environ 200 personnes ont été blessées. Le ministre de l'Intérieur Suleyman Soylu a annoncé l'envoi de tentes.\n"
)
ISTANBUL_VOTE = (
    "Istanbul holds rerun of mayoral vote\n\n"
    "Voters in Istanbul returned to the polls on Monday for a rerun of the mayoral election, after the "
    "electoral board annulled the first result. Ekrem Imamoglu faced Binali Yildirim for the second time. "
    "Turnout was high across the city's 39 districts, the board said. "
    "Results were expected late in the evening.\n"
)
FLOOD_KERALA = (
    "Floods kill dozens in Kerala\n\n"
    "Heavy monsoon rain in Kerala killed 37 people on Thursday, the state disaster authority said. "
    "Chief Minister Pinarayi Vijayan said 22,000 people had moved to relief camps in Idukki and Wayanad. "
    "The Periyar river burst its banks near Aluva.\n"
)
FLOOD_KERALA_BRIEF = "Kerala floods\n\nMonsoon floods in Kerala killed 37, Vijayan said; 22,000 are in camps.\n"
FLOOD_ASSAM = (
    "Assam floods displace thousands\n\n"
    "Floods in Assam on Thursday forced 150,000 people from their homes along the Brahmaputra, "
    "the Assam State Disaster Management Authority said. Chief Minister Himanta Biswa Sarma visited "
    "camps in Dhemaji and Lakhimpur. Nine people died in landslides near Guwahati.\n"
)

# Follow-up a week later: the toll has risen, other words, the same quake (Van, Ercis, AFAD, Soylu).
QUAKE_FOLLOW_UP = (
    "Van quake toll climbs as search ends\n\n"
    "A week after the magnitude 6.1 earthquake that struck Van province, rescuers in Ercis ended the search "
    "for survivors, the disaster agency AFAD said on Monday. The death toll rose to 52, and more than 300 "
    "people were treated for injuries. Interior Minister Suleyman Soylu said 2,000 tents had reached families "
    "whose homes collapsed in the quake.\n"
)
# Another quake of the same kind, another year and another place in the same country.
QUAKE_ELAZIG = (
    "Earthquake kills 29 in eastern Turkey's Elazig\n\n"
    "A magnitude 6.8 earthquake struck Elazig province in eastern Turkey on January 24, 2020, killing 29 "
    "people and injuring more than 1,400, the disaster agency AFAD said. The quake was centred near the town "
    "of Sivrice on Lake Hazar. Rescuers pulled survivors from collapsed buildings in Mustafapasa through the "
    "freezing night, and President Recep Tayyip Erdogan visited the region.\n"
)
QUAKE_VAN_2011 = QUAKE_WIRE.replace("on Monday", "on October 24, 2011")
# The same quake told in words alone: no figure, no date, no publication date.
QUAKE_NO_FIGURES = (
    "Rescuers dig through the night in Ercis\n\n"
    "In Ercis, in Van province, rescuers from AFAD dug with cranes and bare hands through collapsed buildings "
    "after the earthquake, and families waited in the cold beside the rubble. Interior Minister Suleyman Soylu "
    "promised tents for everyone left homeless in Van.\n"
)
# A page that prints its dateline before the headline (the dateline may be read as its headline).
QUAKE_DATELINE = "24 June 2019 Last updated at 10:04 GMT\n\n" + QUAKE_OTHER_WORDS

# Unnamed events: pages that name no one, place or agency (a reader goes by what happened, where, when).
# One bus crash, three outlets over two days: the toll grows from nine to 14.
BUS_A = (
    "Bus plunges off mountain road\n\n"
    "A crowded bus left the road on a mountain pass and fell into a gorge late on Friday, killing at least "
    "nine passengers, police said. The driver is thought to have lost control on a sharp bend in heavy rain. "
    "Ambulances took the injured to the district hospital.\n"
)
BUS_B = (
    "Nine dead as coach falls into gorge\n\n"
    "Nine people died and 23 were hurt when a coach carrying pilgrims veered off a narrow road and rolled "
    "down a slope, a local official said. Rescue workers used ropes to reach the wreck.\n"
)
BUS_C = (
    "Toll from bus crash rises to 14\n\n"
    "Five of the injured died overnight in hospital, bringing the toll from the crash on the mountain pass "
    "to 14, health officials said on Sunday. The road has been closed while engineers inspect the barrier.\n"
)
# Another bus crash months later: same kind, another road.
BUS_OTHER = (
    "Bus overturns on highway, six killed\n\n"
    "Six people were killed when a bus overturned on the coastal highway early on Tuesday after a tyre burst, "
    "police said. Eighteen passengers were taken to hospital.\n"
)
# Two fires in one week, two pages each: a garment factory and a seaside hotel.
FIRE_FACTORY = (
    "Fire at garment factory kills seven\n\n"
    "Seven workers were killed when fire swept through a garment factory on the edge of the city on Monday, "
    "the fire service said. Firefighters fought the blaze for six hours. Survivors said the exit doors were "
    "locked.\n"
)
FIRE_FACTORY_ARREST = (
    "Owner held over factory fire deaths\n\n"
    "The owner of the garment factory where seven workers died in a fire on Monday was arrested on Tuesday, "
    "police said. Workers told investigators the doors had been chained shut during the shift.\n"
)
FIRE_HOTEL = (
    "Blaze at seaside hotel forces guests onto the roof\n\n"
    "A fire broke out in the kitchen of a seaside hotel on Tuesday night, forcing about 200 guests to flee, and "
    "two people died of smoke inhalation, emergency services said. Guests were rescued from the roof.\n"
)
FIRE_HOTEL_FOLLOW_UP = (
    "Two die in hotel fire\n\n"
    "Two guests died and 11 were treated for smoke inhalation after fire spread from the kitchen of a beach "
    "hotel, officials said on Wednesday. The hotel had passed a safety inspection last month.\n"
)

# A shooting and, eleven months on, the verdict: its lede names the event's year (2023), so it is a
# follow-up of that event, bounded by the time term alone, not by the 90 days of a story's own coverage.
SHOOTING = (
    "Gunman kills three at Scranton warehouse\n\n"
    "A gunman opened fire at a Dunmore Logistics warehouse in Scranton on Thursday, killing three workers "
    "before he was arrested, police chief Tom Harlan said. The suspect, Kevin Ostrowski, had been fired from "
    "the warehouse a week earlier.\n"
)
SHOOTING_CHARGED = (
    "Fired worker charged in Scranton warehouse shooting\n\n"
    "Kevin Ostrowski was charged with three counts of murder on Friday over the shooting at the Dunmore "
    "Logistics warehouse in Scranton, police chief Tom Harlan said.\n"
)
SHOOTING_VERDICT = (
    "Ostrowski convicted over 2023 Scranton warehouse shooting\n\n"
    "A jury in Scranton on Monday convicted Kevin Ostrowski of murdering three co-workers at the Dunmore "
    "Logistics warehouse in March 2023. He faces life in prison.\n"
)

# A shooting and, two years on, the trial: its lede names no year, but a trial is a follow-up of its crime
# (rules/stories.toml follow_up_words), so the names carry it past the 90 days of a story's own coverage;
# another trial the same week, of another crime with other names, stays apart.
BAKERY = (
    "Gunman kills two at Harlow bakery\n\n"
    "A gunman shot dead two workers at Brennan's bakery on Elm Street in Harlow on Tuesday, police said. "
    "Officers arrested Darren Pike, 41, a former employee, near the scene.\n"
)
BAKERY_CHARGED = (
    "Former employee charged over Harlow bakery killings\n\n"
    "Darren Pike was charged on Wednesday with two counts of murder over the shooting at Brennan's bakery in "
    "Harlow, police said.\n"
)
BAKERY_TRIAL = (
    "Trial opens for man accused of Harlow bakery shooting\n\n"
    "The trial of Darren Pike, accused of shooting dead two workers at Brennan's bakery in Harlow, opened on "
    "Monday with jurors shown footage from the shop.\n"
)
PUB_VERDICT = (
    "Jury convicts Salford man of pub stabbing\n\n"
    "A jury in Manchester on Tuesday found Liam Cooke guilty of stabbing a barman to death at the Red Lion pub "
    "in Salford last August.\n"
)

STORY_CASES = {
    # id: (pages, groups a reader makes of them)
    "same-event-other-words": (
        [("a.txt", "", QUAKE_WIRE), ("b.txt", "", QUAKE_OTHER_WORDS), ("c.txt", "", ISTANBUL_VOTE)],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "brief-vs-long": (
        [("a.txt", "", QUAKE_WIRE), ("b.txt", "", QUAKE_BRIEF), ("c.txt", "", FLOOD_KERALA)],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "two-line-brief-of-a-flood": (
        [("a.txt", "", FLOOD_KERALA), ("b.txt", "", FLOOD_KERALA_BRIEF), ("c.txt", "", FLOOD_ASSAM)],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "same-base-four-years-apart-undated": (
        [("a.txt", "", IRAQ_2020), ("b.txt", "", IRAQ_2024)],
        [{"a.txt"}, {"b.txt"}],
    ),
    "same-base-four-years-apart-dated": (
        [("a.txt", "2020-01-09", IRAQ_2020), ("b.txt", "2024-08-06", IRAQ_2024)],
        [{"a.txt"}, {"b.txt"}],
    ),
    "rewrite-joins-original-not-later-attack": (
        [("a.txt", "", IRAQ_2020), ("b.txt", "", IRAQ_2020_REWRITE), ("c.txt", "", IRAQ_2024)],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "same-day-same-country": (
        [("a.txt", "2019-06-24", QUAKE_WIRE), ("b.txt", "2019-06-24", ISTANBUL_VOTE)],
        [{"a.txt"}, {"b.txt"}],
    ),
    "same-day-same-country-floods": (
        [("a.txt", "2018-08-16", FLOOD_KERALA), ("b.txt", "2018-08-16", FLOOD_ASSAM)],
        [{"a.txt"}, {"b.txt"}],
    ),
    "wire-copies": (
        [("a.txt", "", QUAKE_WIRE), ("b.txt", "", QUAKE_REPOST), ("c.txt", "", QUAKE_BRIEF)],
        [{"a.txt", "b.txt", "c.txt"}],
    ),
    "no-dates-mixed-folder": (
        [
            ("a.txt", "", QUAKE_WIRE),
            ("b.txt", "", FLOOD_KERALA),
            ("c.txt", "", QUAKE_OTHER_WORDS),
            ("d.txt", "", FLOOD_KERALA_BRIEF),
            ("e.txt", "", ISTANBUL_VOTE),
        ],
        [{"a.txt", "c.txt"}, {"b.txt", "d.txt"}, {"e.txt"}],
    ),
    "conflicting-figures": (  # the reason for the tool: the same event with other numbers is one story
        [
            ("a.txt", "", QUAKE_WIRE),
            ("b.txt", "", QUAKE_OTHER_WORDS.replace("Forty", "Fifty-two").replace("200", "310")),
            ("c.txt", "", ISTANBUL_VOTE),
        ],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "translation": (
        [("a.txt", "", QUAKE_WIRE), ("b.txt", "", QUAKE_FRENCH), ("c.txt", "", ISTANBUL_VOTE)],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "one-dated-one-undated": (
        [("a.txt", "2019-06-24", QUAKE_WIRE), ("b.txt", "", QUAKE_OTHER_WORDS)],
        [{"a.txt", "b.txt"}],
    ),
    "follow-up-a-week-later": (
        [("a.txt", "2019-06-24", QUAKE_WIRE), ("b.txt", "2019-07-01", QUAKE_FOLLOW_UP), ("c.txt", "", ISTANBUL_VOTE)],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "same-kind-another-year-and-place-dated": (
        [("a.txt", "2011-10-24", QUAKE_WIRE), ("b.txt", "2020-01-24", QUAKE_ELAZIG)],
        [{"a.txt"}, {"b.txt"}],
    ),
    "same-kind-another-year-and-place-undated": (
        [("a.txt", "", QUAKE_VAN_2011), ("b.txt", "", QUAKE_ELAZIG), ("c.txt", "", QUAKE_OTHER_WORDS)],
        [{"a.txt", "c.txt"}, {"b.txt"}],
    ),
    "no-figures-no-date": (
        [("a.txt", "", QUAKE_WIRE), ("b.txt", "", QUAKE_NO_FIGURES), ("c.txt", "", FLOOD_KERALA)],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "dateline-before-the-headline": (
        [("a.txt", "", QUAKE_WIRE), ("b.txt", "", QUAKE_DATELINE), ("c.txt", "", ISTANBUL_VOTE)],
        [{"a.txt", "b.txt"}, {"c.txt"}],
    ),
    "unnamed-bus-crash-three-outlets-two-days": (
        [("a.txt", "2024-09-14", BUS_A), ("b.txt", "2024-09-14", BUS_B), ("c.txt", "2024-09-15", BUS_C)],
        [{"a.txt", "b.txt", "c.txt"}],
    ),
    "unnamed-bus-crashes-months-apart": (
        [
            ("a.txt", "2024-09-14", BUS_A),
            ("b.txt", "2024-09-14", BUS_B),
            ("c.txt", "2024-09-15", BUS_C),
            ("d.txt", "2024-02-06", BUS_OTHER),
        ],
        [{"a.txt", "b.txt", "c.txt"}, {"d.txt"}],
    ),
    "verdict-months-later-names-the-year": (
        [
            ("a.txt", "2023-03-10", SHOOTING),
            ("b.txt", "2023-03-11", SHOOTING_CHARGED),
            ("c.txt", "2024-02-12", SHOOTING_VERDICT),
            ("d.txt", "2024-02-12", ISTANBUL_VOTE),
        ],
        [{"a.txt", "b.txt", "c.txt"}, {"d.txt"}],
    ),
    "trial-two-years-later-names-no-year": (
        [
            ("a.txt", "2022-05-03", BAKERY),
            ("b.txt", "2022-05-04", BAKERY_CHARGED),
            ("c.txt", "2024-06-10", BAKERY_TRIAL),
            ("d.txt", "2024-06-11", PUB_VERDICT),
        ],
        [{"a.txt", "b.txt", "c.txt"}, {"d.txt"}],
    ),
    "unnamed-fires-same-week": (
        [
            ("a.txt", "2024-03-04", FIRE_FACTORY),
            ("b.txt", "2024-03-05", FIRE_FACTORY_ARREST),
            ("c.txt", "2024-03-06", FIRE_HOTEL),
            ("d.txt", "2024-03-07", FIRE_HOTEL_FOLLOW_UP),
        ],
        [{"a.txt", "b.txt"}, {"c.txt", "d.txt"}],
    ),
}


def _write(folder, pages) -> None:
    """Write the pages and a sources.toml with their dates."""
    manifest = ""
    for name, published, text in pages:
        (folder / name).write_text(text, encoding="utf-8")
        if published:
            manifest += f'[[source]]\nfile = "{name}"\npublished = "{published}"\n'
    (folder / "sources.toml").write_text(manifest, encoding="utf-8")


def _groups(documents) -> list[set[str]]:
    """The files of each story (every page here is one article)."""
    story: dict[str, set[str]] = {}
    for document in documents:
        assert len(document.articles) == 1, document.source.file
        story.setdefault(document.articles[0].story, set()).add(document.source.file)
    return sorted(story.values(), key=min)


@pytest.mark.parametrize("case", sorted(STORY_CASES))
def test_story_groups(rules, tmp_path, case):
    pages, expected = STORY_CASES[case]
    _write(tmp_path, pages)
    assert _groups(read_corpus(tmp_path, rules).documents) == sorted(expected, key=min)


def _moved(rules, shift: float):
    settings = settings_of(rules)
    return replace(settings, threshold=settings.threshold + shift)


@pytest.mark.parametrize("shift", [-0.25, 0.25], ids=["threshold-lower", "threshold-higher"])
@pytest.mark.parametrize("case", sorted(STORY_CASES))
def test_groups_hold_around_the_threshold(rules, tmp_path, case, shift):
    """The grouping does not hang on the exact threshold: it holds when the threshold moves a little."""
    pages, expected = STORY_CASES[case]
    _write(tmp_path, pages)
    documents = assign_stories(read_corpus(tmp_path, rules).documents, _moved(rules, shift))
    assert _groups(documents) == sorted(expected, key=min)


@pytest.mark.parametrize("shift", [-0.25, 0.0, 0.25], ids=["threshold-lower", "threshold", "threshold-higher"])
def test_seed_stories(rules, shift):
    """000's first story, 001, 002 and 004 are one story; 003's ten and 000's other three each their own."""
    documents = assign_stories(read_corpus(SEEDS, rules).documents, _moved(rules, shift))
    story = {(d.source.source_id, a.index): a.story for d in documents for a in d.articles}
    event = {(S000, 1), (S001, 1), (S002, 1), (S004, 1)}
    assert len({story[key] for key in event}) == 1
    others = [s for key, s in story.items() if key not in event]
    assert len(set(others)) == 13 and story[(S000, 1)] not in others


def test_every_article_gets_a_story(rules, tmp_path):
    """With or without figures, claims or a publication date, every article has a story id."""
    _write(tmp_path, [("a.txt", "", QUAKE_NO_FIGURES), ("b.txt", "", "In brief\n\nNothing else happened.\n")])
    documents = read_corpus(tmp_path, rules).documents
    assert all(a.story.startswith("S") for d in documents for a in d.articles)


def test_scores_are_symmetric_and_years_apart_are_penalised(rules, tmp_path):
    """story_scores: the 2020 and 2024 attacks on one base share names and words; the years they name
    (lede_years_clash, years_clash: in their ledes and in their text) are what keeps them below the threshold."""
    _write(tmp_path, [("a.txt", "", IRAQ_2020), ("b.txt", "", IRAQ_2024)])
    documents = read_corpus(tmp_path, rules).documents
    settings = settings_of(rules)
    scores = story_scores(documents, rules)
    assert scores[0][1] == pytest.approx(scores[1][0]) and scores[0][0] > scores[0][1]
    blind = replace(settings, clash_weights={**settings.clash_weights, "lede_years": 0.0, "years": 0.0})
    assert scores[0][1] < settings.threshold < story_scores(documents, blind)[0][1]


@pytest.mark.parametrize("case", sorted(STORY_CASES))
def test_pairs_of_different_stories_score_below_the_threshold(rules, tmp_path, case):
    """Any two articles of different stories score below the threshold (before averaging)."""
    pages, expected = STORY_CASES[case]
    _write(tmp_path, pages)
    documents = read_corpus(tmp_path, rules).documents
    files = [d.source.file for d in documents]
    scores = story_scores(documents, rules)
    group = {name: n for n, names in enumerate(expected) for name in names}
    different = [scores[i][j] for i, a in enumerate(files) for j, b in enumerate(files) if group[a] != group[b]]
    assert max(different, default=-1.0) < settings_of(rules).threshold


@pytest.mark.parametrize(
    ("headline", "dateline"),
    [
        ("9 March 2011 Last updated at 08:12 GMT", True),
        ("Updated: 6/3/2009 8:15 PM", True),
        ("September 18th, 2013, 05:31 GMT", True),
        ("TUESDAY, JUNE 7, 2011, 09:41 AM", True),
        ("Quake in Van: at least 40 dead", False),
        ("5.1 quake jolts Marin County late Tuesday", False),
        ("In brief", False),
    ],
)
def test_dateline_headlines(headline, dateline):
    settings = settings_of(None)
    assert is_dateline(headline, settings.dateline_words) is dateline


@pytest.mark.parametrize(("short", "long"), [("Mt Ruapehu", "Mount Ruapehu"), ("Ft Benning", "Fort Benning")])
def test_a_short_form_in_a_name_is_the_word(rules, tmp_path, short, long):
    """name_spellings: "Mt Ruapehu" and "Mount Ruapehu" are one name, so pages writing it each way share it."""
    pages = [
        ("a.txt", "", f"Head\n\nTwo hikers were rescued on {short} on Sunday.\n"),
        ("b.txt", "", f"Head\n\nTwo hikers were rescued on {long} on Sunday.\n"),
    ]
    _write(tmp_path, pages)
    documents = read_corpus(tmp_path, rules).documents
    runs = [{n for n in article_features(d, rules)[0].names if "_" in n} for d in documents]
    assert runs[0] == runs[1] == {long.lower().replace(" ", "_")}


def _signals(rules, tmp_path, text, published=""):
    _write(tmp_path, [("a.txt", published, text)])
    document = read_corpus(tmp_path, rules).documents[0]
    settings = settings_of(rules)
    salience = Salience(settings.salience_ceiling, 2.5, settings.stopwords)
    return article_signals(document, document.articles[0], settings, salience)


@pytest.mark.parametrize(
    ("text", "names", "not_names"),
    [
        ("Head\n\nRescuers in Ercis said AFAD sent tents to Van.", {"ercis", "afad", "van"}, {"rescuers"}),
        ("Head\n\nThe Pentagon said so. Iran denied it.", {"pentagon"}, {"the", "iran"}),
        ("Head\n\nOfficials met Tara Reid in Malibu.", {"tara", "reid", "tara_reid", "malibu"}, {"officials"}),
    ],
    ids=["inside-sentence", "sentence-starts-skipped", "full-name-run"],
)
def test_names(rules, tmp_path, text, names, not_names):
    found = set(_signals(rules, tmp_path, text).names)
    assert names <= found and not (not_names & found)


def test_words_are_lemmas_weighed_against_general_english(rules, tmp_path):
    """A word weighs its salience against general English: the same in any folder."""
    signals = _signals(rules, tmp_path, "Ferry sinks\n\nA boat capsized off Qeshm and the ferries stopped.")
    assert {"capsize", "ferry", "qeshm", "stop"} <= set(signals.words)
    assert signals.words["qeshm"] > signals.words["capsize"] > signals.words["ferry"] > signals.words["stop"]


@pytest.mark.parametrize("text", [IRAQ_2020, IRAQ_2020_REWRITE], ids=["iraq-2020", "iraq-2020-rewrite"])
def test_an_articles_frequencies_are_read_ahead(rules, tmp_path, monkeypatch, text):
    """The signals of an article ask the frequency table for no word alone (two prefetches read them all),
    and are the ones its words looked up one by one give."""
    frequencies = lexicon.english_frequencies()
    if not isinstance(frequencies, lexicon.Frequencies):
        pytest.skip("no user cache: wordfreq's own table, nothing to read ahead")
    _write(tmp_path, [("a.txt", "2020-01-10", text)])
    document = read_corpus(tmp_path, rules).documents[0]
    settings = settings_of(rules)
    ahead, alone = (Salience(settings.salience_ceiling, 2.5, settings.stopwords) for _ in range(2))
    ahead._freq = lexicon.Frequencies(frequencies._path)  # nothing met yet
    alone._freq = SimpleNamespace(get=lexicon.Frequencies(frequencies._path).get)  # no prefetch: word by word
    read = []
    real_read = lexicon.Frequencies._read
    monkeypatch.setattr(lexicon.Frequencies, "_read", lambda self, word: read.append(word) or real_read(self, word))
    signals = article_signals(document, document.articles[0], settings, ahead)
    assert read == []
    assert signals == article_signals(document, document.articles[0], settings, alone)
    assert read  # the table asked word by word: the comparison meant something


@pytest.mark.parametrize(
    ("published", "text", "follow_up", "lede_years"),
    [
        ("2024-06-10", "Darren Pike sentenced to life\n\nA judge sent Pike to prison on Monday.", True, set()),
        ("2024-06-11", "Pub killer named\n\nJurors found Liam Cooke guilty on Tuesday.", True, set()),
        ("", "Man pleads not guilty in deaths\n\nHe appeared in court on Friday.", True, set()),
        ("2013-05-02", "Singer in rehab\n\nShe began a sentence for a 2012 drink-driving case.", True, set()),
        ("2024-06-11", "Ostrowski held\n\nPolice said the 2023 shooting had been planned.", True, {"2023", "2024"}),
        ("2022-05-03", "Gunman kills two at Harlow bakery\n\nPolice arrested a former employee.", False, {"2022"}),
        # the first sentence runs past "Oct." (the page's sentence splitter knows abbreviations)
        (
            "2013-04-11",
            "Mother killed\n\nHorton was shot on Oct. 21, 2011 in Brownsville. Video shown.",
            True,
            {"2011", "2013"},
        ),
        # a stamp line before the first sentence is passed over
        (
            "2007-04-02",
            "Death for Varela\n\nPOSTED: 04/02/07, 7:30 PM PDT |\nA jury sentenced Varela to death.",
            True,
            set(),
        ),
        (
            "2022-05-04",
            "Bakery gunman charged\n\nPike was charged, police said. He will face trial next year.",
            False,
            {"2022"},
        ),
    ],
    ids=[
        "sentenced",
        "jurors-guilty",
        "pleads-undated",
        "sentence-names-a-year",
        "earlier-year",
        "the-crime",
        "abbreviation-in-first-sentence",
        "stamp-line-passed-over",
        "trial-after-first-sentence",
    ],
)
def test_follow_ups(rules, tmp_path, published, text, follow_up, lede_years):
    """A lede (headline and first sentence) that tells a court stage or names an earlier year is a follow-up;
    a court stage's years (the court's calendar, its crime's year) tell no other event apart."""
    signals = _signals(rules, tmp_path, text, published)
    assert signals.looks_back is follow_up
    assert set(signals.lede_years) == lede_years


@pytest.mark.parametrize(
    ("published", "text", "dates", "figures", "lede_years"),
    [
        ("", "Head\n\nOn January 8, 2020, 11 were hurt.", {"2020-01-08"}, {"11"}, {"2020"}),
        ("2020-01-09", "Head\n\nOn January 8, 11 were hurt.", {"2020-01-08"}, {"11"}, {"2020"}),
        ("", "Head\n\nOn 5 Jan, 9 died. Some 22,000 fled a 6.1 quake.", {"01-05"}, {"9", "22000", "6.1"}, set()),
    ],
    ids=["year-in-text", "year-from-publication", "no-year"],
)
def test_dates_and_figures(rules, tmp_path, published, text, dates, figures, lede_years):
    signals = _signals(rules, tmp_path, text, published)
    assert set(signals.dates) == dates and set(signals.figures) == figures and signals.lede_years == lede_years


def test_candidate_pairs_stay_linear(rules, tmp_path):
    """A term shared by many articles pairs each only with its `block_size` nearest: never all pairs."""
    settings = replace(settings_of(rules), block_size=5)
    pages = [(f"p{n:03d}.txt", f"2019-06-{1 + n % 28:02d}", QUAKE_WIRE) for n in range(60)]
    _write(tmp_path, pages)
    documents = read_corpus(tmp_path, rules).documents
    salience = Salience(settings.salience_ceiling, settings.key_salience, settings.stopwords)
    signals = [article_signals(d, a, settings, salience) for d in documents for a in d.articles]
    rows, _ = candidate_pairs(signals, list(range(len(signals))), settings.block_size)
    assert len(rows) <= len(signals) * settings.block_size < 60 * 59 // 2


def test_stories_toml_is_the_bundled_settings():
    """rules/stories.toml loads and validates; every setting the code reads is in it."""
    _, table = load_rule_file(ROOT / "rules" / "stories.toml")
    assert settings_of(None).threshold == table["threshold"]


def _event_examples() -> list:
    """pytest params for every example of the [[event]] rules of stories.toml, id event:n."""
    rules = load_rules()
    return [
        pytest.param(example["text"], set(example["events"]), id=f"{rule.id}:{n}")
        for rule in rules.rules("stories", "event")
        for n, example in enumerate(rule.examples, 1)
    ]


@pytest.mark.parametrize(("text", "events"), _event_examples())
def test_event_examples(rules, tmp_path, text, events):
    """Each [[event]] example tells exactly the kinds it lists (headline and lede read as a page)."""
    assert set(_signals(rules, tmp_path, f"Head\n\n{text}\n").events) == events
