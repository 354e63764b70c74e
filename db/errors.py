"""Vault errors: each names the problem in words a coordinator can act on."""

from __future__ import annotations

from collections.abc import Callable


def N_(text: str) -> str:  # noqa: N802 - gettext's name: marks a message for the app's catalogue
    return text


# How a message is said: the app's own translation, installed by ppo_desktop.i18n (the vault imports
# nothing above it). Until then, and in English, a message is itself.
say: Callable[[str], str] = N_


class VaultError(Exception):
    """Base for every failure to create, open or change a store. ``str()`` is the user message, in
    the user's language at the moment it is read: the message is kept as its template (marked N_) with
    its values, and said when shown."""

    def __init__(self, message: str = "", /, **values: object) -> None:
        super().__init__(message.format(**values) if values else message)  # args: the English, filled
        self.message, self.values = message, values

    def __str__(self) -> str:
        said = say(self.message)
        return said.format(**self.values) if self.values else said


class WrongPassphrase(VaultError):
    pass


class KeyFileMissing(VaultError):
    pass


class KeyFileDamaged(VaultError):
    pass


class StoreMissing(VaultError):
    pass


class StoreDamaged(VaultError):
    pass


class StoreLocked(VaultError):
    pass


class FolderNotWritable(VaultError):
    pass


class StoreExists(VaultError):
    pass


class DeviceSecretUnavailable(VaultError):
    """The slot needs this computer's keyring secret and it is not there (use the recovery key)."""


class SlotError(VaultError):
    pass


class StoreFull(VaultError):
    """The disk (or the store's size limit) is full: the change was rolled back."""


class StoreReadOnly(VaultError):
    """The store is open read-only (its folder or file cannot be written): nothing can be recorded."""


class StoreIOError(VaultError):
    """The disk failed while writing: the change was rolled back."""
