"""The DPIA draft on paper: what the store says about itself, then headed blanks for the DPO."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ppo_desktop.documents.layout import DocumentMeta, build, para, table
from ppo_desktop.i18n import N_, _

TO_COMPLETE = (
    (
        N_("Need for the processing"),
        N_(
            "Why the panel needs each kind of record above, and the law enforcement "
            "purpose it serves (DPA 2018 s.31)."
        ),
    ),
    (
        N_("Necessity and proportionality"),
        N_("Whether less data, or less time, would do; how data quality and accuracy are kept (s.38)."),
    ),
    (
        N_("Risks to the people the data is about"),
        N_(
            "Likelihood and severity: wrongful selection, disclosure "
            "beyond the panel, loss of the laptop, a store put back to an earlier copy."
        ),
    ),
    (
        N_("Measures"),
        N_(
            "What reduces each risk (the protections listed above, and local ones: training, "
            "information sharing agreement, the room's confidentiality statement)."
        ),
    ),
    (
        N_("Consultation and sign-off"),
        N_("The DPO's advice, who accepted the residual risk, and when this assessment is to be reviewed."),
    ),
)


@dataclass(frozen=True)
class DpiaFacts:
    partnership: str
    profile: str
    store: str
    held: tuple[tuple[str, int], ...]
    roles: tuple[tuple[str, int], ...]
    protection: tuple[tuple[str, str], ...]
    retention: tuple[str, ...]
    exchanges: tuple[str, ...]
    to_complete: tuple[tuple[str, str], ...] = TO_COMPLETE


INTRO = N_(
    "A draft data protection impact assessment (DPA 2018 s.64) for the processing this store does, "
    "generated from the store's own settings and counts. It names no one the data is about. The facts "
    "below are as the store stands on the day it was generated; the sections after them are for the "
    "data protection officer to complete."
)


def dpia_pdf(facts: DpiaFacts, meta: DocumentMeta) -> bytes:
    return build(dpia_story(facts), meta)


def dpia_story(facts: DpiaFacts) -> list[Flowable]:
    story: list[Flowable] = [
        para(
            _("Data protection impact assessment (draft) — {partnership}").format(
                partnership=facts.partnership
            ),
            "title",
        ),
        para(_(INTRO)),
        para(_("The processing"), "h2"),
        table(
            [
                [_("Controller's partnership"), facts.partnership],
                [_("Scheme rules"), facts.profile],
                [_("Store"), facts.store],
            ],
            widths=[50 * mm, 130 * mm],
            header=False,
        ),
        para(_("What is held"), "h2"),
        table(
            [[_("Kind of record"), _("How many")], *([label, f"{n:,}"] for label, n in facts.held)],
            widths=[150 * mm, 30 * mm],
        ),
        para(_("Who can reach it"), "h2"),
        table(
            [[_("Role"), _("Active users")], *([role, str(n)] for role, n in facts.roles)],
            widths=[150 * mm, 30 * mm],
        ),
        para(_("How it is protected"), "h2"),
        table([[_("Protection"), _("In this store")], *facts.protection], widths=[50 * mm, 130 * mm]),
        KeepTogether(
            [
                para(_("How long it is kept (the retention schedule)"), "h2"),
                *(para(f"• {line}") for line in facts.retention),
            ]
        ),
        KeepTogether(
            [
                para(_("Where it goes (transfer pack exchanges)"), "h2"),
                *(para(f"• {line}") for line in facts.exchanges),
            ]
        ),
    ]
    for heading, prompt in facts.to_complete:
        story.append(
            KeepTogether(
                [
                    para(_("To complete: {heading}").format(heading=_(heading)), "h2"),
                    para(_(prompt), "small"),
                    Spacer(1, 28 * mm),
                ]
            )
        )
    return story
