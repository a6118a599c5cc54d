"""Allow `python -m bot` as well as the `touchstone` console script."""

from bot.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
