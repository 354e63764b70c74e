"""Scoring: matrix definitions as data and a pure engine over them."""

from ppo_desktop.scoring.catalogue import Catalogue, shipped
from ppo_desktop.scoring.definition import Definition, DefinitionError
from ppo_desktop.scoring.engine import Breakdown, InputError, Line, empty_inputs, score

__all__ = [
    "Breakdown",
    "Catalogue",
    "Definition",
    "DefinitionError",
    "InputError",
    "Line",
    "empty_inputs",
    "score",
    "shipped",
]
