"""The data contracts of an import: parsed rows and errors, as frozen dataclasses."""

import datetime
import unicodedata
from dataclasses import dataclass, field
from typing import Any

# The fields an import can set. `full_name` also comes from first_name + last_name, and
# `manager` from manager_email or manager_employee_number.
EMAIL = "email"
FULL_NAME = "full_name"
EMPLOYEE_NUMBER = "employee_number"
DEPARTMENT = "department"
ENTITY = "entity"
JOB_TITLE = "job_title"
LOCATION = "location"
LANGUAGES = "languages"
HIRE_DATE = "hire_date"
MANAGER = "manager"
POPULATIONS = "populations"
ACTIVE = "active"

MAX_STORED_ERRORS = 1000


def normalize_key(text: str) -> str:
    """Lower case, no accents, words separated by one space: "Date d'entrée" → "date d entree"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    words = "".join(char if char.isalnum() else " " for char in plain).split()
    return " ".join(words)


@dataclass(frozen=True)
class RowError:
    """What is wrong and where: `line` as the user sees it in the file (the header is line 1)."""

    line: int
    column: str
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "RowError":
        return cls(line=int(data["line"]), column=str(data["column"]), message=str(data["message"]))


@dataclass(frozen=True)
class PersonRow:
    """One valid line of the file, normalised. Fields whose column is absent keep their defaults."""

    line: int
    email: str
    full_name: str
    employee_number: str = ""
    department: str = ""
    entity: str = ""
    job_title: str = ""
    location: str = ""
    languages: tuple[str, ...] = ()
    hire_date: datetime.date | None = None
    manager_email: str = ""
    manager_employee_number: str = ""
    populations: tuple[str, ...] = ()
    is_active: bool = True

    @property
    def languages_value(self) -> str:
        return ",".join(sorted(set(self.languages)))

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "email": self.email,
            "full_name": self.full_name,
            "employee_number": self.employee_number,
            "department": self.department,
            "entity": self.entity,
            "job_title": self.job_title,
            "location": self.location,
            "languages": list(self.languages),
            "hire_date": self.hire_date.isoformat() if self.hire_date else None,
            "manager_email": self.manager_email,
            "manager_employee_number": self.manager_employee_number,
            "populations": list(self.populations),
            "is_active": self.is_active,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "PersonRow":
        hire_date = data.get("hire_date")
        return cls(
            **{key: value for key, value in data.items() if key not in {"languages", "populations", "hire_date"}},
            languages=tuple(data.get("languages", ())),
            populations=tuple(data.get("populations", ())),
            hire_date=datetime.date.fromisoformat(hire_date) if hire_date else None,
        )


@dataclass
class ErrorLog:
    """Collects errors; keeps the first MAX_STORED_ERRORS and counts them all."""

    errors: list[RowError] = field(default_factory=list)
    count: int = 0

    def add(self, line: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(RowError(line=line, column=column, message=message))

    def extend(self, errors: "list[RowError] | tuple[RowError, ...]") -> None:
        for error in errors:
            self.add(error.line, error.column, error.message)
