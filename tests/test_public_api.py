"""What a platform importing the library relies on besides behaviour: the package says it is typed
(PEP 561: ``py.typed``, shipped in the wheel with the package folder), the names of ``__all__``
exist, and the entry points a platform calls return the documented types, not ``Any``."""

from __future__ import annotations

import tomllib
import typing
from pathlib import Path

import govdata_policy as gp

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_is_marked_typed_and_the_marker_is_in_the_wheel() -> None:
    assert (ROOT / "src" / "govdata_policy" / "py.typed").is_file()
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]
    # hatch ships every file under the package folders named here, py.typed among them
    assert "src/govdata_policy" in wheel["packages"]
    assert not {"only-include", "exclude"} & set(wheel)


def test_all_names_are_there() -> None:
    for name in gp.__all__:
        assert getattr(gp, name) is not None, name
    from govdata_policy.io import InputError
    from govdata_policy.monitor import Monitor
    from govdata_policy.profile import Profile
    from govdata_policy.result import Result

    assert (gp.Profile, gp.Result, gp.Monitor, gp.InputError) == (Profile, Result, Monitor, InputError)


def test_entry_points_are_annotated_with_their_types() -> None:
    from govdata_policy.monitor import Monitor
    from govdata_policy.profile import Profile
    from govdata_policy.result import Result

    names = {"Profile": Profile, "Result": Result, "Monitor": Monitor}  # imported for type checkers only

    def returns(function: typing.Any) -> typing.Any:
        return typing.get_type_hints(function, localns=names)["return"]

    assert returns(gp.load_jurisdiction) is Profile
    assert returns(Profile.evaluate) is Result
    assert returns(Profile.monitor) is Monitor
    assert returns(Monitor.push) == list[dict[str, typing.Any]]
