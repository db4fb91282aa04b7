"""The manifest's slash commands agree with the handlers: the same commands, and hints naming what each accepts."""

import importlib
import pkgutil
import re

import yaml

import handlers
from bot.fakeslack.manifest import MANIFEST
from handlers.commands import Usage

WORD = re.compile(r"(?<![@\w:])[a-z]+\b")
"""A literal word of a hint or a syntax; not `@someone`, not an UPPERCASE placeholder, not `NAME` after `team:`."""


def usages() -> dict[str, Usage]:
    found = {}
    for module in pkgutil.iter_modules(handlers.__path__, "handlers."):
        usage = getattr(importlib.import_module(module.name), "USAGE", None)
        if isinstance(usage, Usage):
            found[usage.command] = usage
    return found


def manifest_commands() -> dict[str, dict[str, str]]:
    commands = yaml.safe_load(MANIFEST.read_text())["features"]["slash_commands"]
    return {command["command"]: command for command in commands}


def is_keyword_form(command: str, syntax: str) -> bool:
    """A form of fixed words (`/pulse results org`, `/rewards top [month|quarter]`), not a free-text example."""
    first, *arguments = syntax.split()
    required = [word for word in arguments if not word.startswith("[")]
    return first == command and bool(re.fullmatch("[a-z]+", required[0] if required else "")) and len(required) <= 2


def keyword_forms(usage: Usage) -> list[str]:
    return [syntax for syntax, _ in usage.forms if "..." not in syntax and is_keyword_form(usage.command, syntax)]


def test_the_manifest_declares_exactly_the_commands_the_handlers_answer() -> None:
    assert sorted(manifest_commands()) == sorted(usages())


def test_each_usage_hint_names_every_word_its_handler_accepts_and_nothing_else() -> None:
    for command, usage in usages().items():
        hint = manifest_commands()[command]["usage_hint"]
        hint_words = set(WORD.findall(hint))
        accepted = {word for syntax in keyword_forms(usage) for word in WORD.findall(syntax.removeprefix(command))}
        assert accepted | {"help"} <= hint_words, f"{command}: {hint!r} leaves out {accepted - hint_words}"
        assert hint_words - {"help"} <= set(WORD.findall(usage.text())), f"{command}: {hint!r} vs {usage.text()}"
