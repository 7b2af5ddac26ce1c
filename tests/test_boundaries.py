"""Layering rules that keep the library usable without the UI."""

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_library_never_imports_streamlit():
    code = (
        "import sys, pkgutil, importlib, analysis\n"
        "for module in pkgutil.iter_modules(analysis.__path__):\n"
        "    importlib.import_module('analysis.' + module.name)\n"
        "assert 'streamlit' not in sys.modules, 'analysis imported streamlit'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PROJECT_ROOT)


def test_no_library_module_mentions_streamlit():
    offenders = [path.name for path in (PROJECT_ROOT / "analysis").glob("*.py")
                 if "import streamlit" in path.read_text(encoding="utf-8")]
    assert offenders == []


def test_pages_do_not_query_sqlite_directly():
    """Pages call analysis/ through dashboard_support; they hold no SQL."""
    for path in (PROJECT_ROOT / "app_pages").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "sqlite3" not in text and "SELECT " not in text, path.name
