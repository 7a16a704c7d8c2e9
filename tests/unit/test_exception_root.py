"""Every exception class the project defines derives from the one root, `mdskg.errors.MdskgError`
(keeping the standard base it had, so `except ValueError` and the like still catch it)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from mdskg.errors import MdskgError
from mdskg.settings import PROJECT_ROOT

PACKAGES = ("mdskg", "mdskg_cli", "ontology", "graph", "etl", "service")


def _our_exception_classes():
    for package in PACKAGES:
        for info in pkgutil.walk_packages([str(PROJECT_ROOT / package)], prefix=f"{package}."):
            if info.name.endswith("__main__"):
                continue  # running it is what importing it does
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and issubclass(cls, BaseException):
                    yield cls


def test_every_exception_class_has_the_one_root():
    classes = list(_our_exception_classes())
    assert len(classes) >= 9
    assert [c.__qualname__ for c in classes if not issubclass(c, MdskgError)] == []


def test_the_standard_bases_are_kept():
    from graph.db import GraphUnavailable
    from mdskg.settings import SettingsError
    from service.patient.record import PatientValueError

    assert issubclass(GraphUnavailable, RuntimeError)
    assert issubclass(SettingsError, ValueError) and issubclass(PatientValueError, ValueError)
