"""Schema migrations, one function per step, applied in a transaction when a store is opened."""

from __future__ import annotations

from functools import cache

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("ppo-panel")


def _append_only(db: Database, table: str) -> None:
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )


@migrations()
def m0001_core(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE users (
            id TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL);
        CREATE TABLE nominals (
            id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE,
            family_name TEXT NOT NULL, given_names TEXT NOT NULL, aliases TEXT NOT NULL DEFAULT '[]',
            dob TEXT, gender TEXT NOT NULL DEFAULT '', ethnicity TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT '', pnc_id TEXT NOT NULL DEFAULT '', cro TEXT NOT NULL DEFAULT '',
            area TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
        CREATE INDEX nominals_name ON nominals(family_name, given_names);
        CREATE TABLE nominations (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            agency TEXT NOT NULL, nominator TEXT NOT NULL, nominated_on TEXT NOT NULL,
            basis TEXT NOT NULL, strand TEXT NOT NULL, reason TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open');
        CREATE INDEX nominations_nominal ON nominations(nominal_id);
        CREATE TABLE memberships (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            strand TEXT NOT NULL, basis TEXT NOT NULL, is_lead INTEGER NOT NULL DEFAULT 1,
            status TEXT NOT NULL, added_on TEXT NOT NULL, next_review_on TEXT,
            custody_on TEXT, release_on TEXT, amber INTEGER NOT NULL DEFAULT 0,
            removed_on TEXT, removal_reason TEXT, removal_note TEXT, removal_authority TEXT);
        CREATE INDEX memberships_nominal ON memberships(nominal_id);
        CREATE TABLE meetings (
            id INTEGER PRIMARY KEY, panel TEXT NOT NULL, held_on TEXT NOT NULL,
            venue TEXT NOT NULL DEFAULT '', chair TEXT NOT NULL DEFAULT '',
            deputy TEXT NOT NULL DEFAULT '', state TEXT NOT NULL,
            quorum_note TEXT NOT NULL DEFAULT '');
        CREATE TABLE decisions (
            id INTEGER PRIMARY KEY, meeting_id INTEGER REFERENCES meetings(id),
            nominal_id INTEGER NOT NULL REFERENCES nominals(id), kind TEXT NOT NULL,
            strand TEXT, basis TEXT, reason_code TEXT, authority TEXT, note TEXT NOT NULL DEFAULT '',
            decided_on TEXT NOT NULL);
        CREATE INDEX decisions_nominal ON decisions(nominal_id);
        CREATE TABLE actions (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            meeting_id INTEGER REFERENCES meetings(id), pathway TEXT NOT NULL, description TEXT NOT NULL,
            agency TEXT NOT NULL, owner TEXT NOT NULL, due_on TEXT, state TEXT NOT NULL DEFAULT 'open',
            outcome TEXT, created_on TEXT NOT NULL, closed_on TEXT);
        CREATE INDEX actions_nominal ON actions(nominal_id);
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user_id TEXT NOT NULL,
            workstation TEXT NOT NULL, kind TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT,
            nominal_id INTEGER, summary TEXT NOT NULL, before TEXT, after TEXT,
            justification TEXT NOT NULL DEFAULT '', mac TEXT NOT NULL);
        CREATE INDEX audit_nominal ON audit(nominal_id);
        """
    )
    _append_only(db, "audit")


@migrations()
def m0002_score_sheets(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE score_sheets (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            matrix_id TEXT NOT NULL, matrix_version TEXT NOT NULL, matrix_hash TEXT NOT NULL,
            inputs TEXT NOT NULL, breakdown TEXT NOT NULL, total REAL NOT NULL,
            scorer TEXT NOT NULL, scored_on TEXT NOT NULL, state TEXT NOT NULL,
            pnc_marker INTEGER NOT NULL DEFAULT 0, meeting_id INTEGER REFERENCES meetings(id));
        CREATE TABLE matrix_definitions (
            id TEXT NOT NULL, version TEXT NOT NULL, hash TEXT NOT NULL, body TEXT NOT NULL,
            first_used TEXT NOT NULL, PRIMARY KEY (id, version));
        CREATE INDEX score_sheets_nominal ON score_sheets(nominal_id);
        CREATE TRIGGER score_sheets_final_is_final BEFORE UPDATE ON score_sheets
            WHEN OLD.state = 'final'
            BEGIN SELECT RAISE(ABORT, 'a final score sheet is never rewritten'); END;
        CREATE TRIGGER score_sheets_final_not_deleted BEFORE DELETE ON score_sheets
            WHEN OLD.state = 'final'
            BEGIN SELECT RAISE(ABORT, 'a final score sheet is never deleted'); END;
        """
    )


@migrations()
def m0003_meetings(db: Database) -> None:
    db.executescript(
        """
        ALTER TABLE memberships ADD COLUMN last_arrest_on TEXT;
        ALTER TABLE memberships ADD COLUMN last_intelligence_on TEXT;
        ALTER TABLE meetings ADD COLUMN opened_at TEXT;
        ALTER TABLE meetings ADD COLUMN closed_at TEXT;
        CREATE TABLE attendance (
            id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            name TEXT NOT NULL, agency TEXT NOT NULL, role TEXT NOT NULL DEFAULT '',
            present INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE agenda_items (
            id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            position INTEGER NOT NULL, nominal_id INTEGER REFERENCES nominals(id),
            title TEXT NOT NULL, reasons TEXT NOT NULL DEFAULT '[]', minutes INTEGER NOT NULL DEFAULT 10,
            notes TEXT NOT NULL DEFAULT '', seconds_spent INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending');
        CREATE INDEX agenda_meeting ON agenda_items(meeting_id, position);
        ALTER TABLE decisions ADD COLUMN agenda_item_id INTEGER REFERENCES agenda_items(id);
        ALTER TABLE decisions ADD COLUMN undo TEXT;
        ALTER TABLE decisions ADD COLUMN undone_at TEXT;
        CREATE TABLE meeting_amendments (
            id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            at TEXT NOT NULL, user_id TEXT NOT NULL, text TEXT NOT NULL);
        """
    )
    _append_only(db, "meeting_amendments")


@migrations()
def m0004_covering_indexes(db: Database) -> None:
    """The cohort's latest score and the open-action counts read indexes, not the sheet records."""
    db.executescript(
        """
        CREATE INDEX score_sheets_latest ON score_sheets(nominal_id, state, scored_on, id, total);
        CREATE INDEX actions_open ON actions(state, nominal_id);
        CREATE INDEX memberships_current ON memberships(nominal_id, removed_on, is_lead, added_on);
        """
    )


@migrations()
def m0005_performance(db: Database) -> None:
    """What the partnership reports: outcomes at removal and the re-offending cohort years (003 §2)."""
    db.executescript(
        """
        ALTER TABLE memberships ADD COLUMN removal_outcomes TEXT NOT NULL DEFAULT '[]';
        CREATE TABLE cohort_years (
            id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE, starts_on TEXT NOT NULL,
            baseline INTEGER NOT NULL CHECK (baseline >= 0),
            ceiling_pct TEXT NOT NULL, stretch_pct TEXT, months_on_scheme TEXT,
            note TEXT NOT NULL DEFAULT '');
        CREATE TABLE cohort_year_members (
            cohort_year_id INTEGER NOT NULL REFERENCES cohort_years(id),
            nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            PRIMARY KEY (cohort_year_id, nominal_id));
        CREATE TABLE convictions (
            cohort_year_id INTEGER NOT NULL REFERENCES cohort_years(id),
            nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            quarter INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
            count INTEGER NOT NULL CHECK (count >= 0),
            PRIMARY KEY (cohort_year_id, nominal_id, quarter));
        """
    )


@migrations()
def m0006_transfer_origins(db: Database) -> None:
    """Records merged from a transfer pack, by their origin, so the same pack never adds twice."""
    db.executescript(
        """
        CREATE TABLE transfer_origins (
            uid TEXT PRIMARY KEY, entity TEXT NOT NULL, local_id INTEGER NOT NULL);
        """
    )


@migrations()
def m0007_drafts(db: Database) -> None:
    """Text being typed, kept (encrypted, in the store) until it is saved as a record: a crash or a
    kill loses at most the last fraction of a second, and the text is offered back on restart."""
    db.executescript(
        """
        CREATE TABLE drafts (
            key TEXT PRIMARY KEY, nominal_id INTEGER, text TEXT NOT NULL, saved_at TEXT NOT NULL);
        """
    )


@migrations()
def m0008_erasure(db: Database) -> None:
    """Erasure after the retention review. While a person is being erased their id sits in
    ``erasing`` (inside that one transaction): only then may their final score sheets be deleted and
    their audit entries' content be redacted — the chain stays verifiable, because version-2 entries
    are chained over digests of their content (kept when the content is redacted)."""
    db.executescript(
        """
        CREATE TABLE erasing (nominal_id INTEGER PRIMARY KEY);
        ALTER TABLE audit ADD COLUMN v INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE audit ADD COLUMN digests TEXT;
        DROP TRIGGER score_sheets_final_not_deleted;
        CREATE TRIGGER score_sheets_final_not_deleted BEFORE DELETE ON score_sheets
            WHEN OLD.state = 'final' AND OLD.nominal_id NOT IN (SELECT nominal_id FROM erasing)
            BEGIN SELECT RAISE(ABORT, 'a final score sheet is never deleted'); END;
        DROP TRIGGER audit_no_update;
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            WHEN NOT (OLD.v = 2 AND OLD.nominal_id IN (SELECT nominal_id FROM erasing)
                      AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.user_id = OLD.user_id
                      AND NEW.workstation = OLD.workstation AND NEW.kind = OLD.kind
                      AND NEW.entity = OLD.entity AND NEW.entity_id IS OLD.entity_id
                      AND NEW.nominal_id IS OLD.nominal_id AND NEW.mac = OLD.mac AND NEW.v = OLD.v
                      AND OLD.digests IS NULL AND NEW.digests IS NOT NULL)
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        """
    )


@migrations()
def m0009_trend_index(db: Database) -> None:
    """The performance trend reads every final sheet's total from an index, not the sheet records
    (100,000 sheets: 1.4 s of decrypting down to a fraction)."""
    db.executescript(
        """
        CREATE INDEX score_sheets_trend ON score_sheets(state, nominal_id, matrix_id, scored_on, total);
        """
    )


@migrations()
def m0010_lifecycle(db: Database) -> None:
    """A person's time on the scheme (issue: lifecycle). Latest arrest and intelligence are facts
    about the person, not about one strand spell (copied from their spells, latest first); custodial
    sentences are recorded as such; the facts inclusion criteria read are kept with the day each was
    recorded; a decision keeps the details it was taken on (e.g. the R&R move checklist)."""
    db.executescript(
        """
        ALTER TABLE nominals ADD COLUMN last_arrest_on TEXT;
        ALTER TABLE nominals ADD COLUMN last_intelligence_on TEXT;
        UPDATE nominals SET
            last_arrest_on = (SELECT max(last_arrest_on) FROM memberships m WHERE m.nominal_id = nominals.id),
            last_intelligence_on = (SELECT max(last_intelligence_on) FROM memberships m
                                    WHERE m.nominal_id = nominals.id);
        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            starts_on TEXT NOT NULL, length_months INTEGER NOT NULL CHECK (length_months >= 0),
            length_days INTEGER NOT NULL DEFAULT 0 CHECK (length_days >= 0), release_on TEXT,
            secure_hospital INTEGER NOT NULL DEFAULT 0, recorded_on TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '');
        CREATE INDEX sentences_nominal ON sentences(nominal_id, starts_on);
        CREATE TABLE case_facts (
            nominal_id INTEGER NOT NULL REFERENCES nominals(id), fact TEXT NOT NULL, value TEXT NOT NULL,
            recorded_on TEXT NOT NULL, recorded_by TEXT NOT NULL, PRIMARY KEY (nominal_id, fact));
        ALTER TABLE decisions ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE memberships ADD COLUMN amber_on TEXT;
        UPDATE memberships SET amber_on = custody_on WHERE amber = 1;
        """
    )


@migrations()
def m0011_user_seals(db: Database) -> None:
    """Each user record (role, active) carries a MAC under a key derived from the data key, checked
    at every unlock: a role changed with raw SQL is refused. Records from before are sealed at the
    first unlock that finds them unsealed."""
    db.execute("ALTER TABLE users ADD COLUMN seal TEXT NOT NULL DEFAULT ''")


@migrations()
def m0012_agenda_free_text(db: Database) -> None:
    """An agenda item's free text (a nomination's own words) is kept apart from its structured
    reasons: the chair reads it, the room sees it only where the projector policy allows."""
    db.execute("ALTER TABLE agenda_items ADD COLUMN free_text TEXT NOT NULL DEFAULT '[]'")


# What travels between laptops (issue 14): every change to these tables, whichever code makes it,
# is stamped by the triggers below with a version vector per field (see ppo_desktop/transfer/sync.py).
# A migration that adds a column to one of them calls ``track_changes`` again for that table.
TRACKED = ("nominals", "memberships", "nominations", "actions", "score_sheets", "sentences", "meetings",
           "attendance", "agenda_items", "decisions", "meeting_amendments")  # fmt: skip
UNTRACKED_COLUMNS = frozenset({"id", "ref", "created_at", "updated_at"})  # kept by each store for itself


def tracked_fields(db: Database, table: str) -> list[str]:
    return [c.name for c in db[table].columns if c.name not in UNTRACKED_COLUMNS]


def _stamp(table: str, field: str, row: str) -> str:
    """Record that ``field`` of ``row`` changed here: this store's entry in its version vector moves
    to the new tick, with who, where and when (set by the workspace at the start of each write)."""
    return (
        "INSERT OR REPLACE INTO sync_fields (tbl, row_id, field, vv, seq, user_id, workstation, at) "
        f"SELECT '{table}', {row}, '{field}', json_set(coalesce((SELECT vv FROM sync_fields "
        f"WHERE tbl = '{table}' AND row_id = {row} AND field = '{field}'), '{{}}'), "
        "'$.\"' || store || '\"', tick), tick, user_id, workstation, at FROM sync_clock"
    )


def track_changes(db: Database, table: str) -> None:
    """(Re)create ``table``'s change triggers over its current columns. While a pack is merged
    (``sync_clock.applying``) they stand aside: the merge stamps what it writes itself."""
    for verb in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS sync_{verb}_{table}")
    quiet = "(SELECT applying FROM sync_clock) = 0"
    tick = "UPDATE sync_clock SET tick = tick + 1;"
    for verb, row in (("INSERT", "NEW.id"), ("DELETE", "OLD.id")):
        db.execute(
            f"CREATE TRIGGER sync_{verb.lower()}_{table} AFTER {verb} ON {table} WHEN {quiet} "
            f"BEGIN {tick} {_stamp(table, '', row)}; END"
        )
    fields = " ".join(
        f"{_stamp(table, f, 'NEW.id')} WHERE OLD.{f} IS NOT NEW.{f};" for f in tracked_fields(db, table)
    )
    db.execute(
        f"CREATE TRIGGER sync_update_{table} AFTER UPDATE ON {table} WHEN {quiet} BEGIN {tick} {fields} END"
    )


@migrations()
def m0013_change_tracking(db: Database) -> None:
    """Changes travel between laptops, not just records (issue 14). ``sync_fields`` keeps, for each
    field of each tracked record, its version vector (which store's changes it includes), the
    local order of its last change (``seq``: what a pack since the last exchange carries) and who
    last changed it; field '' is the record's own creation or deletion. ``sync_partners`` is what
    each partner store has sent and acknowledged; ``sync_shared`` the records exchanged with it."""
    db.executescript(
        """
        CREATE TABLE sync_clock (
            id INTEGER PRIMARY KEY CHECK (id = 1), store TEXT NOT NULL DEFAULT '',
            tick INTEGER NOT NULL DEFAULT 0, applying INTEGER NOT NULL DEFAULT 0,
            user_id TEXT NOT NULL DEFAULT '', workstation TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL DEFAULT '');
        INSERT INTO sync_clock (id) VALUES (1);
        CREATE TABLE sync_fields (
            tbl TEXT NOT NULL, row_id INTEGER NOT NULL, field TEXT NOT NULL, vv TEXT NOT NULL,
            seq INTEGER NOT NULL, user_id TEXT NOT NULL, workstation TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (tbl, row_id, field)) WITHOUT ROWID;
        CREATE INDEX sync_fields_seq ON sync_fields(seq);
        CREATE TABLE sync_partners (
            store TEXT PRIMARY KEY, label TEXT NOT NULL DEFAULT '', acked INTEGER NOT NULL DEFAULT 0,
            received INTEGER NOT NULL DEFAULT 0, sent_at TEXT, received_at TEXT);
        CREATE TABLE sync_shared (
            partner TEXT NOT NULL, tbl TEXT NOT NULL, row_id INTEGER NOT NULL, upto INTEGER NOT NULL,
            PRIMARY KEY (partner, tbl, row_id)) WITHOUT ROWID;
        CREATE TABLE sync_tombstones (uid TEXT PRIMARY KEY, vv TEXT NOT NULL);
        """
    )
    for table in TRACKED:
        track_changes(db, table)


GRAVES = ("agenda_items",)  # deleted in everyday use while other records (decisions) may name them


@migrations()
def m0014_graves(db: Database) -> None:
    """A record taken off on one laptop while the other laptop made a record that depends on it (an
    agenda item removed while the chair decided on it): the deletion gives way, on both laptops.
    The laptop that deleted it needs its last values to bring it back: kept here (issue 14)."""
    db.execute(
        "CREATE TABLE sync_graves (tbl TEXT NOT NULL, row_id INTEGER NOT NULL, row TEXT NOT NULL, "
        "PRIMARY KEY (tbl, row_id)) WITHOUT ROWID"
    )
    for table in GRAVES:
        fields = ", ".join(f"'{c.name}', OLD.{c.name}" for c in db[table].columns)
        db.execute(
            f"CREATE TRIGGER sync_grave_{table} AFTER DELETE ON {table} BEGIN "
            f"INSERT OR REPLACE INTO sync_graves (tbl, row_id, row) VALUES ('{table}', OLD.id, "
            f"json_object({fields})); END"
        )


@migrations()
def m0015_person_history(db: Database) -> None:
    """A person's history as dated events (issue 22): ``person_events`` is the record; strand spells
    (``memberships``) and the latest arrest and intelligence become what is derived from it, written
    only by the projection (``ppo_desktop/services/person_history.py``), and no longer travel between
    laptops: the events do. Existing spells, reviewing decisions and activity dates are turned into
    events here; the first unlock afterwards derives everything again from them."""
    db.executescript(
        """
        CREATE TABLE person_events (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            key TEXT NOT NULL, kind TEXT NOT NULL, occurred_on TEXT NOT NULL, recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL, strand TEXT, basis TEXT, status TEXT,
            decision_id INTEGER REFERENCES decisions(id), details TEXT NOT NULL DEFAULT '{}');
        CREATE INDEX person_events_nominal ON person_events(nominal_id, occurred_on);
        CREATE TRIGGER person_events_no_update BEFORE UPDATE ON person_events
            BEGIN SELECT RAISE(ABORT, 'person_events is append-only'); END;
        CREATE TRIGGER person_events_no_delete BEFORE DELETE ON person_events
            WHEN OLD.nominal_id NOT IN (SELECT nominal_id FROM erasing)
            BEGIN SELECT RAISE(ABORT, 'person_events is append-only'); END;
        ALTER TABLE memberships ADD COLUMN scheme_since TEXT;
        ALTER TABLE memberships ADD COLUMN amber_until TEXT;
        ALTER TABLE sentences ADD COLUMN length_years INTEGER NOT NULL DEFAULT 0 CHECK (length_years >= 0);
        ALTER TABLE sentences ADD COLUMN ends_on TEXT;
        ALTER TABLE sentences ADD COLUMN no_fixed_term INTEGER NOT NULL DEFAULT 0;
        """
    )
    from db.history_migration import events_from_spells

    events_from_spells(db)
    for verb in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS sync_{verb}_memberships")
        db.execute(f"DROP TRIGGER IF EXISTS sync_{verb}_nominals")
    db.execute("ALTER TABLE nominals DROP COLUMN last_arrest_on")
    db.execute("ALTER TABLE nominals DROP COLUMN last_intelligence_on")
    track_changes(db, "nominals")
    track_changes(db, "sentences")
    track_changes(db, "person_events")
    if db.execute("SELECT 1 FROM nominals LIMIT 1").fetchone():  # a new store has nothing to derive
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('history.derive', '1')")


def apply(db: Database) -> None:
    migrations.apply(db)


@migrations()
def m0016_access_restrictions(db: Database) -> None:
    """The subject access restrictions register (DPA 2018 s.45(4)): what was withheld from a person
    who asked for their data, on which ground, by whom and until when. Kept on this laptop (it does
    not travel), erased with the person."""
    db.executescript(
        """
        CREATE TABLE access_restrictions (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            ground TEXT NOT NULL, withheld TEXT NOT NULL, reason TEXT NOT NULL, until TEXT,
            recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL);
        CREATE INDEX access_restrictions_nominal ON access_restrictions(nominal_id);
        """
    )


@migrations()
def m0017_offences(db: Database) -> None:
    """Dated offences, recorded once (IOM selection scores are computed from them "as at" a date)."""
    db.executescript(
        """
        CREATE TABLE offences (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            offence_on TEXT NOT NULL, category TEXT NOT NULL, outcome TEXT NOT NULL,
            victims INTEGER NOT NULL DEFAULT 0 CHECK (victims >= 0), code TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '', recorded_on TEXT NOT NULL);
        CREATE INDEX offences_nominal ON offences(nominal_id, offence_on);
        """
    )


@migrations()
def m0018_chain_witness(db: Database) -> None:
    """What each partner laptop's audit log looked like when its packs came in, and what a partner
    found about ours (see ``services.witness``). Kept on this laptop: none of it travels as records."""
    db.executescript(
        """
        CREATE TABLE witnessed_heads (
            partner TEXT NOT NULL, seq INTEGER NOT NULL, mac TEXT NOT NULL, seen_at TEXT NOT NULL,
            PRIMARY KEY (partner, seq));
        CREATE TABLE witness_asks (
            partner TEXT PRIMARY KEY, seq INTEGER NOT NULL, upto INTEGER NOT NULL);
        CREATE TABLE witness_asked_of_us (partner TEXT PRIMARY KEY, seq INTEGER NOT NULL);
        CREATE TABLE witness_findings (
            id INTEGER PRIMARY KEY, partner TEXT NOT NULL,
            about TEXT NOT NULL CHECK (about IN ('here', 'partner')), seq INTEGER NOT NULL,
            kind TEXT NOT NULL, found_at TEXT NOT NULL, acknowledged INTEGER NOT NULL DEFAULT 0,
            UNIQUE (partner, about, seq, kind));
        """
    )


@migrations()
def m0019_retention_schedule(db: Database) -> None:
    """Retention by schedule: legal holds on a person (left out of every class until lifted), and the
    audit log's own class — an entry's content may be blanked (its digests kept) for entries up to
    the number an audit retention is erasing, as for a person's entries during their erasure."""
    db.executescript(
        """
        CREATE TABLE legal_holds (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            reason TEXT NOT NULL, placed_by TEXT NOT NULL, placed_at TEXT NOT NULL,
            lifted_by TEXT, lifted_at TEXT, lifted_reason TEXT);
        CREATE INDEX legal_holds_nominal ON legal_holds(nominal_id);
        CREATE TABLE erasing_audit (upto INTEGER NOT NULL);
        DROP TRIGGER audit_no_update;
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            WHEN NOT (OLD.v = 2 AND (OLD.nominal_id IN (SELECT nominal_id FROM erasing)
                                     OR OLD.seq <= (SELECT coalesce(max(upto), 0) FROM erasing_audit))
                      AND NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.user_id = OLD.user_id
                      AND NEW.workstation = OLD.workstation AND NEW.kind = OLD.kind
                      AND NEW.entity = OLD.entity AND NEW.entity_id IS OLD.entity_id
                      AND NEW.nominal_id IS OLD.nominal_id AND NEW.mac = OLD.mac AND NEW.v = OLD.v
                      AND OLD.digests IS NULL AND NEW.digests IS NOT NULL)
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        """
    )


@migrations()
def m0020_who_was_in_the_room(db: Database) -> None:
    """Who was in the room for each item (DPA 2018 s.62: a disclosure names its recipients): people
    arriving, leaving, or stepping out for an item; and when the confidentiality statement was read
    and acknowledged at the start. Both travel with the meeting."""
    db.executescript(
        """
        CREATE TABLE attendance_moves (
            id INTEGER PRIMARY KEY, meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            attendance_id INTEGER NOT NULL REFERENCES attendance(id),
            agenda_item_id INTEGER NOT NULL REFERENCES agenda_items(id),
            move TEXT NOT NULL CHECK (move IN ('arrived', 'left', 'stepped-out')),
            recorded_at TEXT NOT NULL);
        CREATE INDEX attendance_moves_meeting ON attendance_moves(meeting_id);
        ALTER TABLE meetings ADD COLUMN confidentiality_read_at TEXT;
        """
    )
    track_changes(db, "attendance_moves")
    track_changes(db, "meetings")


@migrations()
def m0021_person_merges(db: Database) -> None:
    """Two records found to be one person are merged (and a merge undone): every record of the one
    is moved to the other, by its person column only. The append-only guards let that column — and
    nothing else — change while ``merging`` names both people, which it does only inside the merge's
    own transaction. ``person_merges`` keeps what moved, so the merge can be undone."""
    db.executescript(
        """
        CREATE TABLE person_merges (
            id INTEGER PRIMARY KEY, kept_id INTEGER NOT NULL, merged_id INTEGER NOT NULL,
            merged_row TEXT NOT NULL, moved TEXT NOT NULL, merged_at TEXT NOT NULL, merged_by TEXT NOT NULL,
            justification TEXT NOT NULL, undone_at TEXT, undone_by TEXT);
        CREATE TABLE merging (nominal_id INTEGER PRIMARY KEY);
        DROP TRIGGER person_events_no_update;
        CREATE TRIGGER person_events_no_update BEFORE UPDATE ON person_events
            WHEN NOT (OLD.nominal_id IN (SELECT nominal_id FROM merging)
                      AND NEW.nominal_id IN (SELECT nominal_id FROM merging)
                      AND NEW.id = OLD.id AND NEW.key = OLD.key AND NEW.kind = OLD.kind
                      AND NEW.occurred_on = OLD.occurred_on AND NEW.recorded_at = OLD.recorded_at
                      AND NEW.recorded_by = OLD.recorded_by AND NEW.strand IS OLD.strand
                      AND NEW.basis IS OLD.basis AND NEW.status IS OLD.status
                      AND NEW.decision_id IS OLD.decision_id AND NEW.details = OLD.details)
            BEGIN SELECT RAISE(ABORT, 'person_events is append-only'); END;
        DROP TRIGGER score_sheets_final_is_final;
        CREATE TRIGGER score_sheets_final_is_final BEFORE UPDATE ON score_sheets
            WHEN OLD.state = 'final'
                 AND NOT (OLD.nominal_id IN (SELECT nominal_id FROM merging)
                          AND NEW.nominal_id IN (SELECT nominal_id FROM merging)
                          AND NEW.id = OLD.id AND NEW.matrix_id = OLD.matrix_id
                          AND NEW.matrix_version = OLD.matrix_version AND NEW.matrix_hash = OLD.matrix_hash
                          AND NEW.inputs = OLD.inputs AND NEW.breakdown = OLD.breakdown
                          AND NEW.total = OLD.total AND NEW.scorer = OLD.scorer
                          AND NEW.scored_on = OLD.scored_on AND NEW.state = OLD.state
                          AND NEW.pnc_marker = OLD.pnc_marker AND NEW.meeting_id IS OLD.meeting_id)
            BEGIN SELECT RAISE(ABORT, 'a final score sheet is never rewritten'); END;
        """
    )


@migrations()
def m0022_risk_scores(db: Database) -> None:
    """The probation service's risk scores (OGRS3, OGP, OVP, RSR), recorded as given — a value or a
    band alone — with the day of the assessment and where it comes from; never computed here."""
    db.executescript(
        """
        CREATE TABLE risk_scores (
            id INTEGER PRIMARY KEY, nominal_id INTEGER NOT NULL REFERENCES nominals(id),
            tool TEXT NOT NULL, value REAL, band TEXT NOT NULL, assessed_on TEXT NOT NULL,
            source TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL);
        CREATE INDEX risk_scores_nominal ON risk_scores(nominal_id, tool, assessed_on);
        """
    )


@cache
def expected_triggers() -> dict[str, str]:
    """Every trigger a store at the latest step has, by name, with the SQL that makes it: found once
    per process by migrating an empty in-memory database (~0.1 s)."""
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    try:
        db = Database(conn)
        apply(db)
        return triggers(db)
    finally:
        conn.close()


def triggers(db: Database) -> dict[str, str]:
    """The triggers a store has, by name, with their SQL."""
    found = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    return {name: str(sql) for name, sql in found}


def same_sql(a: str, b: str) -> bool:
    """Whether two statements are the same but for layout (runs of whitespace)."""
    return a.split() == b.split()


def latest_version() -> int:
    """How many steps this version of the app defines (a store at this number is up to date)."""
    return len(migrations._migrations)


def schema_version(db: Database) -> int:
    return len(migrations.applied(db))


@migrations()
def m0023_records_in_history(db: Database) -> None:
    """Nominations, custodial sentences and the facts the inclusion criteria read become events in
    the person's history (issue 22): ``nominations``, ``sentences`` and ``case_facts`` are derived
    from the events from now on (by the projection alone), and no longer travel between laptops:
    the events do — case facts travel for the first time."""
    db.executescript(
        """
        ALTER TABLE nominations ADD COLUMN event_key TEXT;
        ALTER TABLE sentences ADD COLUMN event_key TEXT;
        CREATE INDEX nominations_open ON nominations(state, strand);
        """
    )
    from db.history_migration import events_from_records

    events_from_records(db)
    for table in ("nominations", "sentences"):
        for verb in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER IF EXISTS sync_{verb}_{table}")
        db.execute("DELETE FROM sync_fields WHERE tbl = ?", [table])
        db.execute("DELETE FROM sync_shared WHERE tbl = ?", [table])
        db.execute("DELETE FROM transfer_origins WHERE entity = ?", [table])
    if db.execute("SELECT 1 FROM nominals LIMIT 1").fetchone():
        db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('history.derive', '1')")
