"""Break: a pause; phones show when it ends. (The folder is "pause": "break" is a Python word.)"""
