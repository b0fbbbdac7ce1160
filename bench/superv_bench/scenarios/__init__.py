"""The measurements. Each function runs one peer's daemon and returns raw samples."""
