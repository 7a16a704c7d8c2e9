"""Exports of the graph (graph/export/kgx.py: Biolink KGX)."""
