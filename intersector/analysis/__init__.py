"""Text analysis (embeddings, clustering, theme labels): plain Python, no Django imports."""
