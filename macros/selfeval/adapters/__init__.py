"""The seams to the site generator. Everything else in selfeval is plain Python.

- ``mkdocs``       — MkDocs with Material and mkdocs-macros
"""
