"""Presentation: someone talks; phones show the title, a short text and the timer."""
