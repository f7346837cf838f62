"""One module per citizen screen, each a ScreenWidget."""
