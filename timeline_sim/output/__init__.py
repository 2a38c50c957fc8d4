"""Presenting results: terminal text and files on disk."""
