"""Writes about members, by kind: verification, roster import, the member's own account."""
