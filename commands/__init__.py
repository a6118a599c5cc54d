"""Features: one package each (`commands/<feature>/`), listed once in bot/app.py."""
