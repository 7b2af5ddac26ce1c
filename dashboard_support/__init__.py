"""Streamlit-only helpers for the dashboard: caching, URL state, safe text."""
