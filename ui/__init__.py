"""How PPO Panel is shown: Qt windows, screens, item models, dialogs (no SQL, no vault)."""
