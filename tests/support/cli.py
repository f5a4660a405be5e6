"""The ``phonebank`` command run in-process, and what it left in the database."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from app.core.models import CampaignDraft
from sync_server.campaigns import create_campaign
from sync_server.cli import main
from sync_server.db import Store


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``phonebank *argv``: the exit code, and what it printed to stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def subcommands(parser: argparse.ArgumentParser) -> argparse._SubParsersAction:
    """The parser's one set of subcommands."""
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return commands


def assert_documented(commands: argparse._SubParsersAction) -> None:
    """Every command in ``commands`` has help and a description, and so has each option."""
    for listed in commands._choices_actions:
        assert listed.help, f"command {listed.dest} has no help"
    for name, command in commands.choices.items():
        assert command.description, name
        for action in command._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)


def make_campaign(db: Path, slug: str, name: str) -> None:
    """A campaign in the database file at ``db``, made as the console or the API would."""
    store = Store(db)
    try:
        with store.transaction() as conn:
            create_campaign(conn, CampaignDraft(slug=slug, name=name))
    finally:
        store.close()


def count(db: Path, table: str) -> int:
    store = Store(db)
    try:
        with store.reading() as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        store.close()
