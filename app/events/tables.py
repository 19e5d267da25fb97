"""Every table of the events domain, for the model registry (app/models.py)."""

from app.events import internship_models, models, training_models

__all__ = ["internship_models", "models", "training_models"]
