"""One award read from one row: the single form, a row of the decision form, a row of a sheet.

Whatever an award comes from, `read_values` turns the row's raw values (and the defaults a
blank one falls back on) into `AwardValues` checked by `records.check()`. Each source says
how it reads its own values through `Readers`: a form picks the organization and kind among
those it offers (`form_readers`, from a `Catalog`) and reads typed text; the import looks them
up by name and reads spreadsheet cells (`importing/rows.py`). A value that cannot be read is
that field's error, and it stands instead of what the rules would say of the missing value.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from flask_babel import gettext as _

from bulletin.awards import issuers, records
from bulletin.awards.catalog import Catalog
from bulletin.awards.parsing import (
    ValueProblem,
    parse_amount,
    parse_date,
    parse_sex,
    parse_year,
)
from bulletin.awards.records import AwardValues
from bulletin.models import AwardKind

# A decision's fields, then a recipient's: read as text, or parsed (in the order their
# problems are listed).
DECISION_TEXTS = ("decision_number", "issuer", "signer")
DECISION_PARSED = ("decision_date", "issuer_level")
RECIPIENT_TEXTS = ("recipient_name", "recipient_title", "initiative", "ethnicity")
RECIPIENT_PARSED = ("organization", "kind", "recipient_type", "year", "amount", "birth_year",
                    "sex")
ROW_PARSED = ("organization", "kind", "recipient_type", "year", "decision_date", "amount",
              "birth_year", "sex", "issuer_level")
# What a decision form gives its rows when they leave a field blank.
DEFAULT_PARSED = ("organization", "kind", "year", "amount")


def typed(raw) -> str:
    """A typed value as text ("" for nothing)."""
    return raw or ""


def nothing(raw) -> None:
    """No organization or kind: a source that reads only a decision offers none."""
    return None


@dataclass(frozen=True)
class Readers:
    """How one source reads its values: each parser raises ValueProblem for a bad value."""

    organization: Callable[[Any], Any] = nothing
    kind: Callable[[Any], AwardKind | None] = nothing
    recipient_type: Callable[[Any], str | None] = typed
    year: Callable[[Any], int | None] = parse_year
    decision_date: Callable = parse_date
    amount: Callable[[Any], int | None] = parse_amount
    birth_year: Callable[[Any], int | None] = parse_year
    sex: Callable[[Any], str | None] = parse_sex
    issuer_level: Callable[[Any], str | None] = issuers.read_level
    text: Callable[[Any], str] = typed
    long_text: Callable[[Any], str] = typed
    # Who an award without a recipient type is for, from its name and kind (the import).
    guess_type: Callable[[str, AwardKind | None], str | None] | None = None


def _offered_organization(catalog: Catalog, raw):
    """The organization the form offers under this value; any other is an error."""
    found = catalog.organization(raw)
    if found is None:
        raise ValueProblem(_("Tổ chức này không có trong danh sách bạn được ghi sổ."))
    return found


def _offered_kind(catalog: Catalog, raw):
    """The kind the form offers under this value; any other is an error."""
    found = catalog.kind(raw)
    if found is None:
        raise ValueProblem(_("Chọn hình thức khen thưởng có trong danh mục."))
    return found


def form_readers(catalog: Catalog) -> Readers:
    """Readers of typed form fields, choosing among what the catalog offers."""
    return Readers(organization=partial(_offered_organization, catalog),
                   kind=partial(_offered_kind, catalog))


def form_values(form) -> dict[str, Any]:
    """A form's (or a row's) fields by their short names, as typed."""
    return {field.short_name: field.data for field in form}


def _read(raw: Mapping[str, Any], readers: Readers, values: AwardValues, texts: tuple,
          parsed: tuple, defaults: Mapping, problems: dict) -> None:
    """Set `values`' fields from `raw`; a blank one takes its default; note reading problems."""
    for name in texts:
        setattr(values, name, readers.text(raw.get(name)) or defaults.get(name, ""))
    for name in parsed:
        setattr(values, name, _parse(name, raw.get(name), readers, defaults, problems))


def _parse(name: str, raw, readers: Readers, defaults: Mapping, problems: dict):
    """One value parsed by its reader (the default when blank; None, noted, when unreadable)."""
    if raw is None or raw == "":
        return defaults.get(name)
    try:
        return getattr(readers, name)(raw)
    except ValueProblem as problem:
        problems.setdefault(name, []).append(str(problem))
        return None


def _blank() -> AwardValues:
    """Values with nothing read yet."""
    return AwardValues(recipient_type="", recipient_name="", organization=None, kind=None,
                       year=None, decision_number="", decision_date=None)


# Typed text: what a form's decision fields need.
TYPED = Readers()


def read_decision(raw: Mapping[str, Any], readers: Readers = TYPED) -> AwardValues:
    """A decision's own fields (number, date, issuer, signer); reading problems as errors."""
    values = _blank()
    _read(raw, readers, values, DECISION_TEXTS, DECISION_PARSED, {}, values.errors)
    values.issuer_level = values.issuer_level or ""
    return values


def read_defaults(raw: Mapping[str, Any], readers: Readers, decision: AwardValues) -> dict:
    """What a decision form gives its blank row fields; reading problems are the decision's."""
    defaults = {"achievement": readers.long_text(raw.get("achievement"))}
    for name in DEFAULT_PARSED:
        defaults[name] = _parse(name, raw.get(name), readers, {}, decision.errors)
    return defaults


def read_values(raw: Mapping[str, Any], readers: Readers, defaults: Mapping | None = None,
                decision: AwardValues | None = None,
                problems: Mapping[str, list[str]] | None = None) -> AwardValues:
    """One award from one row's raw values, checked by the registry's rules.

    A blank value takes its default (a decision form's rows take the decision's organization,
    kind, year, achievement and amount). `decision` holds the decision's fields, read once for
    all its rows; without it they are read from the row. `problems` are those the source
    found itself (a cell too long): like a value that cannot be read, they stand instead of
    what `records.check()` would say of that field.
    """
    defaults = defaults or {}
    found = {name: list(messages) for name, messages in (problems or {}).items()}
    if decision is None:
        values = _blank()
        _read(raw, readers, values, DECISION_TEXTS, (), {}, found)
        parsed = ROW_PARSED
    else:
        values = replace(decision, errors={}, warnings=[])
        parsed = RECIPIENT_PARSED
    _read(raw, readers, values, RECIPIENT_TEXTS, parsed, defaults, found)
    values.achievement = readers.long_text(raw.get("achievement")) \
        or defaults.get("achievement", "")
    if not values.recipient_type and "recipient_type" not in found and readers.guess_type:
        values.recipient_type = readers.guess_type(values.recipient_name, values.kind)
    values.recipient_type = values.recipient_type or ""
    values.sex = values.sex or ""
    values.issuer_level = values.issuer_level or ""
    values.errors = {name: list(messages) for name, messages in found.items()}
    records.check(values)
    values.errors.update((name, list(messages)) for name, messages in found.items())
    return values


def show_errors(form, errors: Mapping[str, list[str]]) -> None:
    """Put the registry's messages next to the form's fields."""
    for name, messages in errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = [*field.errors, *(m for m in messages if m not in field.errors)]
