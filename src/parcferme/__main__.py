"""`python -m parcferme`: the same as the `parcferme` command."""

from parcferme.console import main

if __name__ == "__main__":
    main()
