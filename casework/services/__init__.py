"""Every write of casework: one module per concern (`intake`: filing a report)."""
