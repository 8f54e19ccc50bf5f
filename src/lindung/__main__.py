"""``python -m lindung``: the same as the ``lindung`` command."""

from lindung.cli.main import main

if __name__ == "__main__":
    main()
