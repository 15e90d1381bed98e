"""`python -m audit` runs the CLI."""

from audit.cli import main

if __name__ == "__main__":
    main()
