"""Placeholder inference code: the contents check reads names only."""
