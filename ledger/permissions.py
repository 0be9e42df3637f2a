"""The ledger is public by design: reading needs no permission; writing happens only through
other apps' services (which check their own permissions) and the witness protocol (which
checks signatures and consistency, not identities)."""
