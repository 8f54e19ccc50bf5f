"""``python -m lindung``: the same as the ``lindung`` command."""

from lindung.cli.main import run

if __name__ == "__main__":
    run()
