"""Settings: the store, its users and key slots, and how it is protected."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ppo_desktop import i18n
from ppo_desktop.domain import ROLE_WORDS, User
from ppo_desktop.i18n import N_, _
from ppo_desktop.rules import profiles
from ppo_desktop.services import Changes
from ppo_desktop.services.documents import DISCLOSED
from ppo_desktop.services.settings import DOCUMENT_LANGUAGES
from ppo_desktop.services.workspace import Stopped
from ui.context import AppContext, attempt
from ui.progress import Hook
from ui.table_model import Column
from ui.widgets import read_only_table, title_label

# A backup's stages, as the backup says them (db/ speaks no language of its own): shown translated.
BACKUP_STAGES = (N_("Checking the store"), N_("Copying the store"), N_("Writing the backup"),
                 N_("Verifying the backup"))  # fmt: skip


def user_columns() -> list[Column[User]]:
    """The users table's columns, in the reader's language (made when the screen is)."""
    return [
        Column(_("User"), lambda u: u.id),
        Column(_("Name"), lambda u: u.display_name),
        Column(_("Role"), lambda u: _(ROLE_WORDS[u.role])),
        Column(_("Active"), lambda u: _("yes") if u.active else _("no")),
    ]


class SettingsScreen(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        store = ctx.session.store()
        form = QFormLayout()
        protection = (
            _("Passphrase + this computer's keyring")
            if store.device_bound
            else " ".join((_("Passphrase only."), ctx.keyring_note)).strip()
        )
        for label, value in (
            (_("Partnership:"), ctx.partnership),
            (_("Store file:"), store.store_path),
            (_("Key file:"), store.key_path),
            (_("Encryption:"), _("SQLCipher 4 (AES-256, HMAC-SHA512 per page), random 256-bit data key")),
            (_("Protection:"), protection),
            (_("Schema version:"), str(store.schema_version)),
            (_("Signed in as:"), f"{ctx.session.user.display_name} ({_(ROLE_WORDS[ctx.session.user.role])})"),
        ):
            text = QLabel(value)
            text.setWordWrap(True)
            form.addRow(label, text)
        self.profile = QComboBox()
        self.profile.setAccessibleName(_("Scheme profile"))
        for p in profiles.shipped().values():
            self.profile.addItem(p.name, p.id)
        self.profile.setCurrentIndex(self.profile.findData(ctx.session.profile().id))
        self.profile.currentIndexChanged.connect(self._profile_chosen)
        self.retention = QLabel()
        self.retention.setWordWrap(True)
        self.retention.setAccessibleName(_("Retention schedule"))
        self.profile_details = QLabel()
        self.profile_details.setWordWrap(True)
        self.profile_details.setObjectName("hint")
        self.profile_error = QLabel()
        self.profile_error.setObjectName("error")
        self._show_profile()
        self.users_view, self.users = read_only_table(user_columns(), _("Users"), self)
        self.users.set_rows(ctx.services.users.all())
        # In a scroll area: the whole page must be reachable on a 1366×768 screen.
        inner = QWidget()
        layout = QVBoxLayout(inner)
        scroll = QScrollArea()
        scroll.setAccessibleName(_("Settings"))
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout.addWidget(title_label(_("Settings")))
        layout.addLayout(form)
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language / Iaith"))
        for code, name in i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(ctx.session.language())))
        self.language.currentIndexChanged.connect(self._language_chosen)
        caption = QLabel(_("Language / &Iaith (yours; from your next unlock):"))
        caption.setBuddy(self.language)
        language_row = QHBoxLayout()
        language_row.addWidget(caption)
        language_row.addWidget(self.language)
        language_row.addStretch(1)
        layout.addLayout(language_row)
        layout.addWidget(title_label(_("Scheme profile"), "sectionTitle"))
        caption = QLabel(_("The partnership's &rules:"))
        caption.setBuddy(self.profile)
        row = QHBoxLayout()
        row.addWidget(caption)
        row.addWidget(self.profile, 1)
        layout.addLayout(row)
        layout.addWidget(self.profile_details)
        layout.addWidget(self.profile_error)
        layout.addWidget(title_label(_("Retention schedule"), "sectionTitle"))
        layout.addWidget(self.retention)
        lock_row = QHBoxLayout()
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setRange(1, 15)
        self.lock_minutes.setSuffix(_(" min"))
        self.lock_minutes.setValue(ctx.session.lock_minutes())
        self.lock_minutes.setAccessibleName(_("Lock after idle minutes"))
        self.lock_minutes.valueChanged.connect(
            lambda n: self._apply(lambda: self.ctx.services.settings.set_lock_minutes(n))
        )
        caption = QLabel(_("&Lock after this long idle (takes effect at the next unlock):"))
        caption.setBuddy(self.lock_minutes)
        lock_row.addWidget(caption)
        lock_row.addWidget(self.lock_minutes)
        lock_row.addStretch(1)
        layout.addLayout(lock_row)
        layout.addWidget(title_label(_("Backups"), "sectionTitle"))
        backup_row = QHBoxLayout()
        self.backup_button = QPushButton(_("&Back up now…"))
        self.backup_button.clicked.connect(self.back_up)
        self.stop_backup = QPushButton(_("S&top the backup"))  # shown while one runs
        self.stop_backup.clicked.connect(self._stop_backup)
        self.stop_backup.hide()
        self._backing_up: Hook | None = None
        self.backup_result = QLabel(
            _("An encrypted copy of the store and its key file, checked by restoring it.")
        )
        self.backup_result.setWordWrap(True)
        self.backup_days = QSpinBox()
        self.backup_days.setRange(0, 90)
        self.backup_days.setSpecialValueText(_("only when asked"))
        self.backup_days.setPrefix(_("every "))
        self.backup_days.setSuffix(_(" days"))
        self.backup_days.setValue(ctx.session.backup_days())
        self.backup_days.setAccessibleName(_("Back up automatically"))
        self.backup_days.valueChanged.connect(
            lambda n: self._apply(lambda: self.ctx.services.settings.set_backup_days(n))
        )
        again = QLabel(_("Then a&gain, to the same folder:"))
        again.setBuddy(self.backup_days)
        backup_row.addWidget(self.backup_button)
        backup_row.addWidget(self.stop_backup)
        backup_row.addWidget(again)
        backup_row.addWidget(self.backup_days)
        backup_row.addWidget(self.backup_result, 1)
        layout.addLayout(backup_row)
        self.choose_folder: Callable[[], Path | None] = self._choose_folder
        layout.addWidget(title_label(_("Printed documents"), "sectionTitle"))
        self.marking = QLineEdit(ctx.session.setting("marking"))
        self.marking.setAccessibleName(_("Protective marking"))
        self.marking.editingFinished.connect(self._marking_changed)
        self.page_size = QComboBox()
        self.page_size.addItems(["A4", "Letter"])
        self.page_size.setCurrentText(ctx.session.setting("page_size"))
        self.page_size.setAccessibleName(_("Paper size"))
        self.page_size.currentTextChanged.connect(self._page_size_changed)
        self.documents_language = QComboBox()
        for key, words in DOCUMENT_LANGUAGES.items():
            self.documents_language.addItem(_(words), key)
        self.documents_language.setCurrentIndex(
            self.documents_language.findData(ctx.session.setting("documents_language"))
        )
        self.documents_language.setAccessibleName(_("Language of printed documents"))
        self.documents_language.currentIndexChanged.connect(self._documents_language_changed)
        docs = QHBoxLayout()
        for label, widget in ((_("Protective &marking:"), self.marking), (_("&Paper:"), self.page_size),
                              (_("Printed in (lang&uage):"), self.documents_language)):  # fmt: skip
            caption = QLabel(label)
            caption.setBuddy(widget)
            docs.addWidget(caption)
            docs.addWidget(widget)
        docs.addStretch(1)
        layout.addLayout(docs)
        layout.addWidget(title_label(_("What the projector may show the room"), "sectionTitle"))
        self.policy_boxes: dict[str, QCheckBox] = {}
        policy_grid = QGridLayout()
        for i, field in enumerate(ctx.session.projector_policy().fields):
            box = QCheckBox(_(field.label))  # the policy file's words (its labels are in the catalogue)
            box.setChecked(field.show)
            box.toggled.connect(self._policy_changed)
            self.policy_boxes[field.key] = box
            policy_grid.addWidget(box, i, 0)  # one column: whole labels on a 1280 px screen
        layout.addLayout(policy_grid)
        layout.addWidget(title_label(_("Transfer packs"), "sectionTitle"))
        from ui.imports.transfer_dialogs import TransferActions, key_row

        self.transfer_actions = TransferActions(ctx, self, lambda _text: None)
        layout.addLayout(key_row(self.transfer_actions))
        layout.addWidget(title_label(_("Users"), "sectionTitle"))
        layout.addWidget(self.users_view, 1)

    def _profile_chosen(self, _index: int) -> None:
        chosen = self.profile.currentData()
        settings = self.ctx.services.settings
        if self.ctx.perform(lambda: settings.set_profile(chosen), self.profile_error) is None:
            self.profile.blockSignals(True)  # refused: the profile in force is shown again
            self.profile.setCurrentIndex(self.profile.findData(self.ctx.session.profile().id))
            self.profile.blockSignals(False)
            return
        self._show_profile()

    def _choose_folder(self) -> Path | None:
        chosen = QFileDialog.getExistingDirectory(self, _("Folder for the encrypted backup"))
        return Path(chosen) if chosen else None

    def back_up(self) -> None:
        folder = self.choose_folder()
        if folder is None:
            return
        backups, hook = self.ctx.services.backups, Hook(self)
        started = attempt(lambda: backups.start(folder, hook.report), self.backup_result)
        if started is None:
            return
        job = started.value
        self._backing_up = hook
        self._running(True)
        self.backup_result.setText(_("Backing up… (you can go on working)"))
        self.ctx.broadcast(DISCLOSED)  # the backup is recorded as a disclosure before it starts

        def stage(said: str, _done: int, _total: int) -> None:
            if not hook.stopping:
                self.backup_result.setText(_("{stage}… (you can go on working)").format(stage=_(said)))

        def done(info: Any) -> None:
            if not self.ctx.session.is_open:  # locked meanwhile: this screen is gone
                return
            self._running(False)
            self.backup_result.setText(
                _("Written and verified: {path} ({size:.1f} MB, encrypted)").format(
                    path=info.path, size=info.bytes / 1e6)  # fmt: skip
            )

        def failed(exc: BaseException) -> None:
            if not self.ctx.session.is_open:
                return
            self._running(False)
            if not isinstance(exc, Stopped):
                self.backup_result.setText(_("The backup failed: {why}").format(why=exc))
            elif self.ctx.perform(lambda: backups.stopped(job), self.backup_result) is not None:
                said = _("Backup stopped: nothing was left in {folder}.")
                self.backup_result.setText(said.format(folder=folder))

        hook.moved.connect(stage)

        self.ctx.runner.run(job, done, failed)

    def _stop_backup(self) -> None:
        if self._backing_up is not None:
            self._backing_up.stop()  # pressed twice, it is asked twice: the same
            self.backup_result.setText(_("Stopping the backup… (nothing of it will be left)"))

    def _running(self, on: bool) -> None:
        """While a backup runs, Stop stands in for "Back up now…" (and the keyboard's focus with it)."""
        focused = (self.backup_button if on else self.stop_backup).hasFocus()
        self.backup_button.setEnabled(not on)
        self.stop_backup.setVisible(on)
        if focused:
            (self.stop_backup if on else self.backup_button).setFocus()
        if not on:
            self._backing_up = None

    def _language_chosen(self, _index: int) -> None:
        chosen = self.language.currentData()
        self._apply(lambda: self.ctx.services.settings.set_language(chosen))

    def _marking_changed(self) -> None:
        self._apply(lambda: self.ctx.services.settings.set_marking(self.marking.text()))
        self.marking.setText(self.ctx.session.setting("marking"))

    def _documents_language_changed(self, _index: int) -> None:
        choice = str(self.documents_language.currentData())
        self._apply(lambda: self.ctx.services.settings.set_documents_language(choice))

    def _page_size_changed(self, size: str) -> None:
        self._apply(lambda: self.ctx.services.settings.set_page_size(size))

    def _apply(self, change: Callable[[], Changes]) -> None:
        self.ctx.perform(change, self.profile_error)

    def _policy_changed(self) -> None:
        shown = {key: box.isChecked() for key, box in self.policy_boxes.items()}
        self._apply(lambda: self.ctx.services.settings.set_projector_policy(shown))

    def _show_profile(self) -> None:
        p = profiles.get(self.profile.currentData())
        matrices = ", ".join(f"{s.value}: {m}" for s, m in p.matrices.items()) or (
            _("none: each list is ranked by the IOM score from recorded offences")
        )
        lines = [
            _("Source: {source}").format(source=p.source),
            *p.rules_text(),
            _("Matrices: {matrices}").format(matrices=matrices),
            *p.notes,
        ]
        self.profile_details.setText("\n".join(lines))
        self._show_retention()  # (people off the scheme are kept as long as the profile says)

    def _show_retention(self) -> None:
        self.retention.setText(
            "\n".join(str(period) for period in self.ctx.services.retention.schedule())
            + "\n"
            + _("An administrator changes a period, with its source: ppo-admin retention --set CLASS=MONTHS.")
        )
