"""The device-secret keyring policy, for the UI's unlock and create screens (cheap to import)."""

from db.device import DeviceSecrets, system_device_secrets

__all__ = ["DeviceSecrets", "system_device_secrets"]
