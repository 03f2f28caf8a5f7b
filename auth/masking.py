"""Masked forms of personal data: enough to recognise a record, not to identify a person."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Each word keeps its first letter: "สมชาย ใจดี" → "ส**** ใ***"."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in name.split())


def mask_digits(value: str, keep: int = 3) -> str:
    """All but the last `keep` characters starred: "0812345678" → "*******678"."""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
