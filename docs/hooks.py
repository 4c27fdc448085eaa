"""MkDocs hooks: the CLI reference from the argparse parser, the benchmark plots, late pages.

- ``<!-- cli-reference -->`` in a page is replaced by :func:`render_cli` of the parser that the
  ``fastf1`` command itself uses, so the reference cannot drift from the code
  (``tests/test_docs.py`` checks that every subcommand and option appears).
- The plots that ``benchmarks/report.py`` and ``benchmarks/plot_threshold_sweep.py`` write to
  ``benchmarks/results/`` are served as ``assets/benchmarks/<name>`` without a copy in docs/.
- Sphinx roles in docstrings (``:class:`StatScores```, ``:func:`fastf1.f1_score```), which
  mkdocstrings shows as text, become links to the API reference where the name is there.
- ``<!-- guide-pages -->`` becomes a list of the user guide's pages, in the order of the nav.
- Every page under ``docs/guide/`` that the nav of mkdocs.yml does not name is appended to the
  "User guide" section, so a new guide page appears without editing mkdocs.yml.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the fastf1 of this checkout, installed or not
    sys.path.insert(0, str(ROOT))

MARKER = "<!-- cli-reference -->"
GUIDE_MARKER = "<!-- guide-pages -->"
GUIDE_SECTION = "User guide"
# the module a reference page documents: unqualified names in its docstrings are its own
API_PAGES = {"api/fastf1.md": "fastf1", "api/io.md": "fastf1.io", "api/keras.md": "fastf1.keras",
             "api/dask.md": "fastf1.dask"}
ROLE = re.compile(r":(?:class|func|meth|data|attr|mod|exc):<code>~?([\w.]+)(?:\(\))?</code>")


# ---- the CLI reference -----------------------------------------------------------------------


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _flags(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{action.metavar or action.dest}`"
    return ", ".join(f"`{flag}`" for flag in action.option_strings)


def _argument(action: argparse.Action) -> str:
    if action.nargs == 0:  # store_true, version, help
        return ""
    if action.choices is not None and not isinstance(action, argparse._SubParsersAction):
        return "`{" + ",".join(str(c) for c in action.choices) + "}`"
    metavar = action.metavar or (action.dest.upper() if action.option_strings else action.dest)
    if action.nargs in ("+", "*"):
        return f"`{metavar} ...`"
    return f"`{metavar}`"


def _default(action: argparse.Action) -> str:
    if action.nargs == 0 or action.default in (None, argparse.SUPPRESS) or action.required:
        return "required" if action.required and action.option_strings else ""
    return f"`{action.default}`"


def _table(actions: list[argparse.Action]) -> list[str]:
    rows = ["| option | argument | default | meaning |", "|---|---|---|---|"]
    for action in actions:
        help_text = "" if action.help in (None, argparse.SUPPRESS) else action.help
        rows.append(f"| {_flags(action)} | {_argument(action)} | {_default(action)} | "
                    f"{_cell(help_text)} |")
    return rows


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, tuple[str, Any]]:
    """``{name: (help, parser)}`` of the parser's subcommands, in the order they were added."""
    out: dict[str, tuple[str, Any]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                out[name] = (helps.get(name) or "", sub)
    return out


def _anchor(prog: str) -> str:
    return prog.replace(" ", "-")


def _describe(parser: argparse.ArgumentParser, level: int) -> list[str]:
    lines = ["```text", parser.format_usage().strip(), "```", ""]
    if parser.description:
        lines += [parser.description, ""]
    for group in parser._action_groups:
        actions = [a for a in group._group_actions
                   if not isinstance(a, (argparse._SubParsersAction, argparse._HelpAction))
                   and a.help != argparse.SUPPRESS]
        if not actions:
            continue
        lines += [f"{'#' * level} {group.title.capitalize()}", ""] + _table(actions) + [""]
    if parser.epilog and "\n" in parser.epilog:
        lines += ["```text", parser.epilog.strip(), "```", ""]
    elif parser.epilog:
        lines += [parser.epilog, ""]
    subs = _subcommands(parser)
    if subs:
        lines += [f"{'#' * level} Commands", "", "| command | what it does |", "|---|---|"]
        lines += [f"| [`{sub.prog}`](#{_anchor(sub.prog)}) | {_cell(text)} |"
                  for text, sub in subs.values()] + [""]
    return lines


def _sections(parser: argparse.ArgumentParser, level: int) -> list[str]:
    """A heading per command, ``parser`` first, then its subcommands, depth first."""
    lines = [f"{'#' * level} `{parser.prog}` {{ #{_anchor(parser.prog)} }}", ""]
    lines += _describe(parser, level + 1)
    for _, sub in _subcommands(parser).values():
        lines += _sections(sub, level)
    return lines


def render_cli(parser: argparse.ArgumentParser) -> str:
    """The Markdown reference of ``parser`` and of each of its subcommands, at any depth."""
    return "\n".join(_sections(parser, 2))


def cli_parser() -> argparse.ArgumentParser:
    """The parser of the ``fastf1`` command."""
    from fastf1.cli import build_parser

    return build_parser()


# ---- MkDocs events ---------------------------------------------------------------------------


def on_config(config: Any) -> Any:
    docs = pathlib.Path(config["docs_dir"])
    nav = config["nav"] or []

    def named(items: Any) -> set[str]:
        found: set[str] = set()
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            found |= named(value) if isinstance(value, list) else {value}
        return found

    listed = named(nav)
    for item in nav:
        if isinstance(item, dict) and GUIDE_SECTION in item:
            for page in sorted((docs / "guide").glob("*.md")):
                path = page.relative_to(docs).as_posix()
                if path not in listed:
                    item[GUIDE_SECTION].append(path)
    return config


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    results = ROOT / "benchmarks" / "results"
    for image in sorted(results.glob("*.png")):
        files.append(File.generated(config, f"assets/benchmarks/{image.name}",
                                    abs_src_path=str(image)))
    return files


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    module = API_PAGES.get(page.file.src_uri, "fastf1")

    def link(match: re.Match) -> str:
        name = match.group(1)
        identifier = name if name.startswith("fastf1") else f"{module}.{name}"
        # optional: a name that is not in the reference (a private module) stays plain code
        return f'<autoref identifier="{identifier}" optional><code>{name}</code></autoref>'

    return ROLE.sub(link, html)


def guide_pages(config: Any) -> list[tuple[str, str]]:
    """(title, path under docs/) of each page of the nav's user guide, in order."""
    docs = pathlib.Path(config["docs_dir"])
    pages = []
    for item in config["nav"] or []:
        if isinstance(item, dict) and GUIDE_SECTION in item:
            for entry in item[GUIDE_SECTION]:
                if isinstance(entry, dict):
                    pages.append(next(iter(entry.items())))
                else:  # a page added by on_config: its first heading is its title
                    text = (docs / entry).read_text()
                    title = next((line[2:].strip() for line in text.splitlines()
                                  if line.startswith("# ")), entry)
                    pages.append((title, entry))
    return pages


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, render_cli(cli_parser()))
    if GUIDE_MARKER in markdown:
        depth = page.file.src_uri.count("/")
        items = [f"- [{title}]({'../' * depth}{path})" for title, path in guide_pages(config)]
        markdown = markdown.replace(GUIDE_MARKER, "\n".join(items))
    return markdown
