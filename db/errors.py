"""Vault errors: each names the problem in words a coordinator can act on."""

from __future__ import annotations


class VaultError(Exception):
    """Base for every failure to create, open or change a store. ``str()`` is the user message."""


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
