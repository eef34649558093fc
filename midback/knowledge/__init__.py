"""The knowledge base: validated data files compiled for the engine."""

from midback.knowledge.errors import KnowledgeError
from midback.knowledge.loader import DATA_DIR, load_knowledge
from midback.knowledge.model import Condition, Finding, KnowledgeBase, Question, RedFlagRule

__all__ = [
    "DATA_DIR",
    "Condition",
    "Finding",
    "KnowledgeBase",
    "KnowledgeError",
    "Question",
    "RedFlagRule",
    "load_knowledge",
]
