"""The vault: how PPO Panel keeps its data (SQLCipher store, key slots, migrations, lock).

Import the modules you need (db.vault, db.errors, db.device): importing this package alone stays
cheap, so the unlock screen can appear before the database libraries load.
"""
