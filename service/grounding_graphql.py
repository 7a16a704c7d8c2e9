"""The GraphQL face of what an answer's writer checked (`Answer.grounding`)."""

from __future__ import annotations

import graphene

from mdskg.records import GroundingSummary


class GroundingCheck(graphene.ObjectType):
    class Meta:
        description = ("What the answer writer's check verified. With method `sentence`, each AI-written sentence "
                       "was compared with the facts it cites; sentences that failed were replaced by the sources' "
                       "own wording or left out. With method `template`, the text is the sources' own wording.")

    method = graphene.String(required=True, description="`sentence` (AI-written, checked per sentence) or `template`.")
    checked = graphene.Int(required=True, description="AI-written sentences checked.")
    kept = graphene.Int(required=True, description="Checked sentences that passed and are shown.")
    replaced = graphene.Int(required=True,
                            description="Sentences that failed and were replaced by the sources' wording.")
    dropped = graphene.Int(required=True, description="Sentences that failed and were left out.")
    filled = graphene.Int(required=True,
                          description="Sentences in the sources' wording that completed an unfinished reply.")
    rules = graphene.List(graphene.NonNull(graphene.String), required=True,
                          description="The rules each sentence was checked by (e.g. concept, population, strength).")
    failed_rules = graphene.List(graphene.NonNull(graphene.String), required=True,
                                 description="The rules some sentence failed.")
    badge = graphene.String(required=True, description="One line saying exactly what was checked, for display.")
    note = graphene.String(description="The plain-words note the answer carries when part of it is the fallback's.")
    complete = graphene.Boolean(
        required=True, description="False when the AI reply was unfinished and the sources' wording completed it.")
    fallback_reason = graphene.String(description="Why the fallback wrote some or all of the answer (e.g. timeout).")


def grounding_to_graphql(summary: GroundingSummary | None) -> GroundingCheck | None:
    if summary is None:
        return None
    return GroundingCheck(method=summary.method, checked=summary.checked, kept=summary.kept,
                          replaced=summary.replaced, dropped=summary.dropped, filled=summary.filled,
                          rules=list(summary.rules), failed_rules=list(summary.failed_rules), badge=summary.badge,
                          note=summary.note, complete=summary.complete, fallback_reason=summary.fallback_reason)
