"""Generate a synthetic january20 project of N sources, for the benchmark.

Source 1 is the real seed source, copied byte for byte (so the editorial enrichment, which links records of the seed,
stays valid, and N = 1 is exactly the seed). Sources 2..N are fictional articles made from the seed by rewriting
its people, places, organisations, memorials, dates and figures with names and numbers drawn from pools; every
rewritten quote is a phrase of the rewritten article, so the facts file has the seed's shape and density (the same
sections, records, quotes and references) and its quotes occur exactly once in the generated text. Each record id
is prefixed with a per-source slug, so ids and IRIs stay unique across sources. The real cited sources (pages whose
figures the quantities in data/editorial/ compare with the seed's) are copied too, as they are: they refer to the
seed's records, and N counts the full-text sources only.

The generated project is a folder with the layout of :class:`january20.resources.Project`; its ontology and shapes
are copies of the checkout's, so the benchmark measures the current contract. Generation is deterministic: the same
N gives the same bytes. Every generated facts file is loaded with the real loader before it is kept.

Usage: python benchmarks/generate.py N OUT_DIR
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import yaml

CHECKOUT = Path(__file__).resolve().parents[1]
SEED_ID = "caliber-az-20-january-commemoration"
SEED_DIR = CHECKOUT / "data" / "sources" / SEED_ID

# Fictional names only: a synthetic article must not read as a claim about a real person or place.
GIVEN = ["Rashad", "Elnur", "Tural", "Kamran", "Farid", "Orkhan", "Vugar", "Nijat", "Samir", "Emin", "Ilkin",
         "Ramin", "Zaur", "Anar", "Javid", "Mirza", "Teymur", "Aydin", "Rufat", "Sanan"]
FAMILY = ["Mammadli", "Karimov", "Hasanli", "Aliyar", "Guliyev", "Babayli", "Rustamov", "Zeynalli", "Nabiyev",
          "Safarli", "Jafarov", "Huseynli", "Abbasov", "Valiyev", "Ismayilli", "Orujov", "Gasimli", "Yusifov"]
TOWN_A = ["Kar", "Sal", "Dar", "Ter", "Mar", "Gul", "Ast", "Bel", "Zan", "Kur", "Sha", "Tov", "Ala", "Qa", "Nar",
          "Ves", "Lor", "Pir", "Dov", "Ris"]
TOWN_B = ["abad", "kend", "chala", "aran", "ova", "ly", "usta", "kar", "dag", "evan", "ashan", "yurt", "gah", "in"]
LANDS = [("Karavia", "Karavian"), ("Ostrania", "Ostranian"), ("Veldora", "Veldoran"), ("Marenia", "Marenian"),
         ("Tessaly", "Tessalian"), ("Norvask", "Norvaskan"), ("Galdoria", "Galdorian"), ("Suvania", "Suvanian")]
EMPIRES = [("Dravian", "UDR"), ("Kolvarian", "UKR"), ("Serpanian", "USR"), ("Brastovian", "UBR"),
           ("Moravan", "UMR"), ("Tolvenian", "UTR")]
PARTIES = ["Communist Party", "Unity Party", "People's Party", "Workers' Party", "Socialist Party"]
MEDIA = ["Meridian News", "Daily Courier", "Northline", "The Observer Desk", "Horizon Press", "Capital Wire",
         "Morning Ledger", "Region Today"]
ALLEYS = ["Alley of Martyrs", "Alley of Honour", "Garden of Remembrance", "Hill of Memory", "Square of the Fallen"]
FLAMES = ["Eternal Flame", "Mother's Grief", "Torch of Memory", "Unknown Soldier", "Heroes' Stone"]
TRIALS = ["Nuremberg", "Tokyo", "Hague", "Arusha", "Geneva"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _town(rng: random.Random, taken: set[str]) -> str:
    while True:
        name = rng.choice(TOWN_A) + rng.choice(TOWN_B)
        if name not in taken:
            taken.add(name)
            return name


def _person(rng: random.Random, taken: set[str]) -> tuple[str, str]:
    while True:
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        if family not in taken:
            taken.add(family)
            return given, family


def variation(n: int) -> tuple[dict[str, str], dict[str, int], dict[str, str], str]:
    """For source number ``n`` (2, 3, ...): the phrase rewrites, the new figures by count id, the new month-day
    values by old value, and the source's slug."""
    rng = random.Random(f"january20-benchmark-{n}")
    towns: set[str] = set()
    families: set[str] = set()
    city, region1, region2, trial_city = (_town(rng, towns) for _ in range(4))
    leader_given, leader = _person(rng, families)
    orderer_given, orderer = _person(rng, families)
    author_given, author = _person(rng, families)
    land, land_adj = rng.choice(LANDS)
    empire, acronym = rng.choice(EMPIRES)
    party = rng.choice(PARTIES)
    media = rng.choice(MEDIA)
    alley = rng.choice(ALLEYS)
    flame = rng.choice(FLAMES)
    trial = rng.choice(TRIALS) if rng.random() < 0.5 else trial_city
    month_no = rng.randrange(12)
    month = MONTHS[month_no]
    night = rng.randrange(2, 20)          # the night of <night>-<night+1>
    later = night + rng.randrange(3, 7)   # two killings on <later> and <later+1>
    commemorated = rng.randrange(1, 28)
    trial_start = rng.randrange(1930, 1990)

    killed_before, wounded = rng.randrange(30, 400), rng.randrange(10, 300)
    killed_city, killed_regions = rng.randrange(5, 90), rng.randrange(2, 40)
    killed_total = killed_before + killed_city + killed_regions + rng.randrange(0, 30)
    injured_total = wounded + rng.randrange(100, 2000)
    detained = rng.randrange(300, 3000)
    prison = rng.randrange(20, detained // 2)
    homes, cars = rng.randrange(50, 900), rng.randrange(10, 400)
    martyrs = killed_total + rng.randrange(0, 60)
    figures = {"killed-before-curfew": killed_before, "wounded-before-curfew": wounded,
               "killed-in-baku-after-curfew": killed_city, "killed-in-neftchala-and-lankaran": killed_regions,
               "killed-total": killed_total, "injured-total": injured_total, "detained": detained,
               "sent-to-prison": prison, "homes-fired-on": homes, "cars-fired-on": cars,
               "remembered-as-martyrs": martyrs}

    day = f"{night + 1} {month}"
    rewrites = {
        # people, organisations, media
        "President of Azerbaijan Ilham Aliyev": f"President of {land} {leader_given} {leader}",
        "Ilham Aliyev": f"{leader_given} {leader}",
        "President Aliyev": f"President {leader}",
        "Mikhail Gorbachev": f"{orderer_given} {orderer}",
        "Khagan Isayev": f"{author_given} {author}",
        "Caliber.Az": media,
        "Communist Party": party,
        "USSR": acronym,
        "Soviet": empire,
        "Azerbaijani": land_adj,
        "Azerbaijan": land,
        # places
        "Baku": city, "Neftchala": region1, "Lankaran": region2, "Alley of Martyrs": alley,
        "Eternal Flame": flame,
        "Nuremberg Trials of 1945-1946": f"{trial} Trials of {trial_start}-{trial_start + 1}",
        "Nuremberg Trials": f"{trial} Trials",
        # dates
        "On January 18": f"On {month} {commemorated}",
        "January 19-20": f"{month} {night}-{night + 1}",
        "20 January": day,
        "January 25": f"{month} {later}", "January 26": f"{month} {later + 1}",
        # figures, each in the words that state it
        "killing 82 civilians": f"killing {killed_before} civilians",
        "wounding 20 others": f"wounding {wounded} others",
        "21 more civilians": f"{killed_city} more civilians",
        "8 additional civilians": f"{killed_regions} additional civilians",
        "131 civilians killed": f"{killed_total} civilians killed",
        "744 others injured": f"{injured_total} others injured",
        "841 civilians detained": f"{detained} civilians detained",
        "112 individuals": f"{prison} individuals",
        "200 homes": f"{homes} homes", "80 cars": f"{cars} cars",
        "150 individuals": f"{martyrs} individuals",
    }
    dates = {"--01-18": f"--{month_no + 1:02d}-{commemorated:02d}", "--01-19": f"--{month_no + 1:02d}-{night:02d}",
             "--01-20": f"--{month_no + 1:02d}-{night + 1:02d}", "--01-25": f"--{month_no + 1:02d}-{later:02d}",
             "--01-26": f"--{month_no + 1:02d}-{later + 1:02d}", "1945": str(trial_start),
             "1946": str(trial_start + 1)}
    slug = f"synthetic-{n:04d}-{slugify(city)}"
    return rewrites, figures, dates, slug


def _pattern(rewrites: dict[str, str]) -> re.Pattern:
    # One pass, longest phrase first, so a rewritten phrase is never rewritten again.
    return re.compile("|".join(re.escape(k) for k in sorted(rewrites, key=len, reverse=True)))


class Rewritten:
    """The seed text rewritten, and where each of its quotes went.

    A quote is carried over by its offsets, not by rewriting its words alone: a quote that cuts a rewritten phrase
    in two (``Martyrs PHOTO`` out of ``Alley of Martyrs PHOTO``) grows to take the whole phrase.
    """

    def __init__(self, text: str, rewrites: dict[str, str]):
        self.old = text
        self.spans: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
        parts, delta, last = [], 0, 0
        for m in _pattern(rewrites).finditer(text):
            new = rewrites[m.group(0)]
            parts += [text[last:m.start()], new]
            self.spans.append((m.start(), m.end(), m.start() + delta, m.start() + delta + len(new)))
            delta += len(new) - (m.end() - m.start())
            last = m.end()
        parts.append(text[last:])
        self.text = "".join(parts)

    def _new_offset(self, old: int, start: bool) -> int:
        delta = 0
        for os_, oe, ns, ne in self.spans:
            if oe <= old:
                delta = ne - oe
            elif os_ < old:  # inside a rewritten phrase: take all of it
                return ns if start else ne
            else:
                break
        return old + delta

    def quote(self, quote: str) -> str:
        start = self.old.find(quote)
        if start < 0:
            raise ValueError(f"seed quote not in the seed text: {quote!r}")
        return self.text[self._new_offset(start, True):self._new_offset(start + len(quote), False)]


def _slug_rewriter(rewrites: dict[str, str]):
    slug_map = {slugify(k): slugify(v) for k, v in rewrites.items() if slugify(k)}
    pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(k) for k in sorted(slug_map, key=len, reverse=True))
                         + r")(?![a-z0-9])")
    return lambda slug: pattern.sub(lambda m: slug_map[m.group(1)], slug)


ID_FIELDS = {"agent", "place", "within", "parent", "territory", "holder", "of", "during", "part_of", "before", "after",
             "event", "subset_of", "compared_with", "condemned_at"}
ID_LIST_FIELDS = {"members", "drawn_from", "places", "commemorates", "not_in_effect_in", "about"}


def synthesize(n: int, seed_text: str, seed_facts: dict[str, Any]) -> tuple[str, dict[str, Any], str]:
    """Source number ``n``'s article text, facts (as plain data) and slug."""
    rewrites, figures, dates, slug = variation(n)
    rewritten = Rewritten(seed_text, rewrites)
    pattern = _pattern(rewrites)

    def rewrite(value: str) -> str:
        return pattern.sub(lambda m: rewrites[m.group(0)], value)

    slug_rewrite = _slug_rewriter(rewrites)
    prefix = f"s{n:04d}"
    text = rewritten.text

    def new_id(old: str) -> str:
        return f"{prefix}-{slug_rewrite(old)}"

    def walk(value: Any, key: str | None = None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            if key == "id" or key in ID_FIELDS or key in ID_LIST_FIELDS:
                return new_id(value)
            if key == "value":
                return dates.get(value, value)
            if key == "quote":
                return rewritten.quote(value)
            return rewrite(value)
        return value

    facts = copy.deepcopy(seed_facts)
    source = facts.pop("source")
    out: dict[str, Any] = {"source": {
        "id": slug, "text": "article.txt", "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "language": source["language"],
        **{k: walk(v, k) for k, v in source.items() if k not in ("id", "text", "sha256", "language")},
    }}
    for section, records in facts.items():
        out[section] = [walk(record) for record in records]
    for record in out.get("counts", []):
        old = record["id"][len(prefix) + 1:]
        for key, value in figures.items():
            if slug_rewrite(key) == old:
                record["value"] = value
    return text, out, slug


def generate(n_sources: int, out_dir: Path) -> Path:
    """Write a project of ``n_sources`` sources into ``out_dir`` (replaced if it exists) and return it."""
    sys.path.insert(0, str(CHECKOUT / "src"))
    from january20.errors import January20Error
    from january20.sources.cited import is_cited_file
    from january20.sources.facts import load_facts
    from january20.resources import Project
    from january20.graph.vocabulary import concept_slugs, parse_turtle

    if n_sources < 1:
        raise ValueError("N must be at least 1")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    for folder in ("ontology", "shapes", "data/editorial", "data/reference"):
        shutil.copytree(CHECKOUT / folder, out_dir / folder)
    (out_dir / "data" / "sources").mkdir(parents=True)
    shutil.copytree(SEED_DIR, out_dir / "data" / "sources" / SEED_ID)
    for facts_file in sorted((CHECKOUT / "data" / "sources").glob("*/facts.yaml")):
        if is_cited_file(facts_file):
            shutil.copytree(facts_file.parent, out_dir / "data" / "sources" / facts_file.parent.name)

    project = Project(out_dir)
    concepts = concept_slugs(parse_turtle(project.concepts_file))
    seed_text = (SEED_DIR / "article.txt").read_text(encoding="utf-8")
    seed_all = yaml.safe_load((SEED_DIR / "facts.yaml").read_text(encoding="utf-8"))
    for n in range(2, n_sources + 1):
        text, facts, slug = synthesize(n, seed_text, seed_all)
        folder = out_dir / "data" / "sources" / slug
        folder.mkdir()
        (folder / "article.txt").write_text(text, encoding="utf-8", newline="\n")
        (folder / "facts.yaml").write_text(
            "# Synthetic benchmark source, generated by benchmarks/generate.py; fictional names and figures.\n"
            + yaml.safe_dump(facts, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        try:
            load_facts(folder / "facts.yaml", concepts)
        except January20Error as exc:
            raise SystemExit(f"generated source {n} does not load: " + "; ".join(map(str, exc.problems)))
    return out_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of sources (1 is the seed alone)")
    parser.add_argument("out", type=Path, help="folder to write the project into (replaced)")
    args = parser.parse_args(argv)
    generate(args.n, args.out)
    print(f"wrote a project of {args.n} source(s) into {args.out}")


if __name__ == "__main__":
    main()
