"""The error tree is one package of modules by concern (ADR 0155); ``ledger.domain.errors`` still
names every error, so a leaf added to a concern module but not re-exported is caught here."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

from ledger.domain import errors
from ledger.domain.errors.base import BRANCHES, LedgerError


def error_modules() -> list[ModuleType]:
    return [
        importlib.import_module(info.name)
        for info in pkgutil.iter_modules(errors.__path__, prefix=f"{errors.__name__}.")
    ]


def classes_in(module: ModuleType) -> dict[str, type[LedgerError]]:
    return {
        name: obj
        for name, obj in vars(module).items()
        if isinstance(obj, type) and issubclass(obj, LedgerError)
    }


@pytest.mark.parametrize("module", error_modules(), ids=lambda m: m.__name__.rpartition(".")[2])
def test_every_error_of_a_concern_module_is_named_by_the_package_when_imported_from_it(module):
    for name, cls in classes_in(module).items():
        assert getattr(errors, name, None) is cls, name
        assert name in errors.__all__, name


def test_every_concern_module_is_listed_in_the_concerns_the_package_walks():
    concerns = {m.__name__ for m in errors.CONCERNS}
    assert concerns == {m.__name__ for m in error_modules()} - {f"{errors.__name__}.base"}


def test_all_error_classes_lists_every_leaf_once_and_no_branch():
    leaves = errors.all_error_classes()
    everything = {cls for module in error_modules() for cls in classes_in(module).values()}

    assert len(leaves) == len(set(leaves))
    assert set(leaves) == everything - set(BRANCHES)


def test_every_error_code_is_unique_across_the_concern_modules():
    codes = [cls.code for cls in errors.all_error_classes()] + [cls.code for cls in BRANCHES]
    assert len(codes) == len(set(codes))


def test_a_leaf_is_public_under_the_package_name_when_made_in_a_concern_module():
    assert errors.PeriodClosed.__module__ == "ledger.domain.errors"
    assert f"{errors.PeriodClosed.__module__}.{errors.PeriodClosed.__qualname__}" == (
        "ledger.domain.errors.PeriodClosed"
    )
