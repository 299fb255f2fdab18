"""`python -m parcferme`: the same as the `parcferme` command."""

from parcferme.cli import main

if __name__ == "__main__":
    main()
