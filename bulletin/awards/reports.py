"""Reports for the secretary's year, each a page, an Excel file and a paper (`?print=1`, A4
landscape with the heading block, the number and date line and the signers): the yearly
summary by organization × kind, who is eligible for a title in a year, who holds a title in
consecutive years, and the statistics the level above asks for.

A year is the year of the achievement (năm thành tích), as in the registry's `year` filter;
the summary is built on the registry's own filtered select, so its total is the registry's.
"""

import io

from flask import abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from bulletin import audit
from bulletin.awards import bp, listcache, queries
from bulletin.awards.issuers import TIER_LABELS
from bulletin.awards.labels import RECIPIENT_LABELS
from bulletin.awards.scope import allowed_ids, manageable_organizations, offered_kinds
from bulletin.awards.statistics import COLUMNS, statistics, statistics_workbook
from bulletin.awards.summaries import (
    eligibility_rules,
    eligible_candidates,
    eligible_workbook,
    families,
    report_head,
    report_org,
    report_year,
    streaks,
    streaks_workbook,
    yearly_summary,
    yearly_workbook,
)
from bulletin.extensions import db
from bulletin.permissions import can_use_registry, requires
from bulletin.security import parse_int
from bulletin.uploads import content_disposition

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/awards/reports/yearly")
@requires(can_use_registry)
def yearly_report():
    """The yearly summary by organization × kind: counts and money, with totals.

    The page's body is kept like the registry list's (per scope, address and language, under
    the shared version): its table is a few hundred formatted figures.
    """
    if request.args.get("print") == "1":
        summary = yearly_summary(report_year(), report_org(), allowed_ids())
        return render_template(_template("yearly"), summary=summary,
                               families=families(summary), paper=_yearly_head(summary),
                               maker=_maker())
    year, allowed = report_year(), allowed_ids()
    key, version = listcache.key(allowed), listcache.version()
    body = listcache.get(key, version)
    if body is None:
        summary = yearly_summary(year, report_org(), allowed)
        body = render_template("awards/reports/_yearly_body.html", summary=summary,
                               families=families(summary),
                               organizations=manageable_organizations(),
                               years=queries.years(allowed))
        listcache.put(key, version, body)
    # Our own template's output, escaped as it was rendered.
    return render_template("awards/reports/yearly.html", body=Markup(body), year=year)  # noqa: S704


def _template(name: str) -> str:
    """A report's page, or its paper when `print=1` is asked."""
    paper = request.args.get("print") == "1"
    return f"awards/reports/{name}_paper.html" if paper else f"awards/reports/{name}.html"


def _maker() -> str:
    """Who draws up the report (the signer on its left)."""
    return current_user.full_name or current_user.username


def _yearly_head(summary):
    """The yearly summary's heading block."""
    return report_head(summary.org, _("Báo cáo tổng hợp khen thưởng năm %(y)s", y=summary.year),
                       summary.org.name if summary.org else _("Năm thành tích %(y)s",
                                                              y=summary.year))


@bp.get("/awards/reports/yearly.xlsx")
@requires(can_use_registry)
def yearly_report_xlsx():
    """The yearly summary as an Excel workbook (same filters as the page)."""
    summary = yearly_summary(report_year(), report_org(), allowed_ids())
    audit.record("award.report", "award", None, f"yearly {summary.year} "
                 f"{summary.org.slug if summary.org else ''}".strip())
    db.session.commit()
    name = f"tong-hop-khen-thuong-{summary.year}" + (f"-{summary.org.slug}" if summary.org
                                                     else "")
    return _workbook_response(yearly_workbook(summary, _yearly_head(summary)), name)


def _workbook_response(book, name: str):
    """Send a report's workbook as a download named `name`.xlsx, never cached."""
    handle = io.BytesIO()
    book.save(handle)
    handle.seek(0)
    response = send_file(handle, mimetype=XLSX_MIMETYPE, as_attachment=True,
                         download_name=f"{name}.xlsx", max_age=0)
    response.headers["Content-Disposition"] = content_disposition(f"{name}.xlsx")
    return response


def _chosen_kind(kinds: list) -> object | None:
    """The kind the `kind` argument names among `kinds`; 404 for an unknown one."""
    slug = request.args.get("kind", "")
    kind = next((k for k in kinds if k.slug == slug), None)
    if slug and kind is None:
        abort(404)
    return kind


@bp.get("/awards/reports/eligible")
@requires(can_use_registry)
def eligible_report():
    """Who meets the prerequisites of a title in a year, with the awards that qualify them."""
    year = report_year()
    kinds = [k for k in offered_kinds() if k.slug]
    kind = _chosen_kind(kinds)
    candidates = eligible_candidates(kind, year, allowed_ids()) if kind else []
    return render_template(_template("eligible") if kind else "awards/reports/eligible.html",
                           kind=kind, year=year, kinds=kinds,
                           candidates=candidates, labels=RECIPIENT_LABELS,
                           rules=eligibility_rules(kind, year) if kind else [],
                           user=current_user, maker=_maker(),
                           paper=_eligible_head(kind, year) if kind else None)


def _eligible_head(kind, year: int):
    """The eligibility report's heading block."""
    return report_head(None, _("Danh sách đủ điều kiện đề nghị %(kind)s năm %(y)s",
                               kind=kind.name, y=year))


@bp.get("/awards/reports/eligible.xlsx")
@requires(can_use_registry)
def eligible_report_xlsx():
    """The eligibility report as an Excel workbook (same arguments as the page)."""
    year = report_year()
    kind = _chosen_kind([k for k in offered_kinds() if k.slug])
    if kind is None:
        abort(404)
    candidates = eligible_candidates(kind, year, allowed_ids())
    audit.record("award.report", "award", None, f"eligible {kind.slug} {year}")
    db.session.commit()
    return _workbook_response(eligible_workbook(kind, year, candidates, RECIPIENT_LABELS,
                                                _eligible_head(kind, year)),
                              f"du-dieu-kien-{kind.slug}-{year}")


def _streak_args() -> tuple[int, int, list]:
    """The streak report's year, minimum run and the yearly kinds it offers."""
    minimum = parse_int(request.args.get("min"), low=1, high=30) or 3
    return report_year(), minimum, [k for k in offered_kinds() if k.is_yearly]


@bp.get("/awards/reports/streaks")
@requires(can_use_registry)
def streak_report():
    """Who holds a title in consecutive years up to a year: candidates for a higher one."""
    year, minimum, kinds = _streak_args()
    kind = _chosen_kind(kinds)
    found = streaks(kind, year, minimum, allowed_ids()) if kind else []
    return render_template(_template("streaks") if kind else "awards/reports/streaks.html",
                           kind=kind, kinds=kinds, year=year, maker=_maker(),
                           minimum=minimum, streaks=found, labels=RECIPIENT_LABELS,
                           paper=_streak_head(kind, year, minimum) if kind else None)


def _streak_head(kind, year: int, minimum: int):
    """The streak report's heading block."""
    return report_head(None, _("Danh sách đạt %(kind)s nhiều năm liên tục", kind=kind.name),
                       _("Từ %(n)s năm liên tục đến năm %(y)s", n=minimum, y=year))


@bp.get("/awards/reports/streaks.xlsx")
@requires(can_use_registry)
def streak_report_xlsx():
    """The streak report as an Excel workbook (same arguments as the page)."""
    year, minimum, kinds = _streak_args()
    kind = _chosen_kind(kinds)
    if kind is None:
        abort(404)
    found = streaks(kind, year, minimum, allowed_ids())
    audit.record("award.report", "award", None, f"streaks {kind.slug} {year} {minimum}")
    db.session.commit()
    return _workbook_response(streaks_workbook(kind, year, minimum, found, RECIPIENT_LABELS,
                                               _streak_head(kind, year, minimum)),
                              f"lien-tuc-{kind.slug}-{year}")


def _statistics_head(stats):
    """The statistics' heading block."""
    return report_head(stats.org, _("Thống kê khen thưởng năm %(y)s", y=stats.year),
                       _("Theo hình thức, cấp khen thưởng, giới tính và dân tộc"))


@bp.get("/awards/reports/statistics")
@requires(can_use_registry)
def statistics_report():
    """Awards in force of a year by kind × level of the conferring body × sex × minority."""
    stats = statistics(report_year(), report_org(), allowed_ids())
    return render_template(_template("statistics"), stats=stats, columns=COLUMNS,
                           tiers=TIER_LABELS, organizations=manageable_organizations(),
                           years=queries.years(allowed_ids()), maker=_maker(),
                           paper=_statistics_head(stats))


@bp.get("/awards/reports/statistics.xlsx")
@requires(can_use_registry)
def statistics_report_xlsx():
    """The statistics as an Excel workbook under the heading block (same arguments)."""
    stats = statistics(report_year(), report_org(), allowed_ids())
    audit.record("award.report", "award", None, f"statistics {stats.year} "
                 f"{stats.org.slug if stats.org else ''}".strip())
    db.session.commit()
    name = f"thong-ke-khen-thuong-{stats.year}" + (f"-{stats.org.slug}" if stats.org else "")
    return _workbook_response(statistics_workbook(stats, _statistics_head(stats)), name)
