"""``python -m casus`` runs the command line."""
from .cli import main

main()
