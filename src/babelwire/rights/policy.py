"""The republishing mode of an article: from the rights its page declares, or the operator's.

Each signal the page gives proposes a mode, with its reason; the strictest proposal wins and
its reasons are the mode's reason:

==============================================  ==========
signal                                          mode
==============================================  ==========
CC BY, CC BY-SA, CC0, public domain              full (SA: the translation keeps the licence)
CC ...-NC on a site not declared non-commercial  excerpt (full where ``non_commercial_site``)
CC ...-ND                                        headline (a translation is a derivative)
no licence, or one babelwire does not know       excerpt (all rights reserved)
unreadable or conflicting licence markup         excerpt at least, and the stricter licence
paywalled (``isAccessibleForFree: false``)       excerpt
robots ``noarchive``; ``max-snippet:N``          excerpt (of at most N characters)
robots ``noindex``, ``nosnippet``, ``max-snippet:0``  headline
==============================================  ==========

A mode the operator declared for the source (``sources add --republish``) replaces all of it,
with the reason the operator gave; ``none`` is only ever declared.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from babelwire.models import Access, Mode, Policy, Rights
from babelwire.rights.licences import Licence, parse_licence

NONCOMMERCIAL_SETTING = "non_commercial_site"
DECLARED = "declared by the operator"


@dataclass(frozen=True)
class Proposal:
    """One signal's mode and why."""

    mode: Mode
    reason: str


def parse_mode(value: str) -> Mode | None:
    """A declared mode from its name (``""`` or ``auto``: none declared, the rights decide)."""
    name = value.strip().lower()
    if name in ("", "auto"):
        return None
    try:
        return Mode(name)
    except ValueError:
        raise ValueError(f"unknown republishing mode {value!r} (expected "
                         f"{', '.join(m.value for m in Mode)} or auto)") from None


def decide(rights: Rights, *, declared: str = "", declared_reason: str = "",
           non_commercial: bool = False) -> Policy:
    """The policy of an article whose page has ``rights``, in a source whose operator declared
    the mode ``declared`` (if any) because of ``declared_reason``. ``non_commercial`` is the
    operator's statement that the site is non-commercial (``non_commercial_site``)."""
    licence = parse_licence(rights.license) if rights.license else None
    mode = parse_mode(declared)
    if mode is not None:
        why = f"{DECLARED}: {declared_reason}" if declared_reason else DECLARED
        return _policy(mode, why, licence, rights, declared=True)
    proposals = [_licence_proposal(rights, licence, non_commercial), *_access_proposals(rights),
                 *_robots_proposals(rights.robots)]
    strictest = max(p.mode.strictness for p in proposals)
    chosen = [p for p in proposals if p.mode.strictness == strictest]
    reason = "; ".join(dict.fromkeys(p.reason for p in chosen))
    problems = [p for p in rights.problems if p not in reason]
    if problems:
        reason += " (" + "; ".join(problems) + ")"
    return _policy(chosen[0].mode, reason, licence, rights)


def _policy(mode: Mode, reason: str, licence: Licence | None, rights: Rights, *,
            declared: bool = False) -> Policy:
    return Policy(mode=mode, reason=reason, license=licence.url if licence else None,
                  license_name=licence.name if licence else "",
                  share_alike=bool(licence and licence.share_alike),
                  max_chars=snippet_limit(rights.robots) if mode == Mode.EXCERPT else None,
                  declared=declared)


def _licence_proposal(rights: Rights, licence: Licence | None,
                      non_commercial: bool) -> Proposal:
    if licence is None:
        if rights.license:
            return Proposal(Mode.EXCERPT, f"the licence {rights.license} is not one known to "
                                          "allow translation: all rights reserved")
        first = rights.problems[0] if rights.problems else ""
        return Proposal(Mode.EXCERPT, first or "no licence found: all rights reserved")
    if not licence.derivatives:
        return Proposal(Mode.HEADLINE, f"{licence.name} forbids derivatives, and a "
                                       "translation is one")
    if not licence.commercial and not non_commercial:
        return Proposal(Mode.EXCERPT, f"{licence.name} forbids commercial use and this site is "
                                      f"not declared non-commercial ({NONCOMMERCIAL_SETTING})")
    if not licence.commercial:
        return Proposal(Mode.FULL, f"{licence.name} allows non-commercial translation, and "
                                   "this site is declared non-commercial")
    if licence.share_alike:
        return Proposal(Mode.FULL, f"{licence.name} allows translation with attribution; the "
                                   "translation is shared under the same licence")
    if not licence.attribution:
        return Proposal(Mode.FULL, f"{licence.name}: no rights reserved")
    return Proposal(Mode.FULL, f"{licence.name} allows translation with attribution")


def _access_proposals(rights: Rights) -> list[Proposal]:
    if rights.access == Access.PAYWALLED:
        return [Proposal(Mode.EXCERPT, "the page is behind a paywall")]
    return []


def _robots_proposals(robots: Sequence[str]) -> Iterable[Proposal]:
    for directive in robots:
        if directive in ("noindex", "nosnippet") or directive == "max-snippet:0":
            yield Proposal(Mode.HEADLINE, f"robots: {directive}")
        elif directive == "noarchive" or directive.startswith("max-snippet:"):
            yield Proposal(Mode.EXCERPT, f"robots: {directive}")


def snippet_limit(robots: Sequence[str]) -> int | None:
    """The smallest ``max-snippet`` the robots directives allow (None: no limit)."""
    limits = [int(d.split(":", 1)[1]) for d in robots
              if d.startswith("max-snippet:") and d.split(":", 1)[1].isdigit()]
    return min(limits) if limits else None


PER_PAGE = "per page"


def source_mode(declared: str, declared_reason: str, pages: Sequence[tuple[Rights, int]], *,
                non_commercial: bool = False) -> tuple[str, str]:
    """A source's effective mode and why: the declared one, else what its pages' rights give
    (``pages``: each set of rights with how many of the source's articles have it) — one mode
    when they agree, ``per page`` with the count of each otherwise."""
    if parse_mode(declared) is not None:
        policy = decide(Rights(), declared=declared, declared_reason=declared_reason)
        return str(policy.mode), policy.reason
    if not pages:
        return PER_PAGE, "each page's rights decide (no page read yet)"
    counts: dict[tuple[Mode, str], int] = {}
    for rights, count in pages:
        policy = decide(rights, non_commercial=non_commercial)
        counts[(policy.mode, policy.reason)] = counts.get((policy.mode, policy.reason), 0) + count
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0].strictness))
    modes = {mode for mode, _ in counts}
    parts = [f"{count} {mode}: {reason}" if len(modes) > 1 else f"{count}: {reason}"
             for (mode, reason), count in ranked]
    if len(modes) == 1:
        only = next(iter(modes))
        return str(only), ranked[0][0][1] if len(ranked) == 1 else "; ".join(parts)
    return PER_PAGE, "; ".join(parts)
