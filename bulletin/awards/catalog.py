"""What a form may choose from: the account's organizations and the kinds on offer."""

from dataclasses import dataclass

from bulletin.models import AwardKind, Organization


@dataclass
class Catalog:
    """What a form may choose from: the user's organizations and the kinds on offer."""

    organizations: list[Organization]
    kinds: list[AwardKind]

    def organization(self, value: str) -> Organization | None:
        """The offered organization with this slug (or id)."""
        return _pick(self.organizations, value)

    def kind(self, value: str) -> AwardKind | None:
        """The offered kind with this slug (or id)."""
        return _pick(self.kinds, value)

    def fill(self, form, org_empty, kind_empty) -> None:
        """Give a form's (or a row's) organization and kind selects their options."""
        form.organization.set_options(self.organizations, org_empty)
        form.kind.set_options(self.kinds, kind_empty)


def _pick(rows, value):
    """The row whose slug (or id) is `value`."""
    value = (value or "").strip()
    for row in rows:
        if value in (row.slug, str(row.id)):
            return row
    return None
