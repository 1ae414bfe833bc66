"""Dashboards for regional heads (per agency) and for KemenPANRB (national)."""
