"""The fence around our changes to Rasa internals: each change is a `Patch` (one attribute of one
Rasa class), installed only on the Rasa version and the exact source it was written against, and
removable, leaving Rasa's own objects in place.

A fingerprint is a hash of the source (`inspect.getsource`) of the Rasa function a patch replaces,
so a function that changed is refused even when the version number did not; a patch that adds an
attribute Rasa does not have fingerprints the whole class it assumes.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

_ABSENT = object()


class PatchRefused(RuntimeError):
    """The running Rasa is not the one a patch was written against: nothing was installed."""


@dataclass(frozen=True)
class Patch:
    owner: type
    name: str
    replacement: Callable[..., Any]
    fingerprint: str  # of Rasa's own attribute (or of the class, when Rasa has none)
    static: bool = False  # installed as a staticmethod, as Rasa's is

    @property
    def where(self) -> str:
        return f"{self.owner.__module__}.{self.owner.__qualname__}.{self.name}"

    def rasas(self) -> Any:
        """Rasa's own attribute as the class holds it (a staticmethod object, say), or _ABSENT."""
        return self.owner.__dict__.get(self.name, _ABSENT)


def fingerprint(owner: type, name: str) -> str:
    """16 hex digits of the SHA-256 of the attribute's source, or of the class's without it."""
    found = owner.__dict__.get(name, _ABSENT)
    if found is _ABSENT:
        subject = owner
    else:
        subject = found.__func__ if isinstance(found, staticmethod | classmethod) else found
    return hashlib.sha256(inspect.getsource(subject).encode()).hexdigest()[:16]


def refusals(patches: Iterable[Patch], version: str, expected_version: str) -> list[str]:
    """Why each patch may not go in (empty: all may)."""
    if version != expected_version:
        return [f"Rasa {version} is installed; the patches were written against Rasa "
                f"{expected_version}"]
    return [f"{patch.where} is not the function the patch was written against (fingerprint "
            f"{found}, expected {patch.fingerprint})"
            for patch in patches
            if (found := fingerprint(patch.owner, patch.name)) != patch.fingerprint]


class Fence:
    """Installs a set of patches all together, and takes them out again."""

    def __init__(self) -> None:
        self._replaced: list[tuple[Patch, Any]] = []  # (patch, Rasa's attribute or _ABSENT)
        self._rasas_own: dict[tuple[type, str], Any] = {}  # as found at the first install

    @property
    def installed(self) -> bool:
        return bool(self._replaced)

    def install(self, patches: list[Patch], version: str, expected_version: str) -> None:
        if self._replaced:
            return
        problems = refusals(patches, version, expected_version)
        if problems:
            raise PatchRefused(
                "Rasa's internals were not patched: " + "; ".join(problems) + ". Run with "
                "RASA_PATCHES=off, or bring the patch and its fingerprint up to date "
                "(docs/patches.md, `python -m rasa_extensions.patches`).")
        for patch in patches:
            self._replaced.append((patch, patch.rasas()))
            self._rasas_own.setdefault((patch.owner, patch.name), patch.rasas())
            value = staticmethod(patch.replacement) if patch.static else patch.replacement
            setattr(patch.owner, patch.name, value)

    def not_rasas_own(self) -> list[str]:
        """The attributes, once patched, that do not hold Rasa's own object now."""
        return [f"{owner.__module__}.{owner.__qualname__}.{name}"
                for (owner, name), rasas in self._rasas_own.items()
                if owner.__dict__.get(name, _ABSENT) is not rasas]

    def uninstall(self) -> None:
        while self._replaced:
            patch, rasas = self._replaced.pop()
            if rasas is _ABSENT:
                delattr(patch.owner, patch.name)
            else:
                setattr(patch.owner, patch.name, rasas)
