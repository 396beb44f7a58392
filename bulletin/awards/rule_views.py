"""The rules of commendation as pages: the suggested reward for the award form, and the
admin's list and forms of dated rules and base salaries.
"""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bulletin import audit
from bulletin.awards import bp, issuers, rules
from bulletin.awards.forms import BaseSalaryForm, RuleForm
from bulletin.awards.labels import RECIPIENT_LABELS
from bulletin.awards.parsing import ValueProblem, parse_date
from bulletin.awards.scope import offered_kinds
from bulletin.extensions import db
from bulletin.i18n import format_number
from bulletin.models import AwardKind, AwardRule, BaseSalary
from bulletin.permissions import can_manage_award_kinds, can_use_registry, requires


@bp.get("/awards/rules/suggest")
@requires(can_use_registry)
def suggest_amount():
    """The reward the rules give a kind and recipient on a date, as JSON for the form."""
    kind = db.session.scalar(db.select(AwardKind).where(
        AwardKind.slug == request.args.get("kind", "")))
    try:
        day = parse_date(request.args.get("decision_date", ""))
    except ValueProblem:
        day = None
    suggestion = rules.suggested_amount(kind, request.args.get("recipient_type", ""), day)
    if suggestion is None:
        return jsonify(amount=None)
    return jsonify(amount=suggestion.amount, formatted=format_number(suggestion.amount),
                   text=_("Mức theo quy định: %(a)s đ (%(how)s)",
                          a=format_number(suggestion.amount), how=suggestion.explain()),
                   label=_("Dùng mức này"))


@bp.get("/awards/rules/issuer-level")
@requires(can_use_registry)
def issuer_level():
    """The level a typed issuer reads as on a date, as JSON for the forms' level select."""
    try:
        day = parse_date(request.args.get("decision_date", "")[:40])
    except ValueProblem:
        day = None
    level = issuers.guess_level(request.args.get("issuer", "")[:200], day)
    return jsonify(level=level, levels=issuers.valid_levels(day))


@bp.get("/awards/rules")
@requires(can_use_registry)
def rule_list():
    """Every rule by kind and date, and the base salaries: what the warnings rest on."""
    all_rules = db.session.scalars(db.select(AwardRule).order_by(
        AwardRule.kind_id, AwardRule.rule_type, AwardRule.valid_from, AwardRule.id))
    salaries = db.session.scalars(db.select(BaseSalary).order_by(BaseSalary.valid_from.desc()))
    return render_template("awards/rules.html", rules=list(all_rules),
                           salaries=list(salaries), rule_labels=rules.RULE_LABELS,
                           bodies=rules.BODY_LABELS, labels=RECIPIENT_LABELS,
                           can_edit=can_manage_award_kinds(current_user))


def rule_form(rule: AwardRule | None) -> RuleForm:
    """The rule form with its kind choices, filled from the rule on GET."""
    form = RuleForm(obj=rule if request.method == "GET" else None)
    kinds = offered_kinds(rule.kind if rule else None)
    form.kind.set_options(kinds, _("— Chọn —"))
    form.required_kind.set_options(kinds, _("— Không —"))
    if request.method == "GET" and rule is not None:
        form.kind.data = rule.kind.slug
        form.required_kind.data = rule.required_kind.slug if rule.required_kind else ""
        form.bodies.data = [code for code in rule.bodies.split(",") if code]
    return form


@bp.route("/awards/rules/new", methods=["GET", "POST"])
@bp.route("/awards/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@requires(can_manage_award_kinds)
def edit_rule(rule_id: int | None = None):
    """Add or correct a dated rule; past awards keep the verdict they were saved with."""
    rule = db.get_or_404(AwardRule, rule_id) if rule_id else None
    form = rule_form(rule)
    if form.validate_on_submit():
        rule = rule or AwardRule()
        form.apply(rule)
        db.session.add(rule)
        db.session.flush()
        audit.record("award_rule.save", "award_rule", rule.id,
                     f"{rule.kind.name}: {rule.rule_type} {rule.valid_from}")
        db.session.commit()
        flash(_("Đã lưu quy định."), "success")
        return redirect(url_for(".rule_list"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("awards/rule_form.html", form=form, rule=rule), status


@bp.route("/awards/rules/salaries/new", methods=["GET", "POST"])
@bp.route("/awards/rules/salaries/<int:salary_id>/edit", methods=["GET", "POST"])
@requires(can_manage_award_kinds)
def edit_salary(salary_id: int | None = None):
    """Add or correct a base salary and the date it took effect."""
    salary = db.get_or_404(BaseSalary, salary_id) if salary_id else None
    form = BaseSalaryForm(obj=salary if request.method == "GET" else None)
    if request.method == "GET" and salary is not None:
        form.valid_from.data = salary.valid_from.strftime("%d/%m/%Y")
    if form.validate_on_submit() and form.check_unique(salary):
        salary = salary or BaseSalary()
        form.apply(salary)
        db.session.add(salary)
        db.session.flush()
        audit.record("base_salary.save", "base_salary", salary.id,
                     f"{salary.valid_from}: {salary.amount}")
        db.session.commit()
        flash(_("Đã lưu mức lương cơ sở."), "success")
        return redirect(url_for(".rule_list"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("awards/salary_form.html", form=form, salary=salary), status
