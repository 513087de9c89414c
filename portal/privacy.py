"""What deleting an account does to the portal's own records (members/services/accounts.py
holds the registry)."""

from members.services.accounts import erasure_keeps

erasure_keeps(
    {"portal.StructureRecord": "kept: which standard pages the portal created; names nobody"}
)
