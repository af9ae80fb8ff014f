"""The evidence register (``evidence_register.yaml``): what the document rests on, and what
is being done about it.

- ``evidence``     — the register: evidence items, recommendations, areas for development
- ``actions``      — areas for development and their actions: status, overdue, RAG
"""
