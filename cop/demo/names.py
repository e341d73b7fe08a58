"""Word lists for realistic demo organisations and people of the Lombardy networks
(data/names.toml)."""
from cop.demo.content import load

_NAMES = load("names")
CITIES: dict[str, list[str]] = _NAMES["cities"]
PROVINCES: dict[str, list[str]] = _NAMES["provinces"]
SCHOOL_NAMES: list[str] = _NAMES["school_names"]
NONPROFIT_WORDS: list[str] = _NAMES["nonprofit_words"]
NONPROFIT_FORMS: list[str] = _NAMES["nonprofit_forms"]
UNIONS: list[str] = _NAMES["unions"]
EMPLOYERS: list[str] = _NAMES["employers"]
SURNAMES: list[str] = _NAMES["surnames"]
SECTORS: list[str] = _NAMES["sectors"]
COMPANY_FORMS: dict[str, str] = _NAMES["company_forms"]
FIRST_NAMES: list[str] = _NAMES["first_names"]
JOB_TITLES: dict[str, list[str]] = _NAMES["job_titles"]
