"""The confidential scoring sheet, laid out like the seed's Appendix 2 form: filled, blank, or a batch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from ppo_desktop.documents.layout import DocumentMeta, bold, build, para, table
from ppo_desktop.domain import Nominal, ScoreSheet
from ppo_desktop.i18n import _, format_date
from ppo_desktop.scoring import Breakdown, Definition, empty_inputs, score

SHADE = colors.HexColor("#eef2f7")


@dataclass(frozen=True)
class SheetPage:
    """One sheet to print: the definition, and (unless blank) the person and their sheet."""

    defn: Definition
    nominal: Nominal | None = None
    sheet: ScoreSheet | None = None


def scoring_sheets(pages: Sequence[SheetPage], meta: DocumentMeta) -> bytes:
    return build(sheets_story(pages), meta)


def sheets_story(pages: Sequence[SheetPage]) -> list[Flowable]:
    story: list[Flowable] = []
    for i, page in enumerate(pages):
        if i:
            story.append(PageBreak())
        story += sheet_story(page)
    return story


def sheet_story(page: SheetPage) -> list[Flowable]:
    defn, nominal, sheet = page.defn, page.nominal, page.sheet
    inputs: dict[str, Any] = dict(sheet.inputs) if sheet else empty_inputs(defn)
    b = score(defn, inputs)
    if sheet is not None and sheet.final:
        # The record is the stored breakdown; it is what the engine gave when the sheet was finalised.
        assert b.total == sheet.total, "stored sheet and engine disagree"
    blank = sheet is None
    lines = {ln.key: ln for ln in b.lines}
    story: list[Flowable] = [para(defn.title, "title")]
    date = format_date(sheet.scored_on) if sheet else ""
    marker = (_("YES") if sheet.pnc_marker else _("NO")) if sheet else _("YES / NO")
    total = "" if blank else f"{b.total:g}"
    story.append(
        table(
            [[_("Date:"), date, _("PNC MARKER:"), marker, _("SCORE:"), total]],
            widths=[18 * mm, 35 * mm, 28 * mm, 24 * mm, 18 * mm, 25 * mm],
            header=False,
        )
    )
    story.append(Spacer(1, 3 * mm))
    n = nominal
    subject = [
        [_("Target name:"), n.display_name if n else ""],
        [_("D.O.B:"), format_date(n.dob) if n else ""],
        [_("Address:"), n.address if n else ""],
        [_("CRO:"), n.cro if n else ""],
    ]
    story += [para(_("Subject information:"), "h3"), table(subject, widths=[30 * mm, 150 * mm], header=False)]
    for section in defn.sections:
        if section.kind == "counts":
            story.append(_counts(defn, section.key, section.title, inputs, lines, blank))
        elif section.kind == "band":
            story.append(_bands(section, lines, blank))
        elif section.kind == "choice":
            story.append(_choice(section, inputs, lines, blank))
        elif section.kind in ("factors", "flags"):
            story.append(_answers(section, inputs, blank))
        elif section.kind == "external":
            value = "" if blank or inputs.get(section.key) is None else f"{inputs[section.key]:g}"
            story.append(
                KeepTogether(
                    [
                        para(section.title, "h3"),
                        table(
                            [
                                [
                                    section.title,
                                    _("Range {low:g}–{high:g}").format(
                                        low=section.minimum, high=section.maximum
                                    ),
                                    _("Score"),
                                ],
                                [section.note, "", value],
                            ],
                            widths=[110 * mm, 40 * mm, 30 * mm],
                        ),
                    ]
                )
            )
    story.append(Spacer(1, 3 * mm))
    story.append(
        table(
            [[_("TOTAL SCORE"), total]],
            widths=[150 * mm, 30 * mm],
            header=False,
            extra=[("FONTNAME", (0, 0), (-1, -1), "DejaVuSans-Bold")],
        )
    )
    story += _flags(b, blank) + _readings(defn)
    scorer = sheet.scorer if sheet else ""
    state = (_("FINAL") if sheet.final else _("DRAFT")) if sheet else _("BLANK FORM")
    story.append(Spacer(1, 4 * mm))
    story.append(
        table(
            [
                [_("Scored by:"), scorer, _("Date:"), date, _("Signature:"), ""],
                [_("Sheet:"), state, _("Matrix:"), defn.label, _("Content hash:"), defn.hash[:16]],
            ],
            widths=[22 * mm, 33 * mm, 19 * mm, 41 * mm, 25 * mm, 40 * mm],  # "Dyddiad:" on one line
            header=False,
        )
    )
    return story


def _counts(
    defn: Definition, key: str, title: str, inputs: dict[str, Any], lines: dict[str, Any], blank: bool
) -> Flowable:
    section = defn.section(key)
    header = [
        _("Crime Categories") if section.counts_as_offences else title,
        _("Points"),
        *[c.label for c in defn.columns],
        _("Score"),
    ]
    rows: list[list[Any]] = [header]
    shaded: list[int] = []
    groups = {g.key: g for g in section.groups}
    seen: set[str] = set()
    for r in section.rows:
        if r.group and r.group not in seen:
            seen.add(r.group)
            g = groups[r.group]
            rows.append([bold(f"{g.label} {g.marker}".strip()), "", *["" for _column in defn.columns], ""])
            shaded.append(len(rows) - 1)
        counts = inputs.get(key, {}).get(r.key, {})
        line = lines[r.key]
        rows.append(
            [
                f"{r.label} {r.marker}".strip(),
                f"{r.points:g}",
                *["" if blank else str(counts.get(c.key, "") or "") for c in defn.columns],
                "" if blank or not line.score else f"{line.score:g}",
            ]
        )
    widths = [70 * mm, 16 * mm, *[22 * mm for _column in defn.columns], 22 * mm]
    extra = [("BACKGROUND", (0, i), (-1, i), SHADE) for i in shaded]
    extra.append(("ALIGN", (1, 1), (-1, -1), "CENTER"))
    return table(rows, widths, extra=extra)


def _bands(section: Any, lines: dict[str, Any], blank: bool) -> Flowable:
    line = lines[section.key]
    rows: list[list[Any]] = [[section.unit.capitalize() or section.title, _("Points"), _("Score")]]
    for band in section.bands:
        hit = not blank and line.score and f"'{band.label}'" in line.rule
        rows.append(
            [
                f"{band.label}  ({band.bounds} {section.unit})".replace("  ()", ""),
                f"{band.points:g}",
                f"{line.score:g}" if hit else "",
            ]
        )
    caption = [para(section.title + ":", "h3"), table(rows, [120 * mm, 25 * mm, 35 * mm])]
    if not blank and line.value:
        caption.append(
            para(_("Entered: {value} {unit}").format(value=line.value, unit=section.unit), "small")
        )
    return KeepTogether(caption)


def _choice(section: Any, inputs: dict[str, Any], lines: dict[str, Any], blank: bool) -> Flowable:
    chosen = None if blank else inputs.get(section.key)
    rows: list[list[Any]] = [[section.title, _("Point"), _("Score")]]
    for o in section.options:
        rows.append([o.label, f"{o.points:g}", f"{o.points:g}" if o.key == chosen else ""])
    return KeepTogether([para(section.title + ":", "h3"), table(rows, [120 * mm, 25 * mm, 35 * mm])])


def _answers(section: Any, inputs: dict[str, Any], blank: bool) -> Flowable:
    given = inputs.get(section.key) or {}
    rows: list[list[Any]] = [[section.title, _("Yes / No / Not known")]]
    for r in section.rows:
        value = given.get(r.key)
        answer = "" if blank or value is None else {True: _("yes"), False: _("no")}.get(value, _(str(value)))
        rows.append([r.label, answer])
    note = [para(section.note, "small")] if section.note else []
    return KeepTogether([para(section.title + ":", "h3"), table(rows, [120 * mm, 60 * mm]), *note])


def _flags(b: Breakdown, blank: bool) -> list[Flowable]:
    if blank or not b.flags:
        return []
    return [para(_("Criteria"), "h3"), *[para(f.text, "small") for f in b.flags]]


def _readings(defn: Definition) -> list[Flowable]:
    out: list[Flowable] = [para(_("How this matrix is read"), "h3")]
    out += [
        para(
            _("Marker {marker} ({target}): {text}").format(marker=r.marker, target=r.target, text=r.text),
            "small",
        )
        for r in defn.readings
    ]
    out += [para(f"{s.title}: {s.note}", "small") for s in defn.sections if s.note and s.kind != "factors"]
    out += [para(n, "small") for n in defn.notes]
    out.append(
        para(
            _("Source: {source}. {matrix}, {status}, in force from {day}.").format(
                source=defn.source,
                matrix=defn.label,
                status=defn.status,
                day=format_date(defn.effective_from),
            ),
            "small",
        )
    )
    return out
