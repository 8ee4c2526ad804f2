"""From raw cells to normalised `PersonRow`s: header recognition and per-cell validation."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portevoix.people.importing import rows as f
from portevoix.people.importing.reading import RawRow, Table
from portevoix.people.importing.rows import ErrorLog, PersonRow, RowError, normalize_key

# Header names accepted for each column, in English and French; compared after normalize_key.
_ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "e-mail", "mail", "courriel", "adresse e-mail", "adresse email", "email address"),
    "full_name": ("full_name", "full name", "name", "nom complet", "prenom nom", "nom et prenom"),
    "first_name": ("first_name", "first name", "given name", "prénom"),
    "last_name": ("last_name", "last name", "family name", "surname", "nom", "nom de famille"),
    "employee_number": (
        "employee_number",
        "employee number",
        "employee id",
        "matricule",
        "numéro d'employé",
        "numero employe",
    ),
    "department": ("department", "département", "service", "direction"),
    "entity": ("entity", "entité", "société", "filiale", "business unit"),
    "job_title": ("job_title", "job title", "title", "position", "poste", "fonction", "intitulé de poste"),
    "location": ("location", "site", "lieu", "localisation", "office", "bureau"),
    "languages": ("languages", "langues", "language", "langue"),
    "hire_date": ("hire_date", "hire date", "start date", "date d'embauche", "date d'entrée", "date entree"),
    "manager_email": (
        "manager_email",
        "manager email",
        "manager e-mail",
        "e-mail du manager",
        "courriel du manager",
        "email manager",
        "courriel du responsable",
        "e-mail du responsable",
    ),
    "manager_employee_number": (
        "manager_employee_number",
        "manager employee number",
        "matricule du manager",
        "matricule manager",
        "matricule du responsable",
    ),
    "populations": ("populations", "population"),
    "active": ("active", "actif", "active?", "actif ?", "is_active"),
}
_COLUMN_BY_KEY: dict[str, str] = {
    normalize_key(alias): column for column, aliases in _ALIASES.items() for alias in aliases
}

TEMPLATE_HEADER: tuple[str, ...] = (
    "email", "full_name", "employee_number", "department", "entity", "job_title", "location",
    "languages", "hire_date", "manager_email", "populations", "active",
)  # fmt: skip

_MAX_LENGTHS = {"full_name": 200, "employee_number": 64, "department": 200, "entity": 200, "job_title": 200,
                "location": 200}  # fmt: skip
_TRUE = {"1", "true", "yes", "y", "oui", "o", "x", "vrai", "active", "actif"}
_FALSE = {"0", "false", "no", "n", "non", "faux", "inactive", "inactif", "left", "parti"}
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_SPLIT_LIST = re.compile(r"[|,;]")


class CellError(Exception):
    pass


@dataclass(frozen=True)
class Header:
    """Which column of the file holds which field, and how the user named it."""

    positions: dict[str, int]
    labels: dict[str, str]

    @property
    def fields(self) -> frozenset[str]:
        names = set(self.positions) - {"first_name", "last_name", "manager_email", "manager_employee_number"}
        if {"first_name", "last_name"} & set(self.positions):
            names.add(f.FULL_NAME)
        if {"manager_email", "manager_employee_number"} & set(self.positions):
            names.add(f.MANAGER)
        return frozenset(names)

    def label(self, column: str) -> str:
        if column == f.FULL_NAME and column not in self.labels:
            return " + ".join(self.labels[name] for name in ("first_name", "last_name") if name in self.labels)
        if column == f.MANAGER:
            return self.labels.get("manager_email") or self.labels.get("manager_employee_number", column)
        return self.labels.get(column, column)


def read_header(cells: tuple[str, ...]) -> tuple[Header, list[RowError]]:
    """Recognise the columns; unknown, repeated and missing required columns are errors on line 1."""
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    errors: list[RowError] = []
    for index, raw in enumerate(cells):
        label = raw.strip()
        if not label:
            continue
        column = _COLUMN_BY_KEY.get(normalize_key(label))
        if column is None:
            errors.append(RowError(1, label, _("unknown column (see the template for the accepted columns)")))
        elif column in positions:
            errors.append(RowError(1, label, _("this column appears twice")))
        else:
            positions[column] = index
            labels[column] = label
    if "email" not in positions:
        errors.append(RowError(1, "email", _("the e-mail column is required")))
    if "full_name" not in positions and not {"first_name", "last_name"} <= set(positions):
        errors.append(RowError(1, "full_name", _("a full_name column (or first_name and last_name) is required")))
    return Header(positions=positions, labels=labels), errors


def parse_rows(
    *,
    table: Table,
    header: Header,
    population_keys: dict[str, str],
    errors: ErrorLog,
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> tuple[list[PersonRow], int]:
    """Validate every data row; return the valid rows and how many data rows the file has.

    Duplicate e-mails and employee numbers inside the file are reported here too.
    """
    parsed: list[PersonRow] = []
    seen_emails: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    count = 0
    for count, raw in enumerate(table.rows, start=1):
        row = _parse_row(raw, header, population_keys, errors)
        if row is not None and _is_unique_in_file(row, header, seen_emails, seen_numbers, errors):
            parsed.append(row)
        if on_progress is not None and count % progress_every == 0:
            on_progress(count)
    return parsed, count


def _is_unique_in_file(
    row: PersonRow, header: Header, emails: dict[str, int], numbers: dict[str, int], errors: ErrorLog
) -> bool:
    is_unique = True
    if row.email in emails:
        message = _("duplicate e-mail in the file (already on line %(line)s)") % {"line": emails[row.email]}
        errors.add(row.line, header.label(f.EMAIL), message)
        is_unique = False
    else:
        emails[row.email] = row.line
    if row.employee_number and row.employee_number in numbers:
        message = _("duplicate employee number in the file (already on line %(line)s)") % {
            "line": numbers[row.employee_number]
        }
        errors.add(row.line, header.label(f.EMPLOYEE_NUMBER), message)
        is_unique = False
    elif row.employee_number:
        numbers[row.employee_number] = row.line
    return is_unique


def _parse_row(raw: RawRow, header: Header, population_keys: dict[str, str], errors: ErrorLog) -> PersonRow | None:
    def cell(column: str) -> str:
        index = header.positions.get(column)
        return raw.cells[index].strip() if index is not None and index < len(raw.cells) else ""

    values: dict[str, object] = {}
    is_valid = True
    for column, parse in _PARSERS.items():
        if column not in header.positions:
            continue
        try:
            values[column] = parse(cell(column), population_keys)
        except CellError as error:
            errors.add(raw.line, header.label(column), str(error))
            is_valid = False
    full_name = values.pop("full_name", None) or " ".join(
        part for part in (cell("first_name"), cell("last_name")) if part
    )
    if not full_name:
        errors.add(raw.line, header.label(f.FULL_NAME), _("the name is missing"))
        is_valid = False
    elif len(str(full_name)) > _MAX_LENGTHS["full_name"]:
        errors.add(raw.line, header.label(f.FULL_NAME), _("too long (at most 200 characters)"))
        is_valid = False
    if not is_valid:
        return None
    values.pop("first_name", None)
    values.pop("last_name", None)
    if "active" in values:
        values["is_active"] = values.pop("active")
    return PersonRow(line=raw.line, full_name=str(full_name), **values)  # type: ignore[arg-type]


def _text(column: str) -> Callable[[str, dict[str, str]], str]:
    limit = _MAX_LENGTHS[column]

    def parse(value: str, population_keys: dict[str, str]) -> str:
        if len(value) > limit:
            raise CellError(_("too long (at most %(limit)s characters)") % {"limit": limit})
        return value

    return parse


def _email(value: str, population_keys: dict[str, str]) -> str:
    if not value:
        raise CellError(_("the e-mail is missing"))
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(_("invalid e-mail address: “%(value)s”") % {"value": value}) from None
    return value.lower()


def _optional_email(value: str, population_keys: dict[str, str]) -> str:
    return _email(value, population_keys) if value else ""


def _languages(value: str, population_keys: dict[str, str]) -> tuple[str, ...]:
    codes: list[str] = []
    for part in re.split(r"[,;|/\s]+", value.lower()):
        code = part.replace("_", "-").split("-", 1)[0]
        if not code:
            continue
        if not _LANGUAGE.match(code):
            raise CellError(_("language not understood: “%(value)s” (use codes such as fr, en)") % {"value": part})
        codes.append(code)
    if len(",".join(sorted(set(codes)))) > 64:
        raise CellError(_("too many languages"))
    return tuple(sorted(set(codes)))


def _date(value: str, population_keys: dict[str, str]) -> datetime.date | None:
    if not value:
        return None
    day_first = _DAY_FIRST.match(value)
    try:
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise CellError(
            _("date not understood: “%(value)s” (use YYYY-MM-DD or DD/MM/YYYY)") % {"value": value}
        ) from None


def _populations(value: str, population_keys: dict[str, str]) -> tuple[str, ...]:
    slugs: list[str] = []
    for part in _SPLIT_LIST.split(value):
        name = part.strip()
        if not name:
            continue
        slug = population_keys.get(normalize_key(name))
        if slug is None:
            raise CellError(_("unknown population: “%(value)s”") % {"value": name})
        slugs.append(slug)
    return tuple(sorted(set(slugs)))


def _active(value: str, population_keys: dict[str, str]) -> bool:
    key = normalize_key(value)
    if not key or key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError(_("not understood: “%(value)s” (use yes or no)") % {"value": value})


def _passthrough(value: str, population_keys: dict[str, str]) -> str:
    return value


_PARSERS: dict[str, Callable[[str, dict[str, str]], object]] = {
    "email": _email,
    "full_name": _text("full_name"),
    "first_name": _passthrough,
    "last_name": _passthrough,
    "employee_number": _text("employee_number"),
    "department": _text("department"),
    "entity": _text("entity"),
    "job_title": _text("job_title"),
    "location": _text("location"),
    "languages": _languages,
    "hire_date": _date,
    "manager_email": _optional_email,
    "manager_employee_number": _text("employee_number"),
    "populations": _populations,
    "active": _active,
}
