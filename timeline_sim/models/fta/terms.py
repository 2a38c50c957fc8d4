"""The terms of a concluded deal, in the sensitive issue's own unit."""

from __future__ import annotations

from typing import Any

from timeline_sim.models.fta.schema import Issue


def deal_terms(issue: Issue, share: float) -> dict[str, Any]:
    """Terms of a deal that concedes ``share`` of the way from opening to ask.

    The products liberalised are those covered, in the order the home side would
    concede them, by the share conceded (weighted by the partner's stake).
    """
    value = issue.home_opening + share * (issue.partner_ask - issue.home_opening)
    products: list[str] | None = None
    if issue.products:
        total = sum(p.weight for p in issue.products)
        products, covered = [], 0.0
        for product in issue.products:
            covered += product.weight / total
            if covered <= share + 1e-9:
                products.append(product.name)
    return {
        "issue": issue.name,
        "unit": issue.unit,
        "value": value,
        "products_liberalised": products,
    }


def terms_text(terms: dict[str, Any]) -> str:
    """The terms as one line of text."""
    text = f"{terms['issue']}: {terms['value']:,.4g} {terms['unit']}"
    if terms["products_liberalised"] is not None:
        text += "; liberalised: " + (", ".join(terms["products_liberalised"]) or "none")
    return text
