"""An organization's proposals: the list, writing one (rows as on the decision form), its page,
submitting it, its scan and its paper (tờ trình with the danh sách đề nghị, A4).

Reading, checking and saving is `proposals`' work; the council's side is `council`.
"""

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from bulletin.awards import batches, bp, proposals, records
from bulletin.awards.catalog import Catalog
from bulletin.awards.forms import ScanForm
from bulletin.awards.labels import RECIPIENT_LABELS, SEX_LABELS
from bulletin.awards.money import in_words
from bulletin.awards.proposal_forms import STATE_LABELS, ProposalForm
from bulletin.awards.scans import store_scan
from bulletin.awards.scope import catalog_for
from bulletin.extensions import db
from bulletin.models import Proposal
from bulletin.permissions import can_use_registry, requires
from bulletin.site import identity
from bulletin.uploads import UploadRefused, accept_upload, attachment_path, content_disposition


def prepare(form: ProposalForm, catalog: Catalog) -> None:
    """Give the proposal's defaults and every row their organization and kind options."""
    batches.fill_decision_form(form, catalog)
    form.organization.set_options(catalog.organizations, _("— Chọn tổ chức —"))


def render_form(form: ProposalForm, proposal: Proposal | None, batch=None, status: int = 200):
    """Show the proposal form (new or a draft being changed)."""
    return render_template("awards/proposals/form.html", form=form, proposal=proposal,
                           batch=batch), status


@bp.get("/awards/proposals/")
@requires(can_use_registry)
def proposal_list():
    """The proposals the account may see, newest year first."""
    year = proposals.year_or_none(request.args.get("year"))
    # Each line shows its organization and counts its rows: loaded for all at once, not one
    # proposal at a time.
    rows = list(db.session.scalars(proposals.visible_statement(year).options(
        selectinload(Proposal.organization), selectinload(Proposal.rows))))
    return render_template("awards/proposals/list.html", proposals=rows, year=year,
                           states=STATE_LABELS, council=proposals.is_council())


@bp.route("/awards/proposals/new", methods=["GET", "POST"])
@requires(can_use_registry)
def new_proposal():
    """Write an organization's proposal: its defaults and its rows."""
    return handle_form(None)


@bp.route("/awards/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@requires(can_use_registry)
def edit_proposal(proposal_id: int):
    """Change a draft or returned proposal (its rows are read again)."""
    return handle_form(proposals.load_proposal(proposal_id, edit=True))


def handle_form(proposal: Proposal | None):
    """The proposal form's one shape: show, add rows, paste, suggest money, check, save."""
    catalog = catalog_for()
    if request.method == "GET" and proposal is not None:
        form = ProposalForm(data=proposals.form_data(proposal))
    else:
        form = ProposalForm()
    if request.method == "POST" and form.add_rows.data:
        form.add_empty_rows()
    prepare(form, catalog)
    if request.method == "GET":
        if proposal is None:
            form.year.data = str(records.today().year)
            if len(catalog.organizations) == 1:
                form.organization.data = catalog.organizations[0].slug
        return render_form(form, proposal)
    if form.add_rows.data:
        return render_form(form, proposal)
    if form.fill_rows.data:
        pasted = batches.fill_pasted_rows(form, catalog)
        flash(_("Đã điền %(n)s dòng từ danh sách dán vào. Kiểm tra lại rồi bấm lưu.",
                n=pasted.count), "info")
        if pasted.unknown:
            flash(_("Không thấy trong danh sách được chọn: %(names)s. Các dòng đó để “như "
                    "trên”; hãy chọn lại.", names=", ".join(pasted.unknown)), "warning")
        return render_form(form, proposal)
    read = proposals.read_proposal(form, catalog)
    if form.fill_amounts.data:
        batches.fill_suggested_amounts(form, read.batch)
        return render_form(form, proposal, read.batch)
    if not read.batch.ok or form.check_rules.data:
        return render_form(form, proposal, read.batch, 422 if not read.batch.ok else 200)
    saved = proposals.save_proposal(proposal or Proposal(status="draft"), form, read)
    db.session.commit()
    flash(_("Đã lưu đề nghị với %(n)s dòng. Khi đủ, bấm “Gửi Hội đồng”.",
            n=len(saved.rows)), "success")
    return redirect(url_for(".proposal_detail", proposal_id=saved.id), code=303)


@bp.get("/awards/proposals/<int:proposal_id>")
@requires(can_use_registry)
def proposal_detail(proposal_id: int):
    """A proposal: its state, its rows with the council's verdicts and the awards they became."""
    proposal = proposals.load_proposal(proposal_id)
    return render_template("awards/proposals/detail.html", **proposals.page_context(proposal))


@bp.post("/awards/proposals/<int:proposal_id>/submit")
@requires(can_use_registry)
def submit_proposal(proposal_id: int):
    """Send a draft (or a corrected returned) proposal to the council."""
    proposal = proposals.load_proposal(proposal_id, edit=True)
    back = redirect(url_for(".proposal_detail", proposal_id=proposal.id), code=303)
    if not proposal.rows:
        flash(_("Đề nghị chưa có dòng nào."), "error")
        return back
    proposals.submit(proposal)
    db.session.commit()
    flash(_("Đã gửi đề nghị tới Hội đồng thi đua, khen thưởng."), "success")
    return back


@bp.post("/awards/proposals/<int:proposal_id>/scan")
@requires(can_use_registry)
def upload_proposal_scan(proposal_id: int):
    """Keep the scan of the signed tờ trình or biên bản (PDF, JPG, PNG by their content)."""
    proposal = proposals.load_proposal(proposal_id, edit=True)
    back = redirect(url_for(".proposal_detail", proposal_id=proposal.id), code=303)
    form = ScanForm()
    upload_file = form.scan.data if form.validate_on_submit() else None
    if not getattr(upload_file, "filename", ""):
        flash(_("Hãy chọn tệp bản chụp tờ trình hoặc biên bản."), "error")
        return back
    try:
        name, stored = accept_upload(upload_file, "to-trinh.pdf",
                                     current_app.config["MAX_ATTACHMENT_BYTES"], store_scan)
    except UploadRefused as refused:
        flash(_("Tệp “%(name)s” không được nhận: bản chụp phải là PDF, JPG hoặc PNG, tối đa "
                "30 MB.", name=refused.name), "error")
        return back
    proposal.scan_name, proposal.scan_stored_name = name, stored.stored_name
    db.session.commit()
    flash(_("Đã lưu bản chụp."), "success")
    return back


@bp.get("/awards/proposals/<int:proposal_id>/scan")
@requires(can_use_registry)
def download_proposal_scan(proposal_id: int):
    """Send a proposal's scan to those who may see the proposal."""
    proposal = proposals.load_proposal(proposal_id)
    path = attachment_path(proposal.scan_stored_name) if proposal.scan_stored_name else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, max_age=0, conditional=True)
    response.headers["Content-Disposition"] = content_disposition(proposal.scan_name)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/awards/proposals/<int:proposal_id>/paper")
@requires(can_use_registry)
def proposal_paper(proposal_id: int):
    """The tờ trình and its danh sách đề nghị, on A4, under the organization's heading."""
    proposal = proposals.load_proposal(proposal_id)
    rows = sorted(proposal.rows, key=lambda r: (r.recipient_type == "individual", r.line_no))
    total = sum(row.amount or 0 for row in rows)
    org, site = proposal.organization, identity()
    return render_template(
        "awards/proposals/paper.html", proposal=proposal, rows=rows, total=total,
        total_words=in_words(total), labels=RECIPIENT_LABELS, sexes=SEX_LABELS,
        # The heading's two lines: the body above the organization, and the organization.
        body_parent=org.parent.name if org.parent else site.full_name,
        body_name=" ".join(part for part in (org.name, site.locality_name) if part),
        place=proposals.place_name(site.locality_name))
