"""Reports for the secretary's year, each a page, an Excel file and a clean print: the yearly
summary by organization × kind, and who is eligible for a title in a year.

A year is the year of the achievement (năm thành tích), as in the registry's `year` filter;
the summary is built on the registry's own filtered select, so its total is the registry's.
"""

import io

from flask import abort, render_template, request, send_file
from flask_login import current_user

from bulletin import audit
from bulletin.awards import bp, queries
from bulletin.awards.forms import RECIPIENT_LABELS
from bulletin.awards.scope import allowed_ids, manageable_organizations, offered_kinds
from bulletin.awards.summaries import (
    eligibility_rules,
    eligible_candidates,
    report_org,
    report_year,
    streaks,
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
    """The yearly summary by organization × kind: counts and money, with totals."""
    summary = yearly_summary(report_year(), report_org(), allowed_ids())
    return render_template("awards/reports/yearly.html", summary=summary,
                           organizations=manageable_organizations(),
                           years=queries.years(allowed_ids()))


@bp.get("/awards/reports/yearly.xlsx")
@requires(can_use_registry)
def yearly_report_xlsx():
    """The yearly summary as an Excel workbook (same filters as the page)."""
    summary = yearly_summary(report_year(), report_org(), allowed_ids())
    audit.record("award.report", "award", None, f"yearly {summary.year} "
                 f"{summary.org.slug if summary.org else ''}".strip())
    db.session.commit()
    handle = io.BytesIO()
    yearly_workbook(summary).save(handle)
    handle.seek(0)
    name = f"tong-hop-khen-thuong-{summary.year}" + (f"-{summary.org.slug}" if summary.org
                                                     else "")
    response = send_file(handle, mimetype=XLSX_MIMETYPE, as_attachment=True,
                         download_name=f"{name}.xlsx", max_age=0)
    response.headers["Content-Disposition"] = content_disposition(f"{name}.xlsx")
    return response


@bp.get("/awards/reports/eligible")
@requires(can_use_registry)
def eligible_report():
    """Who meets the prerequisites of a title in a year, with the awards that qualify them."""
    year = report_year()
    slug = request.args.get("kind", "")
    kinds = [k for k in offered_kinds() if k.slug]
    kind = next((k for k in kinds if k.slug == slug), None)
    if slug and kind is None:
        abort(404)
    candidates = eligible_candidates(kind, year, allowed_ids()) if kind else []
    return render_template("awards/reports/eligible.html", kind=kind, year=year, kinds=kinds,
                           candidates=candidates, labels=RECIPIENT_LABELS,
                           rules=eligibility_rules(kind, year) if kind else [],
                           user=current_user)


@bp.get("/awards/reports/streaks")
@requires(can_use_registry)
def streak_report():
    """Who holds a title in consecutive years up to a year: candidates for a higher one."""
    year = report_year()
    minimum = parse_int(request.args.get("min"), low=1, high=30) or 3
    kinds = [k for k in offered_kinds() if k.is_yearly]
    slug = request.args.get("kind", "")
    kind = next((k for k in kinds if k.slug == slug), None)
    if slug and kind is None:
        abort(404)
    found = streaks(kind, year, minimum, allowed_ids()) if kind else []
    return render_template("awards/reports/streaks.html", kind=kind, kinds=kinds, year=year,
                           minimum=minimum, streaks=found, labels=RECIPIENT_LABELS)
