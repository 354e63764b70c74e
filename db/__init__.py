"""The vault: how PPO Panel keeps its data (SQLCipher store, key slots, migrations, lock)."""

from db.errors import VaultError
from db.vault import Vault, VaultPaths

__all__ = ["Vault", "VaultError", "VaultPaths"]
