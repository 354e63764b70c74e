"""Settings: the store, its users and key slots, and how it is protected."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from ppo_desktop.domain import User
from ui.context import AppContext
from ui.table_model import Column
from ui.widgets import read_only_table, title_label

USER_COLUMNS: list[Column[User]] = [
    Column("User", lambda u: u.id),
    Column("Name", lambda u: u.display_name),
    Column("Role", lambda u: u.role.value),
    Column("Active", lambda u: "yes" if u.active else "no"),
]


class SettingsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        vault = ctx.ws.vault
        form = QFormLayout()
        protection = (
            "Passphrase + this computer's keyring"
            if vault.device_bound
            else f"Passphrase only. {ctx.keyring_note}".strip()
        )
        for label, value in (
            ("Partnership", ctx.partnership),
            ("Store file", str(vault.paths.store)),
            ("Key file", str(vault.paths.keyfile)),
            ("Encryption", "SQLCipher 4 (AES-256, HMAC-SHA512 per page), random 256-bit data key"),
            ("Protection", protection),
            ("Schema version", str(vault.schema_version())),
            ("Signed in as", f"{ctx.ws.user.display_name} ({ctx.ws.user.role.value})"),
        ):
            text = QLabel(value)
            text.setWordWrap(True)
            form.addRow(f"{label}:", text)
        self.users_view, self.users = read_only_table(USER_COLUMNS, "Users", self)
        self.users.set_rows(ctx.users.all())
        layout = QVBoxLayout(self)
        layout.addWidget(title_label("Settings"))
        layout.addLayout(form)
        layout.addWidget(title_label("Users", "sectionTitle"))
        layout.addWidget(self.users_view, 1)
