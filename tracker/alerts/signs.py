"""Rules about single cramps: each looks at one episode and says whether, and how urgently,
the guidance wants a doctor to hear about it. All the episodes one rule flags make one alert.

The per-episode checks (`warning_signs`, `too_long`, `on_a_statin`, `after_fluid_loss`) are
pure and are also what the physician report uses to list what needs attention.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..models import (
    LEVEL_ORDER,
    WARNING_SIGNS,
    AlertLevel,
    AlertRule,
    Episode,
    FluidLoss,
    MedicationKind,
    ReliefHelped,
    Side,
    Symptom,
)
from .situation import (
    MAYO,
    MAYO_STATIN,
    MSD,
    NHS_CRAMPS,
    NHS_DVT,
    Finding,
    Situation,
    Source,
)

EMERGENCY_IF_CHEST = (
    "If you also have chest pain, trouble breathing or are coughing up blood, call your local "
    "emergency number now."
)
EMERGENCY_AFTER_FALL = (
    "If you cannot put weight on the leg after a fall, call your local emergency number now."
)
SHOWN = 5  # episodes spelled out in a reason; the alert lists every one


@dataclass
class Flag:
    """Why one episode is worth a doctor's attention, and how soon."""

    level: str
    noted: str  # what the person noted, in their words: "swelling and redness or warmth"
    guidance: str  # what the source says, one sentence
    sources: list[Source] = field(default_factory=list)
    emergency: str = ""


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _labels(episode: Episode, wanted) -> list[str]:
    return [Symptom(s).label.lower() for s in wanted if s in episode.symptoms]


def warning_signs(episode: Episode, s: Situation) -> Flag | None:
    """Warning signs noted with a cramp.

    Swelling with redness, warmth or darkened skin in one leg, or a change of skin colour:
    urgent (NHS, "Deep vein thrombosis"; with chest pain, breathlessness or coughing up blood,
    the emergency number). Weakness or loss of feeling: urgent (MSD Manual: "see a doctor
    right away"). Not able to put weight on the leg: urgent; after a fall, the emergency
    number. Dark urine: urgent (Mayo Clinic, statin side effects: dark urine with muscle pain
    needs care right away). Swelling alone, or redness alone: soon (NHS, "Leg cramps": see a
    GP; Mayo Clinic, "Muscle cramp"). Swelling in one leg while pregnant or soon after giving
    birth: urgent, as the NHS DVT page names pregnancy among the times it is more likely.
    """
    signs = set(episode.symptoms)
    noted = _labels(episode, [*WARNING_SIGNS, Symptom.AFTER_FALL_OR_INJURY])
    if not signs & set(WARNING_SIGNS):
        return None
    swelling, colour = Symptom.SWELLING in signs, Symptom.SKIN_COLOR_CHANGE in signs
    redness = Symptom.REDNESS_WARMTH in signs
    one_leg = episode.side != Side.BOTH
    if (swelling and redness) or colour:
        return Flag(
            AlertLevel.URGENT,
            _and(noted),
            "The NHS advises an urgent appointment for cramping pain in a leg with swelling, "
            "warm, red or darkened skin.",
            [NHS_DVT],
            EMERGENCY_IF_CHEST,
        )
    if swelling and one_leg and s.pregnant_or_recent_birth:
        return Flag(
            AlertLevel.URGENT,
            f"{_and(noted)} in one leg, while pregnant or soon after giving birth",
            "The NHS advises an urgent appointment for a swollen, painful leg, and names "
            "pregnancy and the weeks after birth among the times to take it seriously.",
            [NHS_DVT],
            EMERGENCY_IF_CHEST,
        )
    if signs & {Symptom.WEAKNESS, Symptom.NUMBNESS_TINGLING}:
        return Flag(
            AlertLevel.URGENT,
            _and(noted),
            "The MSD Manual advises seeing a doctor right away for cramps with weakness or "
            "loss of feeling.",
            [MSD],
        )
    if Symptom.CANNOT_WALK in signs:
        fall = Symptom.AFTER_FALL_OR_INJURY in signs
        return Flag(
            AlertLevel.URGENT,
            _and(noted),
            "The MSD Manual advises seeing a doctor right away when a cramp comes with weakness "
            "or loss of use of the leg.",
            [MSD],
            EMERGENCY_AFTER_FALL if fall else "",
        )
    if Symptom.DARK_URINE in signs:
        return Flag(
            AlertLevel.URGENT,
            _and(noted),
            "Mayo Clinic advises care right away for muscle pain with dark (cola-coloured) urine.",
            [MAYO_STATIN],
        )
    if swelling:
        return Flag(
            AlertLevel.SOON,
            _and(noted),
            "The NHS advises seeing a GP when cramps come with swelling in the legs.",
            [NHS_CRAMPS],
        )
    return Flag(
        AlertLevel.SOON,
        _and(noted),
        "Mayo Clinic advises seeing a doctor when cramps come with redness or skin changes.",
        [MAYO],
    )


def too_long(episode: Episode, s: Situation) -> Flag | None:
    """A cramp longer than 10 minutes: urgent, or soon when it eased.

    NHS, "Leg cramps": a cramp usually lasts from a few seconds to 10 minutes; ask for an
    urgent appointment when one lasts longer (older versions: and does not ease). The 10 is
    the source's; a person may only set it lower.
    """
    limit = s.limits["prolonged_minutes"]
    if episode.duration_seconds <= limit * 60:
        return None
    eased = episode.relief_helped in (ReliefHelped.YES, ReliefHelped.PARTLY)
    return Flag(
        AlertLevel.SOON if eased else AlertLevel.URGENT,
        f"a cramp that lasted {episode.duration_display}" + (" and eased" if eased else ""),
        "The NHS says a cramp usually lasts up to 10 minutes and advises an urgent appointment "
        "when one lasts longer."
        + (
            " Its older advice adds 'and does not ease', so one that eased is marked within days."
            if eased
            else ""
        )
        + (f" This app flags from {limit} minutes, as set on your profile." if limit != 10 else ""),
        [NHS_CRAMPS],
    )


def on_a_statin(episode: Episode, s: Situation) -> Flag | None:
    """A cramp while taking a statin.

    Weakness or dark urine: urgent (Mayo Clinic, statin side effects: muscle pain with
    weakness, or dark urine, needs care right away). Severe pain alone: soon; what counts as
    severe (8/10 by default) is an app setting, and the words say so.
    """
    statins = s.taking(MedicationKind.STATIN, episode)
    if not statins:
        return None
    signs = _labels(episode, [Symptom.WEAKNESS, Symptom.DARK_URINE])
    name = statins[0].name
    if signs:
        return Flag(
            AlertLevel.URGENT,
            f"{_and(signs)} while taking {name}, a statin",
            "Mayo Clinic advises care right away for muscle pain with weakness, or dark urine, "
            "on a statin.",
            [MAYO_STATIN],
        )
    severe = s.limits["statin_intensity"]
    if episode.intensity >= severe:
        return Flag(
            AlertLevel.SOON,
            f"pain {episode.intensity}/10 while taking {name}, a statin",
            "Mayo Clinic advises seeing a doctor about severe muscle pain on a statin. What "
            f"counts as severe here (pain {severe}/10 or more) is an app setting.",
            [MAYO_STATIN],
        )
    return None


def after_fluid_loss(episode: Episode, s: Situation) -> Flag | None:
    """A cramp after vomiting, diarrhoea or heavy sweating, or while taking a diuretic: soon.

    MSD Manual, "Muscle Cramps": cramps that began after losing a lot of fluid, or while
    taking diuretics, are a reason to see a doctor (it says right away; the app says within a
    few days unless another sign says sooner). A diuretic counts whenever it was started.
    """
    kinds = [kind.label.lower() for kind in FluidLoss if kind in episode.fluid_loss]
    if episode.recent_fluid_loss and not kinds:
        kinds = ["heavy sweating, vomiting or diarrhoea"]
    diuretics = s.taking(MedicationKind.DIURETIC, episode)
    if not kinds and not diuretics:
        return None
    noted = [f"a cramp after {_and(kinds)}"] if kinds else []
    noted += [f"a cramp while taking {diuretics[0].name}, a diuretic"] if diuretics else []
    return Flag(
        AlertLevel.SOON,
        " and ".join(noted),
        "The MSD Manual advises seeing a doctor about cramps that began after losing a lot of "
        "fluid or while taking a diuretic.",
        [MSD],
    )


EPISODE_CHECKS = {
    AlertRule.RED_FLAG: warning_signs,
    AlertRule.PROLONGED: too_long,
    AlertRule.MEDICATION: on_a_statin,
    AlertRule.FLUID_LOSS: after_fluid_loss,
}
HEADLINES = {
    AlertRule.RED_FLAG: "came with warning signs",
    AlertRule.PROLONGED: "lasted longer than {limit} minutes",
    AlertRule.MEDICATION: "came while taking a statin",
    AlertRule.FLUID_LOSS: "came after fluid loss or on a diuretic",
}


def flags_of(episode: Episode, s: Situation) -> dict[str, Flag]:
    """Every single-cramp rule this episode meets, by rule: the report lists these."""
    found = {rule: check(episode, s) for rule, check in EPISODE_CHECKS.items()}
    return {rule: flag for rule, flag in found.items() if flag is not None}


def flagged_alone(episode: Episode, s: Situation) -> bool:
    """Whether a rule flags the episode with no medicine needed to tell: what the write
    checks, over the new episode alone, before deciding to run the rules at once."""
    checks = (warning_signs, too_long, after_fluid_loss)
    return any(check(episode, s) is not None for check in checks)


def could_be_statin_sign(episode: Episode, s: Situation) -> bool:
    """Whether the statin rule could flag the episode if the person takes a statin: the
    write then reads their medicines, so severe pain on a statin is alerted and mailed in
    the save, as weakness and dark urine (warning signs of their own) already are."""
    signs = {Symptom.WEAKNESS, Symptom.DARK_URINE}
    return bool(signs & set(episode.symptoms)) or episode.intensity >= s.limits["statin_intensity"]


def most_serious(levels) -> str:
    return min(levels, key=LEVEL_ORDER.__getitem__)


def gather(rule: str, flagged: list[tuple[Episode, Flag]], s: Situation) -> Finding | None:
    """One finding for all the episodes a rule flagged, at the most serious of their levels."""
    if not flagged:
        return None
    level = most_serious(flag.level for _, flag in flagged)
    count = len(flagged)
    what = HEADLINES[rule].format(limit=s.limits["prolonged_minutes"])
    message = f"{'A cramp' if count == 1 else f'{count} cramps'} {what}."
    lines = [f"On {s.when(e)} you noted {flag.noted}." for e, flag in flagged[:SHOWN]]
    if count > SHOWN:
        lines.append(f"And {count - SHOWN} more.")
    said = []
    for _, flag in sorted(flagged, key=lambda pair: LEVEL_ORDER[pair[1].level]):
        for sentence in (flag.guidance, flag.emergency):
            if sentence and sentence not in said:
                said.append(sentence)
    sources = list(dict.fromkeys(src for _, flag in flagged for src in flag.sources))
    return Finding(rule, level, message, " ".join(lines + said), [e for e, _ in flagged], sources)


def single_cramp_rules(s: Situation) -> Iterator[Finding]:
    """Three single-cramp rules over the look-back window, one finding per rule; the statin
    check is joined with the new-medicine pattern in patterns.medication."""
    window = s.in_last_days(s.limits["lookback_days"], s.flagged)
    for rule, check in EPISODE_CHECKS.items():
        if rule == AlertRule.MEDICATION:
            continue
        flagged = [(e, flag) for e in window if (flag := check(e, s)) is not None]
        if (finding := gather(rule, flagged, s)) is not None:
            yield finding
