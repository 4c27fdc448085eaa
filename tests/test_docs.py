"""The docstring examples and the README's Python examples run and print what they say."""

from __future__ import annotations

import doctest
import pathlib
import re

import pytest

import fastf1.counts
import fastf1.curves
import fastf1.metrics
import fastf1.resampling

README = pathlib.Path(__file__).parent.parent / "README.md"


@pytest.mark.parametrize("module", [fastf1.metrics, fastf1.counts, fastf1.curves,
                                    fastf1.resampling], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_readme_python_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks, "the README has Python examples"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_starts_with_the_two_setup_commands():
    text = README.read_text()
    first_block = re.search(r"```bash\n(.*?)```", text, flags=re.S).group(1).strip().splitlines()
    commands = [line for line in first_block if line and not line.startswith("#")]
    assert commands[0].endswith("fastf1 demo")
    ci = (README.parent / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert commands[1] == ci, "CI must run exactly the README's test command"
