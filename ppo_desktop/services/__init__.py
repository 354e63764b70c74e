"""The only writers: each mutation is one transaction holding the row change and its audit entry."""

from ppo_desktop.services.workspace import Changes, PermissionDenied, ServiceError, Topic, Workspace

__all__ = ["Changes", "PermissionDenied", "ServiceError", "Topic", "Workspace"]
