"""Keeping restricted material out of the public version, and proving it stayed out.

- ``audience``     — who a version is for, and everything that differs because of it
- ``markers``      — restricted blocks, spans and pages in Markdown, and their reasons
- ``datatext``     — text from data: placed as text, never as markup, and redacted
- ``suppression``  — small-number suppression and withheld figures
- ``audit``        — the disclosure audit: hidden values proved safe against what is published
- ``redaction``    — each page's public and internal text; the redaction report
- ``needles``      — what the leak scan looks for where a figure is hidden
- ``leakscan``     — the scan that proves a built public site carries nothing restricted
- ``noninterference`` — proof that nothing restricted changes the public version
"""
