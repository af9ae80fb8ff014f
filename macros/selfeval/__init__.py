"""The self-evaluation publisher's core: plain Python that knows nothing of MkDocs.

A build flows through the subpackages in this order (each package's own index lists its
modules, and each module's docstring says more):

- ``project``     — reading the sources: configuration, framework, metrics, observations,
  tables and workbooks, editions, and starting a new council's project
- ``register``    — the evidence register, its areas for development and their actions
- ``content``     — the chapters: front matter, the source tree, the navigation, macro
  calls and references, and the hand-typed-figure lint
- ``checks``      — every validation, run by ``make check`` and before each build
- ``disclosure``  — who each version is for, restricted passages, suppression and its
  audit, redaction, the leak scan and the non-interference check
- ``render``      — what macros and generated pages render as: figures, tables, charts,
  the register, the footer, the open data files
- ``publish``     — the build itself: both versions staged and put in place together, the
  site checks, the committee PDFs, the caches, the benchmark
- ``adapters``    — the only code that knows the site generator (MkDocs): its macros,
  hooks, theme, log and live preview

Shared by all of them:

- ``problems``    — the error type every check reports (``path:line: what — fix``)
- ``report``      — printing problems for people and for CI
- ``cli``         — the selfeval command and its subcommands
- ``__main__``    — python -m selfeval, the same command
"""
